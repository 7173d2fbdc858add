"""`PlateReader`: a BGR frame in, plate reads out — detect, crop, recognise, decode.

Stages are timed per frame. Recognition is batched across every plate of every frame handed in
together, so a worker serving several cameras pays one recogniser call per tick. All inference
is synchronous and thread-safe; `read_async` runs it in a worker thread so the event loop never
waits on a model.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from gtvision.inference.backends import CudaConfig, OpenVinoConfig, create_backend
from gtvision.inference.backends.base import CompiledModel
from gtvision.inference.formats import Decoded, decode, formats_for
from gtvision.inference.models import (
    BUILTIN_DETECTOR,
    RecognizerModel,
    builtin_dir,
    check_recognizer_output,
    resolve_recognizer,
)

Frame = npt.NDArray[np.uint8]
Box = tuple[float, float, float, float]  # x, y, w, h in frame pixels
Point = tuple[float, float]

DETECTOR_STRIDE = 8
# The reader frames a detected plate with this margin (fraction of the box) before recognition;
# the recogniser was trained on crops framed the same way (see synth/degrade.py).
CROP_MARGIN_X = 0.06
CROP_MARGIN_Y = 0.12
# Plates narrower than this (width / height) are two-row: motorcycle plates.
TWO_ROW_ASPECT = 1.9


@dataclass(frozen=True, slots=True)
class Detection:
    box: Box
    score: float


@dataclass(frozen=True, slots=True)
class PlateRead:
    text: str
    confidence: float
    char_confidences: tuple[float, ...]
    format: str
    box: Box
    polygon: tuple[Point, Point, Point, Point]
    detection_score: float


@dataclass(slots=True)
class FrameReads:
    reads: list[PlateRead]
    timings_ms: dict[str, float] = field(default_factory=dict)


def crop_plate(frame: Frame, box: Box, width: int, height: int, grey: bool) -> Frame:
    """The box grown by the reader's margin, resampled to the recogniser's input (one warp)."""
    x, y, w, h = box
    x0, y0 = x - w * CROP_MARGIN_X, y - h * CROP_MARGIN_Y
    x1, y1 = x + w * (1 + CROP_MARGIN_X), y + h * (1 + CROP_MARGIN_Y)
    matrix = np.array(
        [[width / (x1 - x0), 0, -x0 * width / (x1 - x0)],
         [0, height / (y1 - y0), -y0 * height / (y1 - y0)]], np.float32,
    )  # fmt: skip
    src = frame
    scale = (x1 - x0) / width
    if scale > 2.0:  # shrink first so the warp does not alias fine strokes
        f = 1.0 / scale * 1.5
        src = cv2.resize(frame, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        matrix[:, :2] /= f
    out = cv2.warpAffine(src, matrix, (width, height), flags=cv2.INTER_LINEAR,
                         borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    if grey:
        return np.asarray(cv2.cvtColor(out, cv2.COLOR_BGR2GRAY)[..., None], np.uint8)
    return np.asarray(cv2.cvtColor(out, cv2.COLOR_BGR2RGB), np.uint8)


def find_peaks(
    heads: npt.NDArray[np.float32], threshold: float, scale: tuple[float, float]
) -> list[Detection]:
    """Boxes at the heat map's 3 x 3 local maxima above `threshold`, in frame pixels."""
    heat = heads[0]
    peaks = (heat >= threshold) & (heat == cv2.dilate(heat, np.ones((3, 3), np.uint8)))
    found = []
    for iy, ix in zip(*np.nonzero(peaks), strict=True):
        dx, dy, lw, lh = heads[1:5, iy, ix]
        cx, cy = (ix + float(dx)) * DETECTOR_STRIDE, (iy + float(dy)) * DETECTOR_STRIDE
        w, h = float(np.exp(lw)) * DETECTOR_STRIDE, float(np.exp(lh)) * DETECTOR_STRIDE
        found.append(Detection(
            ((cx - w / 2) * scale[0], (cy - h / 2) * scale[1], w * scale[0], h * scale[1]),
            float(heat[iy, ix]),
        ))  # fmt: skip
    return sorted(found, key=lambda d: -d.score)


