"""LPR robustness: br-dev read end to end, clean and under what street cameras do to a plate.

Conditions (each image, its labelled box moved with it): clean; JPEG quality 30; half size;
Gaussian blur sigma 1.5; brightness -40 %; rotated 10 degrees; and 4-plate composites (four
br-dev images letterboxed into one 1280x720 frame, as a wide street camera sees several cars).
For each: exact reads (the read whose box overlaps the plate, IoU >= 0.3 or centre inside, has
the right text), plates found, and reads that overlap no labelled plate ("spurious": a real
but unlabelled plate in a scene counts here too), all of them and those the service would keep
(confidence at least its ``lpr_min_confidence``). ``--model NAME`` evaluates a recogniser added
with ``gtvision-lpr models add`` (or an ``.onnx`` path) behind the shipped detector.

    .venv/bin/python bench/lpr_robust.py [--shared ../shared] [--model NAME] [--threads 0]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gtvision.inference.backends import OpenVinoConfig
from gtvision.inference.evaluation import LabelledImage, iou, labelled_images
from gtvision.inference.models import resolve_recognizer
from gtvision.inference.reader import PlateReader
from gtvision.services.settings import Settings

Box = tuple[float, float, float, float]
Image = np.ndarray
Scene = tuple[Image, list[tuple[Box, str]]]  # a frame and its labelled plates
MIN_CONFIDENCE: float = Settings.model_fields["lpr_min_confidence"].default


@dataclass
class Tally:
    plates: int = 0
    found: int = 0
    exact: int = 0
    spurious: int = 0
    spurious_kept: int = 0  # of those, what the service would store
    frames: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def row(self, name: str) -> str:
        p50 = float(np.median(self.latencies_ms)) if self.latencies_ms else 0.0
        exact = f"{self.exact}/{self.plates} ({100 * self.exact / self.plates:5.1f} %)"
        found = f"{100 * self.found / self.plates:5.1f} %"
        spurious = f"{self.spurious} ({self.spurious_kept})"
        return f"| {name:<22} | {exact:<20} | {found} | {spurious:>12} | {p50:6.1f} |"


def _centre_inside(read: Box, label: Box) -> bool:
    cx, cy = read[0] + read[2] / 2, read[1] + read[3] / 2
    return label[0] <= cx <= label[0] + label[2] and label[1] <= cy <= label[1] + label[3]


def _matches(read: Box, label: Box) -> bool:
    return iou(read, label) >= 0.3 or _centre_inside(read, label)


def jpeg(quality: int) -> Callable[[Image, Box], tuple[Image, Box]]:
    def apply(image: Image, box: Box) -> tuple[Image, Box]:
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
        decoded = cv2.imdecode(data, cv2.IMREAD_COLOR) if ok else None
        assert decoded is not None
        return decoded, box

    return apply


def half(image: Image, box: Box) -> tuple[Image, Box]:
    h, w = image.shape[:2]
    small = cv2.resize(image, (w // 2, h // 2), interpolation=cv2.INTER_AREA)
    return small, (box[0] / 2, box[1] / 2, box[2] / 2, box[3] / 2)


def blur(image: Image, box: Box) -> tuple[Image, Box]:
    return cv2.GaussianBlur(image, (0, 0), 1.5), box


def darker(image: Image, box: Box) -> tuple[Image, Box]:
    return cv2.convertScaleAbs(image, alpha=0.6, beta=0), box


def rotated(degrees: float) -> Callable[[Image, Box], tuple[Image, Box]]:
    def apply(image: Image, box: Box) -> tuple[Image, Box]:
        h, w = image.shape[:2]
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
        turned = cv2.warpAffine(image, matrix, (w, h), borderMode=cv2.BORDER_REPLICATE)
        x, y, bw, bh = box
        corners = np.array([[x, y, 1], [x + bw, y, 1], [x, y + bh, 1], [x + bw, y + bh, 1]])
        moved = corners @ matrix.T
        x0, y0 = moved.min(axis=0)
        x1, y1 = moved.max(axis=0)
        return turned, (float(x0), float(y0), float(x1 - x0), float(y1 - y0))

    return apply


def single(items: list[LabelledImage], change: Callable[[Image, Box], tuple[Image, Box]]
           ) -> Iterator[Scene]:  # fmt: skip
    for item in items:
        image = cv2.imread(str(item.image))
        assert image is not None, item.image
        changed, box = change(image, item.box)
        yield changed, [(box, item.plate)]


def composites(items: list[LabelledImage], size: tuple[int, int] = (1280, 720)) -> Iterator[Scene]:
    """Four images letterboxed into the quarters of one frame."""
    w, h = size
    cw, ch = w // 2, h // 2
    for start in range(0, len(items) - 3, 4):
        frame = np.zeros((h, w, 3), np.uint8)
        labels: list[tuple[Box, str]] = []
        for k, item in enumerate(items[start : start + 4]):
            image = cv2.imread(str(item.image))
            assert image is not None
            ih, iw = image.shape[:2]
            scale = min(cw / iw, ch / ih)
            nw, nh = int(iw * scale), int(ih * scale)
            ox, oy = (k % 2) * cw + (cw - nw) // 2, (k // 2) * ch + (ch - nh) // 2
            frame[oy : oy + nh, ox : ox + nw] = cv2.resize(image, (nw, nh),
                                                          interpolation=cv2.INTER_AREA)  # fmt: skip
            x, y, bw, bh = item.box
            labels.append(((ox + x * scale, oy + y * scale, bw * scale, bh * scale), item.plate))
        yield frame, labels


def conditions(items: list[LabelledImage]) -> list[tuple[str, Iterator[Scene]]]:
    """The seven conditions, each a stream of scenes made as it is read."""
    return [
        ("clean", single(items, lambda i, b: (i, b))),
        ("JPEG q30", single(items, jpeg(30))),
        ("half size", single(items, half)),
        ("blur sigma 1.5", single(items, blur)),
        ("brightness -40 %", single(items, darker)),
        ("rotated 10 deg", single(items, rotated(10.0))),
        ("4-plate composite", composites(items)),
    ]


def run(reader: PlateReader, scenes: Iterator[Scene]) -> Tally:
    tally = Tally()
    for frame, labels in scenes:
        started = time.perf_counter()
        reads = reader.read(frame).reads
        tally.latencies_ms.append((time.perf_counter() - started) * 1000)
        tally.frames += 1
        used: set[int] = set()
        for box, plate in labels:
            tally.plates += 1
            candidates = [(i, r) for i, r in enumerate(reads) if _matches(r.box, box)]
            if not candidates:
                tally.misses.append(f"{plate}→∅")
                continue
            i, read = max(candidates, key=lambda c: iou(c[1].box, box))
            used.add(i)
            tally.found += 1
            if read.text == plate:
                tally.exact += 1
            else:
                tally.misses.append(f"{plate}→{read.text}")
        spurious = [
            r for i, r in enumerate(reads)
            if i not in used and not any(_matches(r.box, box) for box, _ in labels)
        ]  # fmt: skip
        tally.spurious += len(spurious)
        tally.spurious_kept += sum(r.confidence >= MIN_CONFIDENCE for r in spurious)
    return tally


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_shared = Path(os.environ.get("GTV_SHARED", Path(__file__).parents[2] / "shared"))
    parser.add_argument("--shared", type=Path, default=default_shared)
    parser.add_argument("--model", default=None, help="a recogniser added with `models add`")
    parser.add_argument("--models-dir", type=Path, default=None)
    parser.add_argument("--detector", type=Path, default=None, help="a detector .onnx to judge")
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--misses", action="store_true", help="list what each condition missed")
    args = parser.parse_args()
    folder = args.shared / "datasets" / "openalpr" / "br-dev"
    if not folder.is_dir():
        raise SystemExit(f"no br-dev at {folder}: set --shared or GTV_SHARED")
    items = [i for i in labelled_images(folder) if isinstance(i, LabelledImage)]
    models_dir = args.models_dir
    if args.model and models_dir is None:
        from gtvision.inference.models import default_models_dir

        models_dir = default_models_dir()
    reader = PlateReader(
        OpenVinoConfig(threads=args.threads),
        recognizer=resolve_recognizer(args.model, models_dir),
        detector=args.detector,
    )
    reader.read(np.zeros((720, 1280, 3), np.uint8))  # compiled before timing
    name = args.model or "shipped (br_recognizer)"
    detector = args.detector or "shipped (plate_detector)"
    print(f"br-dev, {len(items)} images, recogniser: {name}, detector: {detector}, "
          f"OpenVINO CPU threads={args.threads}")  # fmt: skip
    print(f"spurious: reads off any labelled plate (those at confidence >= {MIN_CONFIDENCE}, "
          "which the service keeps)")  # fmt: skip
    print("| condition              | exact                | found   | spurious     | p50 ms |")
    print("|---|---|---|---|---|")
    for label, scenes in conditions(items):
        tally = run(reader, scenes)
        print(tally.row(label), flush=True)
        if args.misses:
            print("    missed:", " ".join(tally.misses))


if __name__ == "__main__":
    main()
