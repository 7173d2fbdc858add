"""The detector in INT8: quantise it, then time it against the shipped f32 one, side by side.

The shipped detector is quantised statically (onnxruntime's quantiser: QDQ, int8 weights per
channel, uint8 activations, convolutions only), calibrated on frames of the `eu/` and `us/`
training scenes at the reader's 512-px input — never br-dev. Then every br-dev frame is read
end to end by the reader with each detector in alternating order, in one process (a busy VM
slows both alike), and the detector alone is timed on a 512 x 512 input. Its reads are judged
by the robustness bench:

    .venv/bin/python bench/lpr_int8.py --out /tmp/plate_detector_int8.onnx
    .venv/bin/python bench/lpr_robust.py --detector /tmp/plate_detector_int8.onnx
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
import onnx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gtvision.inference.backends import OpenVinoConfig
from gtvision.inference.reader import PlateReader, detector_input


class _Calibration:
    """onnxruntime's CalibrationDataReader: the frames as the reader feeds the detector."""

    def __init__(self, input_name: str, scenes: list[Path], count: int, size: int) -> None:
        paths = list(scenes)
        random.Random(3).shuffle(paths)
        frames = [f for p in paths[:count] if (f := cv2.imread(str(p))) is not None]
        self._feeds = iter([{input_name: detector_input(f, size)} for f in frames])

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self._feeds, None)


def quantise(source: Path, out: Path, scenes: list[Path], count: int, size: int) -> None:
    from onnxruntime.quantization import QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    name = onnx.load(str(source)).graph.input[0].name
    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "prepared.onnx"
        quant_pre_process(str(source), str(prepared), skip_symbolic_shape=True)
        quantize_static(
            str(prepared), str(out), _Calibration(name, scenes, count, size),
            quant_format=QuantFormat.QDQ, per_channel=True, activation_type=QuantType.QUInt8,
            weight_type=QuantType.QInt8, op_types_to_quantize=["Conv"],
        )  # fmt: skip


def _p50_p95(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=20)
    return f"p50 {statistics.median(samples):6.1f} ms  p95 {cuts[18]:6.1f} ms"


def _timed(run: Callable[..., object], *args: object) -> float:
    started = time.perf_counter()
    run(*args)
    return (time.perf_counter() - started) * 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = Path(os.environ.get("GTV_SHARED", Path(__file__).parents[2] / "shared"))
    parser.add_argument("--shared", type=Path, default=default_shared)
    parser.add_argument("--out", type=Path, required=True, help="where the INT8 detector goes")
    parser.add_argument("--calibration", type=int, default=120, help="eu/us frames")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    data = args.shared / "datasets" / "openalpr"
    scenes = sorted([*(data / "eu").glob("*.jpg"), *(data / "us").glob("*.jpg")])
    if not scenes:
        parser.error(f"no eu/ or us/ scenes under {data} (set --shared or GTV_SHARED)")
    backend = OpenVinoConfig(threads=args.threads)
    f32 = PlateReader(backend)
    quantise(f32.detector_path, args.out, scenes, args.calibration, f32.detect_size)
    kib = args.out.stat().st_size // 1024
    print(f"quantised {f32.detector_path.name} -> {args.out} ({kib} KiB), "
          f"calibrated on {min(args.calibration, len(scenes))} eu/us frames")  # fmt: skip

    readers = {"f32": f32, "int8": PlateReader(backend, detector=args.out)}
    square = detector_input(np.zeros((1280, 1280, 3), np.uint8), f32.detect_size)
    detectors = {name: r.backend.compile(r.detector_path) for name, r in readers.items()}
    alone: dict[str, list[float]] = {name: [] for name in readers}
    for _ in range(args.rounds * 50):
        for name, detector in detectors.items():
            alone[name].append(_timed(detector.run, square))
    print(f"detector alone, 512 x 512, OpenVINO CPU threads={args.threads}:")
    for name, samples in alone.items():
        print(f"  {name:5} {_p50_p95(samples)}")

    frames = [
        f for p in sorted((data / "br-dev").glob("*.jpg")) if (f := cv2.imread(str(p))) is not None
    ]
    end_to_end: dict[str, list[float]] = {name: [] for name in readers}
    for _ in range(args.rounds):
        for frame in frames:
            for name, reader in readers.items():
                end_to_end[name].append(_timed(reader.read, frame))
    print(f"br-dev end to end ({len(frames)} frames x {args.rounds}, alternating):")
    for name, samples in end_to_end.items():
        print(f"  {name:5} {_p50_p95(samples)}")


if __name__ == "__main__":
    main()