class PlateReader:
    """Detector + recogniser on one backend; cheap to call from many threads."""

    def __init__(
        self,
        backend: OpenVinoConfig | CudaConfig | None = None,
        *,
        recognizer: RecognizerModel | None = None,
        detector: Path | None = None,
        regions: list[str] | None = None,
        detect_size: int = 512,
        threshold: float = 0.3,
    ) -> None:
        self.backend = create_backend(backend or OpenVinoConfig())
        self.recognizer_model = recognizer or resolve_recognizer(None, None)
        self.detector_path = detector or builtin_dir() / BUILTIN_DETECTOR
        self.formats = formats_for(regions if regions is not None else ["br"])
        self.detect_size = detect_size
        self.threshold = threshold
        self._detector: CompiledModel = self.backend.compile(self.detector_path)
        self._recognizer: CompiledModel = self.backend.compile(self.recognizer_model.path)
        cfg = self.recognizer_model.config
        probe = self._recognizer.run(
            np.zeros((1, cfg.img_height, cfg.img_width, cfg.channels), np.uint8)
        )
        check_recognizer_output(self.recognizer_model, int(np.prod(probe.shape[1:])))

    @property
    def device(self) -> str:
        return self.backend.device

    def detect(self, frame: Frame) -> list[Detection]:
        if frame.ndim != 3 or frame.shape[2] != 3:
            raise ValueError(f"expected a BGR frame of H x W x 3, got shape {frame.shape}")
        h, w = frame.shape[:2]
        s = self.detect_size / max(h, w)
        nw, nh = max(32, round(w * s / 32) * 32), max(32, round(h * s / 32) * 32)
        small = cv2.resize(frame, (nw, nh), interpolation=cv2.INTER_AREA)
        rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB)[None]
        heads = self._detector.run(rgb)[0]
        return find_peaks(heads, self.threshold, (w / nw, h / nh))

    def recognize(self, crops: list[Frame]) -> list[npt.NDArray[np.float32]]:
        """Per-slot probabilities for each crop (already framed and sized), in one batch."""
        if not crops:
            return []
        cfg = self.recognizer_model.config
        if self._recognizer.input_shape[:1] == (1,):  # a model exported with a fixed batch of 1
            out = np.concatenate([self._recognizer.run(c[None]) for c in crops])
        else:
            out = self._recognizer.run(np.stack(crops))
        return list(out.reshape(len(crops), cfg.max_plate_slots, len(cfg.alphabet)))

    def read_boxes(self, frame: Frame, detections: list[Detection]) -> list[PlateRead]:
        """Recognise plates at known boxes (from the detector, or labels in an evaluation)."""
        cfg = self.recognizer_model.config
        crops = [crop_plate(frame, d.box, cfg.img_width, cfg.img_height, cfg.channels == 1)
                 for d in detections]  # fmt: skip
        return [self._to_read(d, p) for d, p in zip(detections, self.recognize(crops), strict=True)]

    def _to_read(self, det: Detection, probs: npt.NDArray[np.float32]) -> PlateRead:
        cfg = self.recognizer_model.config
        x, y, w, h = det.box
        decoded: Decoded = decode(probs, cfg.alphabet, cfg.pad_char, self.formats,
                                  two_row=(w / max(h, 1e-6)) < TWO_ROW_ASPECT)  # fmt: skip
        if decoded.format == "free" and self.formats:  # no layout match: try any layout
            decoded = decode(probs, cfg.alphabet, cfg.pad_char, self.formats)
        polygon = ((x, y), (x + w, y), (x + w, y + h), (x, y + h))
        return PlateRead(decoded.text, decoded.confidence, decoded.char_confidences,
                         decoded.format, det.box, polygon, det.score)  # fmt: skip

    def read(self, frame: Frame) -> FrameReads:
        return self.read_batch([frame])[0]

    def read_batch(self, frames: list[Frame]) -> list[FrameReads]:
        """Detect per frame, then recognise every plate of every frame in one batch."""
        results: list[FrameReads] = []
        all_crops: list[Frame] = []
        owners: list[tuple[int, Detection]] = []
        cfg = self.recognizer_model.config
        for i, frame in enumerate(frames):
            t0 = time.perf_counter()
            dets = self.detect(frame)
            t1 = time.perf_counter()
            for d in dets:
                all_crops.append(crop_plate(frame, d.box, cfg.img_width, cfg.img_height,
                                            cfg.channels == 1))  # fmt: skip
                owners.append((i, d))
            t2 = time.perf_counter()
            results.append(FrameReads([], {"detect": (t1 - t0) * 1e3, "crop": (t2 - t1) * 1e3}))
        t3 = time.perf_counter()
        probs = self.recognize(all_crops)
        t4 = time.perf_counter()
        for (i, det), p in zip(owners, probs, strict=True):
            results[i].reads.append(self._to_read(det, p))
        t5 = time.perf_counter()
        for r in results:
            r.timings_ms["recognize"] = (t4 - t3) * 1e3 / max(1, len(frames))
            r.timings_ms["decode"] = (t5 - t4) * 1e3 / max(1, len(frames))
            r.timings_ms["total"] = sum(r.timings_ms.values())
        return results

    async def read_async(self, frame: Frame) -> FrameReads:
        return await asyncio.to_thread(self.read, frame)

    async def read_batch_async(self, frames: list[Frame]) -> list[FrameReads]:
        return await asyncio.to_thread(self.read_batch, frames)


__all__ = ["Detection", "FrameReads", "PlateRead", "PlateReader", "crop_plate"]
