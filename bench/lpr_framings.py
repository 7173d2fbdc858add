"""What each plate framing costs: the shipped framings against other sets, frame by frame.

Every br-dev frame (then the 2-plate demo frame) is read once with each set of framings, in
alternating order, in one process with the same models: a busy VM slows both alike, which
separate runs minutes apart do not (this VM's timings move by ±5 ms across an hour). Prints
end-to-end p50/p95, the stages' p50 and the recogniser crops per frame for each set.

    .venv/bin/python bench/lpr_framings.py [--shared ../shared] [--threads 2] [--rounds 4]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gtvision.inference import reader as reader_module
from gtvision.inference.backends import OpenVinoConfig
from gtvision.inference.reader import PlateReader
from gtvision.inference.synth.demo import demo_scene

Framings = tuple[tuple[float, float], ...]
SETS: dict[str, Framings] = {
    "shipped": reader_module.FRAMINGS,
    "tight, 5 %, 10 %": ((0.0, 0.0), (0.05, 0.04), (0.10, 0.06)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = Path(os.environ.get("GTV_SHARED", Path(__file__).parents[2] / "shared"))
    parser.add_argument("--shared", type=Path, default=default_shared)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    folder = args.shared / "datasets" / "openalpr" / "br-dev"
    if not folder.is_dir():
        raise SystemExit(f"no br-dev at {folder}: set --shared or GTV_SHARED")
    frames: list[npt.NDArray[np.uint8]] = [
        np.asarray(cv2.imread(str(p)), np.uint8) for p in sorted(folder.glob("*.jpg"))
    ]
    reader = PlateReader(OpenVinoConfig(threads=args.threads))
    crops: list[int] = []
    recognize = reader.recognize

    def counted(batch: list[npt.NDArray[np.uint8]]) -> list[npt.NDArray[np.float32]]:
        crops.append(len(batch))
        return recognize(batch)

    setattr(reader, "recognize", counted)  # noqa: B010 (count the crops of each call)
    for frame in frames[:8]:  # warm-up
        reader.read(frame)
    demo = demo_scene()
    real: dict[str, list[float]] = {name: [] for name in SETS}
    on_demo: dict[str, list[float]] = {name: [] for name in SETS}
    stages: dict[str, dict[str, list[float]]] = {name: {} for name in SETS}
    per_frame: dict[str, list[int]] = {name: [] for name in SETS}
    for r in range(args.rounds):
        for j, frame in enumerate([*frames, *[demo] * 32]):
            names = list(SETS) if (j + r) % 2 else list(SETS)[::-1]
            for name in names:
                reader_module.FRAMINGS = SETS[name]
                crops.clear()
                started = time.perf_counter()
                result = reader.read(frame)
                ms = (time.perf_counter() - started) * 1e3
                if j >= len(frames):
                    on_demo[name].append(ms)
                    continue
                real[name].append(ms)
                per_frame[name].append(sum(crops))
                for stage, value in result.timings_ms.items():
                    stages[name].setdefault(stage, []).append(value)
    print(f"br-dev ({len(frames)} frames x {args.rounds}), OpenVINO CPU threads={args.threads}")
    for name, framings in SETS.items():
        p50 = {s: round(statistics.median(v), 2) for s, v in stages[name].items()}
        print(
            f"{name:18s} {framings}\n  end to end p50 {statistics.median(real[name]):.1f} ms, "
            f"p95 {np.percentile(real[name], 95):.1f} ms; demo frame p50 "
            f"{statistics.median(on_demo[name]):.1f} ms; crops/frame "
            f"{statistics.mean(per_frame[name]):.2f}\n  stages p50 {p50}"
        )


if __name__ == "__main__":
    main()
