"""Put clean synthetic plates into the world: perspective, light, night/IR, dirt, blur, JPEG.

Two products: recogniser samples (a plate crop framed the way the detector frames it) and detector
scenes (real street scenes whose labelled plates are covered by synthetic Brazilian ones, the
label moved to the new plate's box).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from gtvision.inference.reader import CROP_MARGIN_X, CROP_MARGIN_Y, FRAMINGS
from gtvision.inference.synth.plates import Image, PlateSpec, random_spec, render_plate

Box = tuple[float, float, float, float]  # x, y, w, h


@dataclass(frozen=True, slots=True)
class RecognizerSample:
    image: Image  # grey, (height, width)
    spec: PlateSpec


class Backgrounds:
    """Real scene pixels to put behind crops; flat noise where no scenes were given."""

    def __init__(self, scenes: list[Image]) -> None:
        self._scenes = scenes

    def patch(self, rng: random.Random, w: int, h: int) -> Image:
        if not self._scenes:
            base = rng.randint(20, 220)
            noise = np.random.default_rng(rng.getrandbits(32)).normal(base, 25, (h, w, 3))
            return np.clip(noise, 0, 255).astype(np.uint8)
        scene = rng.choice(self._scenes)
        sh, sw = scene.shape[:2]
        cw = min(sw, max(8, int(w * rng.uniform(1.0, 3.0))))
        ch = min(sh, max(8, int(cw * h / w)))
        x, y = rng.randint(0, sw - cw), rng.randint(0, sh - ch)
        patch = cv2.resize(scene[y : y + ch, x : x + cw], (w, h), interpolation=cv2.INTER_AREA)
        return np.asarray(patch, np.uint8)


def _weather(plate: Image, rng: random.Random) -> Image:
    """Dirt, shadows and wear on the plate itself, before it is put in the scene."""
    out = plate.astype(np.float32)
    h, w = out.shape[:2]
    if rng.random() < 0.4:  # a shadow edge across the plate
        ramp = np.linspace(rng.uniform(0.4, 1.0), rng.uniform(0.7, 1.2), w, dtype=np.float32)
        if rng.random() < 0.5:
            ramp = ramp[::-1]
        out *= ramp[None, :, None]
    if rng.random() < 0.4:  # dirt and rust spots
        mask = np.zeros((h, w), np.float32)
        for _ in range(rng.randint(1, 12)):
            c = (rng.randint(0, w), rng.randint(0, h))
            cv2.circle(mask, c, rng.randint(2, max(3, h // 8)), rng.uniform(0.2, 0.7), -1)
        mask = cv2.GaussianBlur(mask, (0, 0), 3)
        dirt = np.array([rng.randint(30, 90)] * 3, np.float32)
        out = out * (1 - mask[..., None]) + dirt * mask[..., None]
    if rng.random() < 0.15:  # partial occlusion: a tow bar, a bumper edge, a sticker
        x0 = rng.randint(0, w - 1)
        bw = rng.randint(w // 20, w // 6)
        colour = np.array([rng.randint(0, 255)] * 3, np.float32)
        if rng.random() < 0.5:
            out[:, x0 : x0 + bw] = colour
        else:
            y0 = rng.choice([0, h - h // 6])
            out[y0 : y0 + h // 6, :] = colour
    return np.clip(out, 0, 255).astype(np.uint8)


def _camera(img: Image, rng: random.Random) -> Image:
    """Optics and sensor: blur, motion, light level, night/IR, noise, compression."""
    out = img
    if rng.random() < 0.5:
        out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.3, 1.1))
    if rng.random() < 0.2:
        k = rng.randint(3, 5)
        kernel = np.zeros((k, k), np.float32)
        kernel[k // 2, :] = 1.0 / k
        if rng.random() < 0.5:
            kernel = kernel.T
        out = cv2.filter2D(out, -1, kernel)
    f = out.astype(np.float32)
    mode = rng.random()
    if mode < 0.15:  # night/IR: monochrome, strong retro-reflection, dark surroundings
        grey = f.mean(axis=2, keepdims=True)
        f = np.repeat(np.clip((grey - 60) * rng.uniform(1.3, 2.2), 0, 255), 3, axis=2)
    elif mode < 0.3:  # dusk: dark and noisy
        f *= rng.uniform(0.35, 0.6)
    f = f * rng.uniform(0.7, 1.3) + rng.uniform(-40, 40)
    gamma = rng.uniform(0.7, 1.5)
    f = 255.0 * (np.clip(f, 0, 255) / 255.0) ** gamma
    if rng.random() < 0.6:
        f += np.random.default_rng(rng.getrandbits(32)).normal(0, rng.uniform(2, 12), f.shape)
    out = np.clip(f, 0, 255).astype(np.uint8)
    if rng.random() < 0.7:
        ok, enc = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, rng.randint(30, 90)])
        if ok:
            out = np.asarray(cv2.imdecode(enc, cv2.IMREAD_COLOR), np.uint8)
    return out


def _jitter_quad(
    w: float, h: float, rng: random.Random, amount: float, roll: float = 7.0, shear: float = 0.0
) -> npt.NDArray[np.float32]:
    """A rectangle seen slightly off-axis: rotated up to ``roll`` degrees, slanted by up to
    ``shear`` (a camera's vertical off the plate's), corners nudged."""
    quad = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
    if shear:
        quad[:, 0] += rng.uniform(-shear, shear) * (quad[:, 1] - h / 2)
    angle = np.deg2rad(rng.uniform(-roll, roll))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]], np.float32)
    centre = np.array([w / 2, h / 2], np.float32)
    quad = ((quad - centre) @ rot.T + centre).astype(np.float32)
    quad += np.array(
        [[rng.uniform(-amount, amount) * w, rng.uniform(-amount, amount) * h] for _ in range(4)],
        np.float32,
    )
    return quad


def recognizer_sample(
    rng: random.Random, backgrounds: Backgrounds, size: tuple[int, int] = (160, 64)
) -> RecognizerSample:
    """A grey plate crop of `size` (width, height), framed as the reader frames a detection."""
    spec = random_spec(rng)
    plate = _weather(render_plate(spec, rng, px_per_mm=1.0).image, rng)
    ph0, pw0 = plate.shape[:2]
    pw = rng.uniform(45, 260) if spec.layout == "car" else rng.uniform(30, 120)
    if rng.random() < 0.12:  # far away or a low-resolution stream: a few pixels per glyph
        pw = rng.uniform(28, 45) if spec.layout == "car" else rng.uniform(22, 30)
    ph = pw * ph0 / pw0
    # Street cameras see plates tilted well past a few degrees (slopes, cameras mounted askew)
    # and slanted; the reader straightens the worst (reader.estimate_roll) in 2-degree steps.
    roll = 15.0 if rng.random() < 0.35 else 7.0
    quad = _jitter_quad(pw, ph, rng, 0.05, roll, shear=0.15 if rng.random() < 0.25 else 0.0)
    # Where the detector's box would be, then the reader's margin, then a detector's error.
    x0, y0 = quad[:, 0].min(), quad[:, 1].min()
    bw, bh = quad[:, 0].max() - x0, quad[:, 1].max() - y0
    err = [rng.gauss(0, 0.05), rng.gauss(0, 0.05), rng.gauss(0, 0.04), rng.gauss(0, 0.04)]
    if rng.random() < 0.5:  # detectors on real plates frame them tighter (see the detector card)
        err = [e - abs(rng.gauss(0, 0.05)) for e in err]
    if rng.random() < 0.3:  # the box slid along the plate: text off-centre, an end close
        shift = rng.gauss(0, 0.06)
        err[0], err[1] = err[0] - shift, err[1] + shift
    if rng.random() < 0.3:  # read in the reader's wide framing too: the plate's edges in view
        gx, gy = max(FRAMINGS)  # the widest
        grow_x, grow_y = gx * (1 + 2 * CROP_MARGIN_X), gy * (1 + 2 * CROP_MARGIN_Y)
        err = [err[0] + grow_x, err[1] + grow_x, err[2] + grow_y, err[3] + grow_y]
    left = x0 - bw * (CROP_MARGIN_X + err[0])
    right = x0 + bw * (1 + CROP_MARGIN_X + err[1])
    top = y0 - bh * (CROP_MARGIN_Y + err[2])
    bottom = y0 + bh * (1 + CROP_MARGIN_Y + err[3])
    cw, ch = max(8, round(right - left)), max(8, round(bottom - top))
    quad -= np.array([left, top], np.float32)
    canvas = backgrounds.patch(rng, cw, ch)
    src = np.array([[0, 0], [pw0, 0], [pw0, ph0], [0, ph0]], np.float32)
    small = cv2.resize(plate, (max(4, round(pw)), max(4, round(ph))), interpolation=cv2.INTER_AREA)
    scale = np.array([[small.shape[1] / pw0, 0, 0], [0, small.shape[0] / ph0, 0], [0, 0, 1]])
    matrix = cv2.getPerspectiveTransform(src, quad) @ np.linalg.inv(scale)
    canvas = _paste(canvas, small, matrix)
    if rng.random() < 0.1:  # a fast car at a long exposure: smeared along its way
        canvas = _motion_blur(canvas, rng)
    canvas = _camera(canvas, rng)
    grey = cv2.cvtColor(canvas, cv2.COLOR_BGR2GRAY)
    return RecognizerSample(cv2.resize(grey, size, interpolation=cv2.INTER_LINEAR), spec)


def _motion_blur(img: Image, rng: random.Random) -> Image:
    length = rng.randint(5, 9)
    kernel = np.zeros((length, length), np.float32)
    kernel[length // 2, :] = 1.0 / length
    turn = cv2.getRotationMatrix2D(((length - 1) / 2, (length - 1) / 2), rng.uniform(0, 180), 1)
    kernel = cv2.warpAffine(kernel, turn, (length, length))
    return np.asarray(cv2.filter2D(img, -1, kernel / max(float(kernel.sum()), 1e-6)), np.uint8)


def _paste(canvas: Image, plate: Image, matrix: npt.NDArray[np.float64]) -> Image:
    h, w = canvas.shape[:2]
    warped = cv2.warpPerspective(plate, matrix, (w, h), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(
        np.full(plate.shape[:2], 255, np.uint8), matrix, (w, h), flags=cv2.INTER_LINEAR
    )
    alpha = (np.asarray(mask, np.float32) / 255.0)[..., None]
    return np.asarray(warped * alpha + canvas * (1 - alpha), np.uint8)


def brazilianize(scene: Image, boxes: list[Box], rng: random.Random) -> tuple[Image, list[Box]]:
    """Cover each labelled plate of a real scene with a synthetic Brazilian plate.

    The synthetic plate is drawn a little larger than the original so nothing of the old plate
    shows, its brightness matched to the spot and its sharpness to the scene's resolution.
    """
    out = scene.copy()
    new_boxes: list[Box] = []
    for x, y, w, h in boxes:
        spec = random_spec(rng, moto_share=0.1)
        plate = _weather(render_plate(spec, rng, px_per_mm=1.0).image, rng)
        ph0, pw0 = plate.shape[:2]
        aspect = pw0 / ph0
        nw = max(w, h * aspect) * rng.uniform(1.04, 1.12)
        nh = nw / aspect
        cx, cy = x + w / 2, y + h / 2
        quad = _jitter_quad(nw, nh, rng, 0.03) + np.array([cx - nw / 2, cy - nh / 2], np.float32)
        spot = scene[int(max(0, y)) : int(y + h), int(max(0, x)) : int(x + w)]
        if spot.size:
            gain = float(spot.mean()) / max(1.0, float(plate.mean()))
            plate = np.clip(plate.astype(np.float32) * np.clip(gain, 0.4, 1.3), 0, 255).astype(
                np.uint8
            )
        small = cv2.resize(
            plate, (max(4, round(nw)), max(4, round(nh))), interpolation=cv2.INTER_AREA
        )
        src = np.array(
            [[0, 0], [small.shape[1], 0], [small.shape[1], small.shape[0]], [0, small.shape[0]]],
            np.float32,
        )
        matrix = cv2.getPerspectiveTransform(src, quad).astype(np.float64)
        out = _paste(out, small, matrix)
        qx0, qy0 = quad.min(axis=0)
        qx1, qy1 = quad.max(axis=0)
        new_boxes.append((float(qx0), float(qy0), float(qx1 - qx0), float(qy1 - qy0)))
    return out, new_boxes


def tilted_scene(
    rng: random.Random,
    backgrounds: Backgrounds,
    roll_deg: float,
    size: tuple[int, int] = (640, 360),
) -> tuple[Image, Box, PlateSpec]:
    """A synthetic plate turned by ``roll_deg`` in a patch of real scene, with its axis-aligned
    box (what a detector gives): a camera mounted askew, a sloping street. For judging the
    reader's handling of tilt on held-out synthetic data before any real image."""
    spec = random_spec(rng, moto_share=0.1)
    plate = _weather(render_plate(spec, rng, px_per_mm=1.0).image, rng)
    ph0, pw0 = plate.shape[:2]
    w, h = size
    pw = rng.uniform(80, 220) if spec.layout == "car" else rng.uniform(50, 110)
    ph = pw * ph0 / pw0
    small = cv2.resize(plate, (round(pw), round(ph)), interpolation=cv2.INTER_AREA)
    quad = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32)
    quad += np.array([[rng.uniform(-0.02, 0.02) * pw, rng.uniform(-0.02, 0.02) * ph]
                      for _ in range(4)], np.float32)  # fmt: skip
    cx, cy = w / 2 + rng.uniform(-0.2, 0.2) * w, h / 2 + rng.uniform(-0.2, 0.2) * h
    turn = cv2.getRotationMatrix2D((pw / 2, ph / 2), roll_deg, 1.0)
    quad = (np.hstack([quad, np.ones((4, 1), np.float32)]) @ turn.T).astype(np.float32)
    quad += np.array([cx - pw / 2, cy - ph / 2], np.float32)
    src = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32)
    canvas = _paste(backgrounds.patch(rng, w, h), small, cv2.getPerspectiveTransform(src, quad))
    canvas = _camera(canvas, rng)
    (x0, y0), (x1, y1) = quad.min(axis=0), quad.max(axis=0)
    return canvas, (float(x0), float(y0), float(x1 - x0), float(y1 - y0)), spec
