"""The INT8 detector against the f32 one, side by side: bits, boxes, speed.

- Every br-dev frame through each detector on this CPU's kernels and on oneDNN's AVX2 ones (an
  older server's: without VNNI, full-range int8 weights saturate there): the same bits or not.
- Boxes on the eu/us scenes held out of the INT8 detector's calibration (labelled real plates,
  never br-dev): found (IoU >= 0.5 with the label), mean IoU, the median box width against the
  label's (a narrow box cuts a character off), detections off any label ("stray").
- The detector alone on a 512 x 512 input, and br-dev read end to end, each reader in turn
  frame by frame in one process (a busy VM slows both alike).

By default the shipped pair (`precision="int8"` picks the INT8 one); `--int8` takes another
build, e.g. one just made by `python -m gtvision.inference.training detector-int8`. Reads are
judged by the robustness bench (`bench/lpr_robust.py --detector …`).

    .venv/bin/python bench/lpr_int8.py
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gtvision.inference.backends import OpenVinoConfig
from gtvision.inference.evaluation import iou, labelled_images
from gtvision.inference.reader import PlateReader, detector_input
from gtvision.inference.training.quantise import calibration_scenes


def _p50_p95(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=20)
    return f"p50 {statistics.median(samples):6.1f} ms  p95 {cuts[18]:6.1f} ms"


def _timed(run: Callable[..., object], *args: object) -> float:
    started = time.perf_counter()
    run(*args)
    return (time.perf_counter() - started) * 1e3


def held_out_boxes(reader: PlateReader, data: Path) -> str:
    scenes = [*(data / "eu").glob("*.jpg"), *(data / "us").glob("*.jpg")]
    calibration = set(calibration_scenes(scenes))
    found, ious, widths, stray, plates = 0, [], [], 0, 0
    for folder in (data / "eu", data / "us"):
        by_image: dict[Path, list[tuple[float, float, float, float]]] = {}
        for item in labelled_images(folder):
            if not isinstance(item, str) and item.image not in calibration:
                by_image.setdefault(item.image, []).append(item.box)
        for image, boxes in by_image.items():
            frame = cv2.imread(str(image))
            if frame is None:
                continue
            detections = reader.detect(frame)
            for box in boxes:
                plates += 1
                best = max(detections, key=lambda d: iou(d.box, box), default=None)
                if best is not None and iou(best.box, box) >= 0.5:
                    found += 1
                    ious.append(iou(best.box, box))
                    widths.append(best.box[2] / box[2])
            stray += sum(max(iou(d.box, b) for b in boxes) < 0.1 for d in detections)
    return (f"{plates} plates: found {found / plates:6.1%}  mean IoU {np.mean(ious):.3f}  "
            f"median width {np.median(widths):.3f} of the label's  stray {stray}")  # fmt: skip


_HEADS = """
import sys, cv2, numpy as np
from pathlib import Path
from gtvision.inference.backends import OpenVinoBackend, OpenVinoConfig
from gtvision.inference.reader import detector_input
detector = OpenVinoBackend(OpenVinoConfig(threads=2)).compile(Path(sys.argv[1]))
frames = [cv2.imread(line) for line in sys.argv[3:]]
np.savez(sys.argv[2], *[detector.run(detector_input(f, 512)) for f in frames])
"""


def same_on_avx2(model: Path, images: list[Path]) -> str:
    """The detector's outputs on this CPU's kernels and on oneDNN's AVX2 ones (no VNNI)."""
    outputs = []
    with tempfile.TemporaryDirectory() as tmp:
        for isa in ("", "AVX2"):
            env = {k: v for k, v in os.environ.items() if k != "ONEDNN_MAX_CPU_ISA"}
            env |= {"ONEDNN_MAX_CPU_ISA": isa} if isa else {}
            out = Path(tmp) / f"heads{isa}.npz"
            command = [sys.executable, "-c", _HEADS, str(model), str(out), *map(str, images)]
            subprocess.run(command, env=env, check=True, cwd=Path(__file__).parents[1])
            with np.load(out) as saved:
                outputs.append([saved[k] for k in saved.files])
    same = sum(np.array_equal(a, b) for a, b in zip(*outputs, strict=True))
    worst = max(float(np.abs(a - b).max()) for a, b in zip(*outputs, strict=True))
    return f"{same}/{len(images)} frames give the same bits (largest difference {worst:g})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = Path(os.environ.get("GTV_SHARED", Path(__file__).parents[2] / "shared"))
    parser.add_argument("--shared", type=Path, default=default_shared)
    parser.add_argument(
        "--int8", type=Path, default=None, help="an INT8 detector (default: shipped)"
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    data = args.shared / "datasets" / "openalpr"
    frames = [
        f for p in sorted((data / "br-dev").glob("*.jpg")) if (f := cv2.imread(str(p))) is not None
    ]
    if not frames:
        parser.error(f"no br-dev frames under {data} (set --shared or GTV_SHARED)")
    readers = {
        "f32": PlateReader(OpenVinoConfig(threads=args.threads)),
        "int8": PlateReader(OpenVinoConfig(threads=args.threads, precision="int8"),
                            detector=args.int8),
    }  # fmt: skip
    for name, reader in readers.items():
        kib = reader.detector_path.stat().st_size // 1024
        print(f"{name:5} {reader.detector_path} ({kib} KiB)")
    f32 = readers["f32"]
    images = sorted((data / "br-dev").glob("*.jpg"))
    print("br-dev, this CPU's kernels against AVX2's (ONEDNN_MAX_CPU_ISA=AVX2):")
    for name, reader in readers.items():
        print(f"  {name:5} {same_on_avx2(reader.detector_path, images)}")
    print("eu/us scenes held out of calibration:")
    for name, reader in readers.items():
        print(f"  {name:5} {held_out_boxes(reader, data)}")
    square = detector_input(np.zeros((1280, 1280, 3), np.uint8), f32.detect_size)
    detectors = {name: r.backend.compile(r.detector_path) for name, r in readers.items()}
    alone: dict[str, list[float]] = {name: [] for name in readers}
    for _ in range(args.rounds * 50):
        for name, detector in detectors.items():
            alone[name].append(_timed(detector.run, square))
    print(f"detector alone, 512 x 512, OpenVINO CPU threads={args.threads}:")
    for name, samples in alone.items():
        print(f"  {name:5} {_p50_p95(samples)}")

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
