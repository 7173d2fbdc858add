"""End-to-end evaluation over a folder in the openalpr benchmark layout.

One `.txt` per image: `image x y w h PLATE` (tab-separated). A plate counts as read when a
detection overlaps the labelled box with IoU ≥ 0.5 and its text equals the label; characters
are compared slot by slot. A file that cannot be read is reported and the run carries on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from gtvision.inference.reader import Box, Detection, Frame, PlateReader


def load_image(path: str | Path) -> Frame | None:
    """A BGR image, or None for a file that is missing, empty or no image. Decoded from its
    bytes: ``cv2.imread`` prints its own warning line for each of those before ours."""
    try:
        data = np.fromfile(path, np.uint8)
    except OSError:
        return None
    if data.size == 0:
        return None
    frame = cv2.imdecode(data, cv2.IMREAD_COLOR)
    return None if frame is None else np.asarray(frame, np.uint8)


@dataclass(frozen=True, slots=True)
class LabelledImage:
    image: Path
    box: Box
    plate: str


@dataclass(slots=True)
class Evaluation:
    images: int = 0
    exact: int = 0
    exact_from_box: int = 0
    chars_right: int = 0
    chars_total: int = 0
    detected: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    misses: list[tuple[str, str]] = field(default_factory=list)

    def summary(self, backend: str, device: str, model: str) -> dict[str, object]:
        n = max(1, self.images)
        lat = np.array(self.latencies_ms or [0.0])
        return {
            "images": self.images,
            "exact_match": round(self.exact / n, 4),
            "exact_match_from_box": round(self.exact_from_box / n, 4),
            "char_accuracy": round(self.chars_right / max(1, self.chars_total), 4),
            "detection_recall": round(self.detected / n, 4),
            "latency_ms": {
                "p50": round(float(np.percentile(lat, 50)), 2),
                "p95": round(float(np.percentile(lat, 95)), 2),
            },
            "backend": backend,
            "device": device,
            "model": model,
            "errors": self.errors,
        }


def iou(a: Box, b: Box) -> float:
    ax1, ay1, bx1, by1 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    iw = max(0.0, min(ax1, bx1) - max(a[0], b[0]))
    ih = max(0.0, min(ay1, by1) - max(a[1], b[1]))
    inter = iw * ih
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def labelled_images(folder: Path) -> Iterator[LabelledImage | str]:
    """Each labelled image, or an error message for a label file that cannot be used."""
    for label in sorted(folder.glob("*.txt")):
        parts = label.read_text(errors="replace").strip().split("\t")
        if len(parts) < 6:
            yield f"{label.name}: expected 'image x y w h PLATE', got {label.read_text()[:60]!r}"
            continue
        try:
            box = (float(parts[1]), float(parts[2]), float(parts[3]), float(parts[4]))
        except ValueError:
            yield f"{label.name}: box is not four numbers"
            continue
        yield LabelledImage(folder / parts[0], box, parts[5].upper())


def char_matches(read: str, truth: str) -> int:
    return sum(a == b for a, b in zip(read, truth, strict=False))


def evaluate(reader: PlateReader, folder: Path) -> Evaluation:
    result = Evaluation()
    for item in labelled_images(folder):
        if isinstance(item, str):
            result.errors.append(item)
            continue
        frame = load_image(item.image)
        if frame is None:
            result.errors.append(f"{item.image.name}: not a readable image")
            continue
        result.images += 1
        started = time.perf_counter()
        reads = reader.read(frame).reads
        result.latencies_ms.append((time.perf_counter() - started) * 1e3)
        match = max(reads, key=lambda r: iou(r.box, item.box), default=None)
        text = ""
        if match is not None and iou(match.box, item.box) >= 0.5:
            result.detected += 1
            text = match.text
        result.exact += text == item.plate
        result.chars_right += char_matches(text, item.plate)
        result.chars_total += len(item.plate)
        from_box = reader.read_boxes(frame, [Detection(item.box, 1.0)])[0].text
        result.exact_from_box += from_box == item.plate
        if text != item.plate:
            result.misses.append((item.plate, text))
    return result
