"""A synthetic street frame with Brazilian plates at known places, for benchmarks and self-tests
that must run without any dataset beside the project."""

from __future__ import annotations

import random

import cv2
import numpy as np

from gtvision.inference.synth.plates import Image, Kind, PlateSpec, render_plate


def demo_scene(
    texts: tuple[str, ...] = ("BRA2E19", "OKL0817"),
    size: tuple[int, int] = (1280, 720),
    seed: int = 5,
) -> Image:
    """Plates on car-like blocks over a textured road, front-on, 260 px wide each."""
    rng = random.Random(seed)
    w, h = size
    noise = np.random.default_rng(seed).normal(0, 12, (h, w, 3))
    frame = np.clip(noise + np.linspace(90, 140, h)[:, None, None], 0, 255).astype(np.uint8)
    for i, (text, box) in enumerate(zip(texts, demo_boxes(texts, size), strict=True)):
        kind: Kind = "mercosul" if text[4].isalpha() else "antigo"
        plate = render_plate(PlateSpec(text, kind, "car"), rng, px_per_mm=1.0).image
        plate = cv2.resize(plate, (260, 85), interpolation=cv2.INTER_AREA)
        x, y = int(box[0]), int(box[1])
        cv2.rectangle(frame, (x - 120, y - 220), (x + 380, y + 160), (60 + 40 * i, 60, 70), -1)
        frame[y : y + 85, x : x + 260] = plate
    return frame


def demo_boxes(
    texts: tuple[str, ...] = ("BRA2E19", "OKL0817"), size: tuple[int, int] = (1280, 720)
) -> list[tuple[float, float, float, float]]:
    """Where `demo_scene` puts each plate: x, y, w, h."""
    w, h = size
    return [
        (120.0 + i * (w // max(1, len(texts))), float(h // 2), 260.0, 85.0)
        for i in range(len(texts))
    ]
