"""LPR engine benchmark: accuracy and latency on br-dev, per-stage timings, throughput by batch.

    .venv/bin/python bench/lpr.py [--shared ../shared] [--threads 2] [--backend openvino|cuda]
                                  [--precision f32|bf16|device]

Prints the eval summary for our models (and for the reference fast-plate-ocr recogniser behind
our detector, when the shared data has it), then frames/s by batch size on a 1280 x 720 frame.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gtvision.inference.backends import CudaConfig, OpenVinoConfig
from gtvision.inference.evaluation import evaluate
from gtvision.inference.models import recognizer_from
from gtvision.inference.reader import PlateReader
from gtvision.inference.synth.demo import demo_scene


def main() -> None:
    parser = argparse.ArgumentParser()
    default_shared = Path(__file__).parents[1] / ".." / "shared"
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("GTV_SHARED", default_shared))
    )
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--backend", choices=["openvino", "cuda"], default="openvino")
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--precision", choices=["f32", "bf16", "f16", "device"], default=None)
    args = parser.parse_args()
    backend: CudaConfig | OpenVinoConfig = (
        CudaConfig()
        if args.backend == "cuda"
        else OpenVinoConfig(threads=args.threads, precision=args.precision)
    )

    reader = PlateReader(backend)
    br_dev = args.shared / "datasets" / "openalpr" / "br-dev"
    if br_dev.is_dir():
        result = evaluate(reader, br_dev)
        print("ours:", json.dumps(result.summary(args.backend, reader.device, "br_recognizer")))
        print("misses:", result.misses)
        stages: dict[str, list[float]] = {}
        for label in sorted(br_dev.glob("*.jpg"))[:32]:
            frame = cv2.imread(str(label))
            assert frame is not None
            for key, value in reader.read(frame).timings_ms.items():
                stages.setdefault(key, []).append(value)
        print("stage p50 ms:", {k: round(float(np.median(v)), 2) for k, v in stages.items()})
        reference = args.shared / "models" / "fast-plate-ocr" / "cct_xs_v1_global.onnx"
        if reference.is_file():
            ref = PlateReader(backend, recognizer=recognizer_from(reference))
            ref_result = evaluate(ref, br_dev)
            print(
                "reference recogniser:",
                json.dumps(ref_result.summary(args.backend, ref.device, reference.stem)),
            )
    else:
        print(f"no br-dev at {br_dev}: accuracy skipped")

    frame = demo_scene()
    for batch in (1, 2, 4, 8):
        frames = [frame] * batch
        reader.read_batch(frames)
        lat, started = [], time.perf_counter()
        while time.perf_counter() - started < args.seconds:
            t0 = time.perf_counter()
            reader.read_batch(frames)
            lat.append((time.perf_counter() - t0) * 1e3)
        total = time.perf_counter() - started
        print(
            f"batch {batch}: {len(lat) * batch / total:6.1f} frames/s, "
            f"p50 {np.percentile(lat, 50):.1f} ms, p95 {np.percentile(lat, 95):.1f} ms per call"
        )


if __name__ == "__main__":
    main()
