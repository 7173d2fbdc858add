"""`PlateReader`: a BGR frame in, plate reads out — detect, crop, recognise, decode.

Stages are timed per frame. Recognition is batched across every plate of every frame handed in
together, so a worker serving several cameras pays one recogniser call per tick. All inference
is synchronous and thread-safe; `read_async` runs it in a worker thread so the event loop never
waits on a model.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from gtvision.inference.backends import CudaConfig, OpenVinoConfig, create_backend
from gtvision.inference.backends.base import CompiledModel
from gtvision.inference.formats import Decoded, decode, formats_for
from gtvision.inference.models import (
    BUILTIN_DETECTOR,
    BUILTIN_DETECTOR_INT8,
    ModelError,
    RecognizerModel,
    builtin_dir,
    check_recognizer_output,
    resolve_recognizer,
)

Frame = npt.NDArray[np.uint8]
Box = tuple[float, float, float, float]  # x, y, w, h in frame pixels
Point = tuple[float, float]
Outline = tuple[Point, Point, Point, Point]

DETECTOR_STRIDE = 8
# The reader frames a detected plate with this margin (fraction of the box) before recognition;
# the recogniser was trained on crops framed the same way (see synth/degrade.py).
CROP_MARGIN_X = 0.06
CROP_MARGIN_Y = 0.12
# Each plate is also read from a wider frame: a detector box that cuts off the first or last
# character gives a confident-looking but wrong reading only in the tight frame, and the
# reading the recogniser is surest of (product of its characters' confidences) is kept. On real
# plates the detector's box runs narrow (br-dev: median 94 % of the labelled width, a tenth
# under 87 %; on synthetic ones 102 %), hence the wide frame is 10 % wider each side. Each
# framing is a recogniser crop (1.8 ms on 2 cores): a frame 5 % wider in between, read as well,
# gained nothing (br-dev's seven conditions: 414 of 448 read right without it, 411 with it;
# synthetic scenes alike within 2 of 1 200).
FRAMINGS: tuple[tuple[float, float], ...] = ((0.0, 0.0), (0.10, 0.06))
# A tilted plate (a sloping street, a camera mounted askew) is also read straightened by its
# estimated roll: the recogniser learnt roll up to ±15 degrees, the search reaches ±22.
ROLL_SEARCH_DEG = tuple(float(a) for a in range(-22, 23, 2))
ROLL_MIN_DEG = 4.0  # below this the recogniser reads the plate as it is
# Plates narrower than this (width / height) are two-row: motorcycle plates.
TWO_ROW_ASPECT = 1.9
# The detector learnt plates 28-200 px wide at its input; at the low end it finds them but its
# box and turn are rough (four plates in a 1280 x 720 frame are 20-57 px wide at 512 px, and
# were read 69 % exactly against 88 % alone), or it is unsure of them (distant plates in a
# 1920 x 1080 frame). A plate found narrower than SECOND_LOOK_BELOW_PX, down to a score of
# SECOND_LOOK_PROPOSAL, is detected again in a SECOND_LOOK_SIDE window of the full frame zoomed
# so that it is SECOND_LOOK_WIDTH_PX wide, the middle of what the detector learnt: found there, it
# takes that detection and is read from both looks (the surest reading wins); not found, it
# stays as it was if the first pass was sure of it. One the first pass was unsure of must be
# found with SECOND_LOOK_CONFIRM (at 0.3 badges and lamps got through: br-dev's clean frames
# gave 10 more reads off any labelled plate, 0.5 gives 3).
# At most SECOND_LOOK_MAX windows per frame (the surest), run as one batch.
SECOND_LOOK_BELOW_PX = 60.0
SECOND_LOOK_WIDTH_PX = 100.0
SECOND_LOOK_SIDE = 192
SECOND_LOOK_PROPOSAL = 0.15
SECOND_LOOK_CONFIRM = 0.5
SECOND_LOOK_MAX = 8


@dataclass(frozen=True, slots=True)
class Turned:
    """A plate as a detector with a turn head sees it: centre, level size and the turn (degrees,
    as :func:`crop_plate` takes it) that levels it."""

    cx: float
    cy: float
    width: float
    height: float
    turn_deg: float

    def framed(self, gx: float, gy: float) -> Turned:
        """The same plate framed wider by ``gx``, ``gy`` of its size on each side."""
        return Turned(self.cx, self.cy, self.width * (1 + 2 * gx), self.height * (1 + 2 * gy),
                      self.turn_deg)  # fmt: skip

    @property
    def box(self) -> Box:
        """The axis-aligned box around it."""
        c, s = (
            abs(math.cos(math.radians(self.turn_deg))),
            abs(math.sin(math.radians(self.turn_deg))),
        )
        bw, bh = self.width * c + self.height * s, self.width * s + self.height * c
        return self.cx - bw / 2, self.cy - bh / 2, bw, bh

    @property
    def corners(self) -> Outline:
        """Top-left, top-right, bottom-right, bottom-left of the plate, in the frame."""
        back = cv2.invertAffineTransform(
            cv2.getRotationMatrix2D((self.cx, self.cy), self.turn_deg, 1.0)
        )
        x0, x1 = self.cx - self.width / 2, self.cx + self.width / 2
        y0, y1 = self.cy - self.height / 2, self.cy + self.height / 2
        level = np.array([[x0, y0, 1], [x1, y0, 1], [x1, y1, 1], [x0, y1, 1]])
        (ax, ay), (bx, by), (qx, qy), (dx, dy) = (level @ back.T).tolist()
        return (ax, ay), (bx, by), (qx, qy), (dx, dy)


@dataclass(frozen=True, slots=True)
class Detection:
    box: Box
    score: float
    turned: Turned | None = None  # where the detector measures the plate's turn
    # The first pass's plate, where a second look replaced it: read too, the surest reading wins.
    first_look: Turned | None = None


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


def upright_size(box: Box, roll_deg: float) -> tuple[float, float] | None:
    """The size of a plate tilted by ``roll_deg`` whose axis-aligned box is ``box``; None when
    no plate of that tilt fits (a box too flat for it)."""
    _, _, bw, bh = box
    c, s = math.cos(math.radians(abs(roll_deg))), math.sin(math.radians(abs(roll_deg)))
    det = c * c - s * s
    w, h = (bw * c - bh * s) / det, (bh * c - bw * s) / det
    if w <= 0 or h < 0.25 * bh:
        return None
    return w, h


def turned_outline(box: Box, roll_deg: float) -> Outline:
    """The corners of the plate read straightened by ``roll_deg`` (see :func:`crop_plate`), in
    the frame: the tilted rectangle inside ``box``, for overlays that follow the plate."""
    x, y, bw, bh = box
    w, h = upright_size(box, roll_deg) or (bw, bh)
    return Turned(x + bw / 2, y + bh / 2, w, h, roll_deg).corners


def crop_plate(
    frame: Frame, box: Box | Turned, width: int, height: int, grey: bool, roll_deg: float = 0.0
) -> Frame:
    """The plate in ``box``, turned by ``roll_deg`` (to straighten a tilted plate; a
    :class:`Turned` plate by its own turn), grown by the reader's margin and resampled to the
    recogniser's input — one warp."""
    if isinstance(box, Turned):
        cx, cy, w, h, roll_deg = box.cx, box.cy, box.width, box.height, box.turn_deg
    else:
        x, y, bw, bh = box
        cx, cy = x + bw / 2, y + bh / 2
        w, h = (bw, bh) if roll_deg == 0 else (upright_size(box, roll_deg) or (bw, bh))
    pw, ph = w * (1 + 2 * CROP_MARGIN_X), h * (1 + 2 * CROP_MARGIN_Y)
    turn = np.vstack([cv2.getRotationMatrix2D((cx, cy), roll_deg, 1.0), [0, 0, 1]])
    fit = np.array(
        [[width / pw, 0, (pw / 2 - cx) * width / pw],
         [0, height / ph, (ph / 2 - cy) * height / ph],
         [0, 0, 1]],
    )  # fmt: skip
    matrix = (fit @ turn)[:2]
    src = frame
    scale = pw / width
    if scale > 2.0:  # shrink first so the warp does not alias fine strokes (the plate only)
        fh, fw = frame.shape[:2]
        back = cv2.invertAffineTransform(matrix)
        corners = np.array([[0, 0, 1], [width, 0, 1], [0, height, 1], [width, height, 1]])
        (sx0, sy0), (sx1, sy1) = (corners @ back.T).min(axis=0), (corners @ back.T).max(axis=0)
        ix0, iy0 = min(max(0, int(sx0) - 2), fw - 1), min(max(0, int(sy0) - 2), fh - 1)
        ix1, iy1 = max(min(fw, int(sx1) + 3), ix0 + 1), max(min(fh, int(sy1) + 3), iy0 + 1)
        f = 1.0 / scale * 1.5
        src = cv2.resize(frame[iy0:iy1, ix0:ix1], None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
        matrix[:, 2] += matrix[:, :2] @ np.array([ix0, iy0], np.float64)
        matrix[:, :2] /= f
    out = cv2.warpAffine(src, matrix.astype(np.float32), (width, height),
                         flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)  # fmt: skip
    if grey:
        return np.asarray(cv2.cvtColor(out, cv2.COLOR_BGR2GRAY)[..., None], np.uint8)
    return np.asarray(cv2.cvtColor(out, cv2.COLOR_BGR2RGB), np.uint8)


def estimate_roll(frame: Frame, box: Box) -> float:
    """The turn (degrees, as ``crop_plate`` takes it) that makes the plate's rows of text level:
    the angle whose rotation gives the sharpest row profile of horizontal edges (the tops and
    bottoms of the characters, the plate's borders). Measured at the box's own proportions."""
    x, y, w, h = box
    fh, fw = frame.shape[:2]
    x0, y0 = min(max(0, int(x)), fw - 1), min(max(0, int(y)), fh - 1)
    x1, y1 = max(min(fw, int(x + w + 1)), x0 + 1), max(min(fh, int(y + h + 1)), y0 + 1)
    patch = cv2.cvtColor(frame[y0:y1, x0:x1], cv2.COLOR_BGR2GRAY)
    scale = 96.0 / patch.shape[1]
    pw, ph = 96, max(8, round(patch.shape[0] * scale))
    patch = cv2.resize(patch, (pw, ph), interpolation=cv2.INTER_AREA)
    edges = np.abs(cv2.Sobel(patch, cv2.CV_32F, 0, 1, ksize=3))
    best, best_sharpness = 0.0, -1.0
    for angle in ROLL_SEARCH_DEG:
        turn = cv2.getRotationMatrix2D((pw / 2, ph / 2), angle, 1.0)
        turn[:, 2] += 0.5  # every angle resampled alike: level (0) is not the only sharp one
        rows = cv2.warpAffine(edges, turn, (pw, ph)).sum(axis=1)
        sharpness = float(np.square(np.diff(rows)).sum())
        if sharpness > best_sharpness:
            best, best_sharpness = angle, sharpness
    return best


# Mercosur plates carry a blue band along the top; the older plates have none. Seen by a colour
# camera this settles what the glyphs alone cannot (a Mercosur 5th character I against an old
# plate's 1, a T against a 1). A camera without colour (night, IR) gives no hint.
FAMILY_PRIORS: dict[str, dict[str, float]] = {
    "mercosul": {"mercosul": 0.9, "moto-mercosul": 0.9, "antigo": 0.1, "moto-antigo": 0.1},
    "antigo": {"mercosul": 0.1, "moto-mercosul": 0.1, "antigo": 0.9, "moto-antigo": 0.9},
}
# A frame "in colour" has this share of its pixels saturated, once every 8th pixel is averaged
# with its neighbours (a monochrome frame's sensor noise averages out; br-dev's greyest scene
# has 9 %).
COLOURED_SHARE = 0.05
# The band is darker than the plate's white: blue pixels under this share of the body's
# brightness. A grey plate in blue daylight or shade is blue, but as bright as its body.
BAND_DARKER = 0.75


def sees_colour(frame: Frame) -> bool:
    """Whether the camera that took `frame` sees colour (not a night/IR picture)."""
    small = cv2.blur(np.ascontiguousarray(frame[::8, ::8]), (5, 5))  # noise averaged out
    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    return float(((hsv[..., 1] >= 40) & (hsv[..., 2] >= 40)).mean()) >= COLOURED_SHARE


def _hsv(frame: Frame, rows: tuple[float, float], cols: tuple[float, float]) -> Frame | None:
    fh, fw = frame.shape[:2]
    y0, y1 = int(max(0, rows[0])), int(min(fh, rows[1]))
    x0, x1 = int(max(0, cols[0])), int(min(fw, cols[1]))
    if y1 - y0 < 2 or x1 - x0 < 4:
        return None
    return np.asarray(cv2.cvtColor(np.ascontiguousarray(frame[y0:y1, x0:x1]), cv2.COLOR_BGR2HSV))


def _blue(hsv: Frame) -> npt.NDArray[np.bool_]:
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    return (hue >= 95) & (hue <= 130) & (sat >= 80) & (val >= 40)


def plate_family(frame: Frame, box: Box, colour: bool | None = None) -> str | None:
    """``mercosul`` (a band along the top, blue and darker than the plate, which is not blue),
    ``antigo`` (no blue on top of a well-lit plate, in a frame that shows colour), or None (no
    colour or light to judge by). `colour` is :func:`sees_colour` of the frame, when known."""
    x, y, w, h = box
    cols = (x + 0.15 * w, x + 0.85 * w)
    top = _hsv(frame, (y - 0.05 * h, y + 0.25 * h), cols)
    body = _hsv(frame, (y + 0.3 * h, y + 0.9 * h), cols)
    if top is None or body is None:
        return None
    bright = float(np.percentile(body[..., 2], 80))
    top_blue = _blue(top)
    band = float((top_blue & (top[..., 2] < BAND_DARKER * bright)).mean())
    if band > 0.25 and float(_blue(body).mean()) < 0.1:
        return "mercosul"
    dim = bright < 100  # dusk: a band would be too dark to show its blue
    if band < 0.05 and float(top_blue.mean()) < 0.1 and not dim:
        return "antigo" if (sees_colour(frame) if colour is None else colour) else None
    return None


def _certainty(decoded: Decoded, priors: dict[str, float] | None) -> float:
    """How sure a framing's reading is: the odds of the characters as the model saw them and of
    its layout (the colour prior that picked the layout inside one framing also weighs it
    against the other framings). Look-alike credit is left out, as when formats compete: with
    it, a framing that read a grey plate one slot off ('UTT6600' for 'AUT6600') won as the
    Mercosur 'UTT6G00', the 6 it saw counting for a G."""
    prior = (priors or {}).get(decoded.format.partition("/")[2], 1.0)
    return math.log(prior) + sum(math.log(max(c, 1e-9)) for c in decoded.seen)


def find_peaks(
    heads: npt.NDArray[np.float32], threshold: float, scale: tuple[float, float]
) -> list[Detection]:
    """Plates at the heat map's 3 x 3 local maxima above `threshold`, in frame pixels: a box,
    and the turned plate where the detector has a turn head (a sixth channel)."""
    heat = heads[0]
    peaks = (heat >= threshold) & (heat == cv2.dilate(heat, np.ones((3, 3), np.uint8)))
    found = []
    for iy, ix in zip(*np.nonzero(peaks), strict=True):
        dx, dy, lw, lh = heads[1:5, iy, ix]
        cx, cy = (ix + float(dx)) * DETECTOR_STRIDE, (iy + float(dy)) * DETECTOR_STRIDE
        w, h = float(np.exp(lw)) * DETECTOR_STRIDE, float(np.exp(lh)) * DETECTOR_STRIDE
        if heads.shape[0] > 5:
            turn = math.degrees(float(heads[5, iy, ix]))
            plate = Turned(cx * scale[0], cy * scale[1], w * scale[0], h * scale[1], turn)
            found.append(Detection(plate.box, float(heat[iy, ix]), plate))
            continue
        found.append(Detection(
            ((cx - w / 2) * scale[0], (cy - h / 2) * scale[1], w * scale[0], h * scale[1]),
            float(heat[iy, ix]),
        ))  # fmt: skip
    return sorted(found, key=lambda d: -d.score)


def _level_width(det: Detection) -> float:
    return det.turned.width if det.turned is not None else det.box[2]


def _centre(det: Detection) -> Point:
    if det.turned is not None:
        return det.turned.cx, det.turned.cy
    x, y, w, h = det.box
    return x + w / 2, y + h / 2


def _moved(det: Detection, origin: Point, first: Detection) -> Detection:
    """A detection found in a window, placed in the frame (the window's top-left at
    ``origin``), with the ``first`` pass's score if that was higher, and its plate."""
    ox, oy = origin
    x, y, w, h = det.box
    turned = None if det.turned is None else replace(det.turned, cx=det.turned.cx + ox,
                                                      cy=det.turned.cy + oy)  # fmt: skip
    return Detection((x + ox, y + oy, w, h), max(first.score, det.score), turned,
                     first.turned)  # fmt: skip


def _zoomed_window(frame: Frame, det: Detection) -> tuple[Frame, Point, float]:
    """A SECOND_LOOK_SIDE square of the frame about the detection, scaled so the plate is
    SECOND_LOOK_WIDTH_PX wide (edges repeated past the frame's); with the window's top-left in
    the frame and the frame pixels per window pixel."""
    span = SECOND_LOOK_SIDE * _level_width(det) / SECOND_LOOK_WIDTH_PX  # in frame pixels
    cx, cy = _centre(det)
    side = max(1, round(span))
    fh, fw = frame.shape[:2]
    # At least a pixel of the frame inside (a peak can lie a cell past the frame's edge).
    x0 = min(max(round(cx - span / 2), 1 - side), fw - 1)
    y0 = min(max(round(cy - span / 2), 1 - side), fh - 1)
    part = frame[max(0, y0) : min(fh, y0 + side), max(0, x0) : min(fw, x0 + side)]
    part = cv2.copyMakeBorder(part, max(0, -y0), max(0, y0 + side - fh), max(0, -x0),
                              max(0, x0 + side - fw), cv2.BORDER_REPLICATE)  # fmt: skip
    shrink = cv2.INTER_AREA if side > SECOND_LOOK_SIDE else cv2.INTER_LINEAR
    window = cv2.resize(part, (SECOND_LOOK_SIDE, SECOND_LOOK_SIDE), interpolation=shrink)
    return window, (float(x0), float(y0)), side / SECOND_LOOK_SIDE


def _run_batch(model: CompiledModel, images: list[Frame]) -> npt.NDArray[np.float32]:
    """One call for all ``images``, or one each for a model exported with a fixed batch of 1."""
    if model.input_shape[:1] == (1,):
        return np.concatenate([model.run(image[None]) for image in images])
    return model.run(np.stack(images))


def distinct(found: list[Detection]) -> list[Detection]:
    """One detection per plate: a weaker one whose centre lies in a stronger one's box is the
    same plate seen twice (two peaks of one heat blob, or two looks that met)."""
    kept: list[Detection] = []
    for det in sorted(found, key=lambda d: -d.score):
        cx, cy = _centre(det)
        if not any(k.box[0] <= cx <= k.box[0] + k.box[2] and k.box[1] <= cy <= k.box[1] + k.box[3]
                   for k in kept):  # fmt: skip
            kept.append(det)
    return kept


def detector_input(frame: Frame, size: int) -> Frame:
    """A BGR frame as the detector takes it: shrunk so its long side is about ``size``, each
    side a multiple of 32 (the detector's strides), RGB, a batch of one."""
    h, w = frame.shape[:2]
    s = size / max(h, w)
    nw, nh = max(32, round(w * s / 32) * 32), max(32, round(h * s / 32) * 32)
    small = cv2.resize(frame, (nw, nh), interpolation=cv2.INTER_AREA)
    return np.asarray(cv2.cvtColor(small, cv2.COLOR_BGR2RGB)[None], np.uint8)


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
        second_look: bool = True,
    ) -> None:
        self.backend = create_backend(backend or OpenVinoConfig())
        self.recognizer_model = recognizer or resolve_recognizer(None, None)
        builtin = BUILTIN_DETECTOR_INT8 if self.backend.int8 else BUILTIN_DETECTOR
        self.detector_path = detector or builtin_dir() / builtin
        if not self.detector_path.is_file():
            raise ModelError(f"{self.detector_path}: no such detector file")
        self.formats = formats_for(regions if regions is not None else ["br"])
        self.detect_size = detect_size
        self.threshold = threshold
        self.second_look = second_look
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
        rgb = detector_input(frame, self.detect_size)
        nh, nw = rgb.shape[1:3]
        heads = self._detector.run(rgb)[0]
        lowest = min(self.threshold, SECOND_LOOK_PROPOSAL) if self.second_look else self.threshold
        found = find_peaks(heads, lowest, (w / nw, h / nh))
        return distinct(self._second_look(frame, found, nw / w))

    def _second_look(self, frame: Frame, found: list[Detection], zoom: float) -> list[Detection]:
        """Small plates (at the first pass's ``zoom``) detected again, each in a window of the
        frame zoomed to the size the detector knows best (see SECOND_LOOK_BELOW_PX)."""
        sure = [d.score >= self.threshold for d in found]
        small = [i for i, d in enumerate(found) if _level_width(d) * zoom < SECOND_LOOK_BELOW_PX]
        small = small[:SECOND_LOOK_MAX] if self.second_look else []
        looked = list(found)
        if small:
            windows = [_zoomed_window(frame, found[i]) for i in small]
            rgb = [cv2.cvtColor(window, cv2.COLOR_BGR2RGB) for window, _, _ in windows]
            heads = _run_batch(self._detector, rgb)
            for i, (_, origin, span), window_heads in zip(small, windows, heads, strict=True):
                again = find_peaks(window_heads, self.threshold, (span, span))
                middle = (SECOND_LOOK_SIDE * span / 2,) * 2
                near = [d for d in again  # the same plate: its centre within half a width
                        if math.dist(_centre(d), middle) < _level_width(found[i]) / 2]  # fmt: skip
                best = max(near, key=lambda d: d.score, default=None)
                if best is not None and (sure[i] or best.score >= SECOND_LOOK_CONFIRM):
                    looked[i] = _moved(best, origin, found[i])
                    sure[i] = True
        return [d for d, ok in zip(looked, sure, strict=True) if ok]

    def recognize(self, crops: list[Frame]) -> list[npt.NDArray[np.float32]]:
        """Per-slot probabilities for each crop (already framed and sized), in one batch."""
        if not crops:
            return []
        cfg = self.recognizer_model.config
        out = _run_batch(self._recognizer, crops)
        return list(out.reshape(len(crops), cfg.max_plate_slots, len(cfg.alphabet)))

    def read_boxes(self, frame: Frame, detections: list[Detection]) -> list[PlateRead]:
        """Recognise plates at known boxes (from the detector, or labels in an evaluation)."""
        per_plate = [self._framings(frame, d) for d in detections]
        probs = iter(self.recognize([c for framings in per_plate for c, _ in framings]))
        colour = sees_colour(frame)
        return [
            self._to_read(frame, d, [(next(probs), outline) for _, outline in framings], colour)
            for d, framings in zip(detections, per_plate, strict=True)
        ]

    def _framings(self, frame: Frame, det: Detection) -> list[tuple[Frame, Outline]]:
        """The plate framed tight and wide (levelled by the detector's turn where it has one),
        and also read straightened by the roll measured in its box when that looks tilted —
        each crop with the outline of the plate it reads."""
        cfg = self.recognizer_model.config
        size, grey = (cfg.img_width, cfg.img_height), cfg.channels == 1
        x, y, w, h = det.box
        if det.turned is not None:
            looks = [det.turned] + ([det.first_look] if det.first_look is not None else [])
            framings = [(crop_plate(frame, look.framed(gx, gy), *size, grey), look.corners)
                        for look in looks for gx, gy in FRAMINGS]  # fmt: skip
        else:
            level = ((x, y), (x + w, y), (x + w, y + h), (x, y + h))
            framings = [
                (crop_plate(frame, (x - gx * w, y - gy * h, w * (1 + 2 * gx), h * (1 + 2 * gy)),
                            *size, grey), level)
                for gx, gy in FRAMINGS
            ]  # fmt: skip
        # The detector's turn runs short on steep plates (6 degrees for 10, on synthetic
        # ones); the roll measured in the box is the second opinion, the surest reading wins.
        roll = estimate_roll(frame, det.box)
        if abs(roll) >= ROLL_MIN_DEG:
            straightened = crop_plate(frame, det.box, *size, grey, roll)
            framings.append((straightened, turned_outline(det.box, roll)))
        return framings

    def _to_read(
        self,
        frame: Frame,
        det: Detection,
        framings: list[tuple[npt.NDArray[np.float32], Outline]],
        colour: bool,
    ) -> PlateRead:
        """The surest decoding among the plate's framings (tight, wide, straightened)."""
        cfg = self.recognizer_model.config
        family = plate_family(frame, det.box, colour)
        priors = FAMILY_PRIORS[family] if family else None
        width, height = ((det.turned.width, det.turned.height) if det.turned
                         else (det.box[2], det.box[3]))  # fmt: skip
        two_row = (width / max(height, 1e-6)) < TWO_ROW_ASPECT
        candidates: list[tuple[Decoded, Outline]] = []
        for probs, outline in framings:
            decoded: Decoded = decode(
                probs, cfg.alphabet, cfg.pad_char, self.formats, two_row=two_row, priors=priors
            )
            if decoded.format == "free" and self.formats:  # no layout match: try any layout
                decoded = decode(probs, cfg.alphabet, cfg.pad_char, self.formats, priors=priors)
            candidates.append((decoded, outline))
        decoded, polygon = max(candidates, key=lambda c: _certainty(c[0], priors))
        return PlateRead(decoded.text, decoded.confidence, decoded.char_confidences,
                         decoded.format, det.box, polygon, det.score)  # fmt: skip

    def read(self, frame: Frame) -> FrameReads:
        return self.read_batch([frame])[0]

    def read_batch(self, frames: list[Frame]) -> list[FrameReads]:
        """Detect per frame, then recognise every plate of every frame in one batch."""
        results: list[FrameReads] = []
        all_crops: list[Frame] = []
        owners: list[tuple[int, Detection, list[Outline]]] = []  # frame, detection, outlines
        for i, frame in enumerate(frames):
            t0 = time.perf_counter()
            dets = self.detect(frame)
            t1 = time.perf_counter()
            for d in dets:
                framings = self._framings(frame, d)
                all_crops.extend(c for c, _ in framings)
                owners.append((i, d, [outline for _, outline in framings]))
            t2 = time.perf_counter()
            results.append(FrameReads([], {"detect": (t1 - t0) * 1e3, "crop": (t2 - t1) * 1e3}))
        t3 = time.perf_counter()
        probs = iter(self.recognize(all_crops))
        t4 = time.perf_counter()
        colours: dict[int, bool] = {}
        for i, det, outlines in owners:
            read = [(next(probs), outline) for outline in outlines]
            if i not in colours:
                colours[i] = sees_colour(frames[i])
            results[i].reads.append(self._to_read(frames[i], det, read, colours[i]))
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


__all__ = [
    "Detection",
    "FrameReads",
    "PlateRead",
    "PlateReader",
    "Turned",
    "crop_plate",
    "distinct",
]
