"""Clean renderings of Brazilian plates: grey (1990-2018) and Mercosur, car and motorcycle.

Dimensions follow CONTRAN's specifications in millimetres (car 400 x 130, motorcycle 200 x 170;
old motorcycle 187 x 136), drawn at a chosen scale. The output is a flat, front-on plate image;
`degrade.py` puts it into the world (perspective, light, dirt, blur).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from typing import Literal

import cv2
import numpy as np
import numpy.typing as npt

from gtvision.inference.formats import BR_GREY_SERIES
from gtvision.inference.synth.glyphs import CELL_H, CELL_W, GlyphStyle, glyph_paths, glyph_width

Image = npt.NDArray[np.uint8]
Kind = Literal["antigo", "mercosul"]
Layout = Literal["car", "moto"]
Colour = tuple[int, int, int]  # BGR

LETTERS = string.ascii_uppercase
DIGITS = string.digits

# (background, characters) of real plate categories, BGR.
_GREY_SCHEMES: list[tuple[Colour, Colour, float]] = [
    ((178, 180, 182), (20, 20, 20), 0.55),  # particular: grey, black
    ((205, 207, 208), (30, 30, 30), 0.15),  # faded/clean grey, almost white
    ((40, 40, 190), (235, 235, 235), 0.15),  # aluguel: red, white
    ((235, 235, 235), (30, 30, 30), 0.05),  # oficial: white, black
    ((20, 20, 20), (180, 180, 180), 0.04),  # colecao: black, grey
    ((40, 120, 40), (235, 235, 235), 0.03),  # experiencia: green, white
    ((150, 60, 20), (235, 235, 235), 0.03),  # diplomatic: blue, white
]
_MERCOSUR_INK: list[tuple[Colour, float]] = [
    ((20, 20, 20), 0.7),  # particular
    ((30, 30, 200), 0.15),  # comercial
    ((150, 60, 20), 0.06),  # oficial
    ((40, 120, 40), 0.04),  # experiencia
    ((40, 150, 190), 0.03),  # diplomatic (gold)
    ((150, 150, 150), 0.02),  # colecao (silver)
]
_CITIES = [
    "SP-SAO PAULO", "RJ-RIO DE JANEIRO", "BA-SALVADOR", "MG-BELO HORIZONTE", "PR-CURITIBA",
    "RS-PORTO ALEGRE", "PE-RECIFE", "CE-FORTALEZA", "DF-BRASILIA", "GO-GOIANIA", "SC-JOINVILLE",
    "BA-FEIRA DE SANTANA", "SP-CAMPINAS", "AM-MANAUS", "PA-BELEM", "ES-VITORIA", "MA-SAO LUIS",
    "PB-JOAO PESSOA", "RN-NATAL", "AL-MACEIO", "SE-ARACAJU", "PI-TERESINA", "MT-CUIABA",
    "MS-CAMPO GRANDE", "SP-SANTOS", "BA-LAURO DE FREITAS", "BA-CAMACARI", "SP-OSASCO",
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class PlateSpec:
    """What is written on a plate and how."""

    text: str
    kind: Kind
    layout: Layout


@dataclass(frozen=True, slots=True)
class RenderedPlate:
    image: Image  # BGR, the whole plate, front-on
    spec: PlateSpec


def random_text(kind: Kind, rng: random.Random) -> str:
    """LLLNNNN (grey, its letters from the blocks the national sequence reached) or LLLNLNN
    (Mercosur)."""
    first = rng.choice(BR_GREY_SERIES if kind == "antigo" else LETTERS)
    letters = first + "".join(rng.choice(LETTERS) for _ in range(2))
    if kind == "antigo":
        return letters + "".join(rng.choice(DIGITS) for _ in range(4))
    return (
        letters
        + rng.choice(DIGITS)
        + rng.choice(LETTERS)
        + "".join(rng.choice(DIGITS) for _ in range(2))
    )


def random_spec(rng: random.Random, *, moto_share: float = 0.15) -> PlateSpec:
    kind: Kind = "antigo" if rng.random() < 0.5 else "mercosul"
    layout: Layout = "moto" if rng.random() < moto_share else "car"
    # Leading O and other round letters are common in real fleets; over-sample them a little.
    text = random_text(kind, rng)
    if rng.random() < 0.2:
        text = rng.choice("ODQ") + text[1:]
    return PlateSpec(text, kind, layout)


def _pick(options: list[tuple[Colour, float]], rng: random.Random) -> Colour:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def render_plate(spec: PlateSpec, rng: random.Random, px_per_mm: float = 2.0) -> RenderedPlate:
    """Draw the plate at `px_per_mm`, with the maker-to-maker variation real plates show."""
    if spec.layout == "car":
        size_mm = (400.0, 130.0)
    else:
        size_mm = (187.0, 136.0) if spec.kind == "antigo" else (200.0, 170.0)
    w, h = round(size_mm[0] * px_per_mm), round(size_mm[1] * px_per_mm)
    if spec.kind == "antigo":
        bg, ink, _ = _GREY_SCHEMES[
            rng.choices(range(len(_GREY_SCHEMES)), [s[2] for s in _GREY_SCHEMES])[0]
        ]
        style = GlyphStyle(
            "mandatory",
            rng.uniform(1.6, 2.3),
            rng.random() < 0.5,
            False,
            rng.uniform(0.8, 2.5),
            fixed_pitch=rng.random() < 0.8,
        )
    else:
        bg, ink = (236, 236, 236), _pick(_MERCOSUR_INK, rng)
        style = GlyphStyle("fe", rng.uniform(1.1, 1.8), False, rng.random() < 0.8)
    jitter = np.array([rng.randint(-12, 12) for _ in range(3)])
    img = np.empty((h, w, 3), np.uint8)
    img[:] = np.clip(np.array(bg) + jitter, 0, 255).astype(np.uint8)
    s = px_per_mm

    if spec.kind == "antigo":
        strip_h = 0.24 * h if spec.layout == "car" else 0.2 * h
        cv2.rectangle(img, (int(4 * s), int(4 * s)), (w - int(4 * s), h - int(4 * s)),
                      _shade(ink, 0.5, bg), max(1, int(1.5 * s)))  # fmt: skip
        cv2.rectangle(img, (int(12 * s), int(5 * s)), (w - int(12 * s), int(strip_h)),
                      _shade(ink, 0.6, bg), max(1, int(s)))  # fmt: skip
        _small_text(img, rng.choice(_CITIES), (w // 2, int(strip_h * 0.62)), strip_h * 0.45, ink)
        top = strip_h + rng.uniform(6, 10) * s
    else:
        band_h = (30 if spec.layout == "car" else 38) * s
        cv2.rectangle(img, (0, 0), (w, int(band_h)), (150, 70, 10), -1)
        _small_text(img, "BRASIL", (w // 2, int(band_h * 0.72)), band_h * 0.55, (250, 250, 250))
        flag_x = w - int(30 * s)
        cv2.rectangle(img, (flag_x, int(7 * s)), (flag_x + int(20 * s), int(21 * s)),
                      (40, 150, 40), -1)  # fmt: skip
        cv2.circle(img, (int(18 * s), int(band_h / 2)), int(band_h * 0.3), (200, 200, 60), 1)
        cv2.rectangle(img, (0, 0), (w - 1, h - 1), (40, 40, 40), max(1, int(2 * s)))
        top = band_h + rng.uniform(8, 12) * s
    bottom = h - rng.uniform(10, 15) * s
    # Real grey plates' Mandatory glyphs are bold (br-dev: strokes ~11 mm on 63 mm glyphs),
    # FE-Schrift's lighter.
    stroke = rng.uniform(0.85, 1.6 if spec.kind == "antigo" else 1.2) * 7.5 * s

    if spec.layout == "car":
        _text_row(img, spec.text, (14 * s, top, w - 14 * s, bottom), style, ink, stroke,
                  separator=spec.kind == "antigo")  # fmt: skip
    else:
        mid = (top + bottom) / 2
        _text_row(img, spec.text[:3], (14 * s, top, w - 14 * s, mid - 3 * s), style, ink, stroke)
        _text_row(img, spec.text[3:], (10 * s, mid + 3 * s, w - 10 * s, bottom), style, ink,
                  stroke)  # fmt: skip
    if spec.kind == "antigo":
        for x in (w * 0.18, w * 0.82):  # bolts
            cv2.circle(img, (int(x), int(12 * s)), int(4 * s), _shade(ink, 0.4, bg), -1)
    if rng.random() < 0.5:  # the seal tag below a character
        x = rng.uniform(0.2, 0.8) * w
        cv2.rectangle(img, (int(x), int(h - 7 * s)), (int(x + 12 * s), int(h - 4 * s)),
                      _shade(ink, 0.7, bg), -1)  # fmt: skip
    return RenderedPlate(img, spec)


def _shade(ink: Colour, t: float, bg: Colour) -> Colour:
    c = [int(i * t + b * (1 - t)) for i, b in zip(ink, bg, strict=True)]
    return (c[0], c[1], c[2])


def _small_text(img: Image, text: str, centre: tuple[int, int], height: float, ink: Colour) -> None:
    scale = height / 22.0
    thick = max(1, round(scale * 1.6))
    (tw, _), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thick)
    max_w = img.shape[1] * 0.8
    if tw > max_w:
        scale *= max_w / tw
        tw = int(max_w)
    org = (int(centre[0] - tw / 2), centre[1])
    cv2.putText(img, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, ink, thick, cv2.LINE_AA)


def _text_row(
    img: Image,
    text: str,
    box: tuple[float, float, float, float],
    style: GlyphStyle,
    ink: Colour,
    stroke: float,
    *,
    separator: bool = False,
) -> None:
    """Lay a row of glyphs out centred in `box` (x0, y0, x1, y1) with uniform gaps."""
    x0, y0, x1, y1 = box
    height = y1 - y0
    unit = (height - stroke) / CELL_H  # pixels per cell unit, the stroke inside the box
    widths = [glyph_width(c, style) * CELL_W * unit for c in text]
    gap = 0.45 * CELL_W * unit
    sep_w = 2.2 * CELL_W * unit * 0.5 if separator else 0.0
    total = sum(widths) + gap * (len(text) - 1) + sep_w + stroke * len(text)
    squeeze = min(1.0, (x1 - x0) / total)
    x = x0 + ((x1 - x0) - total * squeeze) / 2
    for i, (c, cw) in enumerate(zip(text, widths, strict=True)):
        cell_w = cw * squeeze
        _stroke_glyph(img, c, style, (x + stroke / 2, y0 + stroke / 2), cell_w, unit, ink, stroke)
        x += cell_w + stroke * squeeze + gap * squeeze
        if separator and i == 2:
            cx, cy = x + sep_w * squeeze / 2 - gap * squeeze / 2, y0 + height * 0.52
            r = stroke * 0.55
            cv2.rectangle(img, (int(cx - r), int(cy - r)), (int(cx + r), int(cy + r)), ink, -1)
            x += sep_w * squeeze


def _stroke_glyph(
    img: Image,
    char: str,
    style: GlyphStyle,
    origin: tuple[float, float],
    cell_w: float,
    unit_y: float,
    ink: Colour,
    stroke: float,
) -> None:
    sx = cell_w / (CELL_W * glyph_width(char, style)) if char in "I1" else cell_w / CELL_W
    offset = 0.0
    if char in "I1":  # narrow cells: centre the stroke in the cell
        offset = cell_w / 2 - 2.5 * sx if not (char == "1" and style.flag_one) else -0.8 * sx
    shift = 4
    for path in glyph_paths(char, style):
        pts = np.array(
            [[(origin[0] + offset + px * sx) * (1 << shift),
              (origin[1] + py * unit_y) * (1 << shift)]
             for px, py in path], np.int32,
        )  # fmt: skip
        cv2.polylines(img, [pts], False, ink, max(1, round(stroke)), cv2.LINE_AA, shift)
        _square_corners(img, pts, ink, stroke, shift)


def _square_corners(img: Image, pts: np.ndarray, ink: Colour, stroke: float, shift: int) -> None:
    """OpenCV joins a thick line's segments round: a square corner (D's back, E, L) comes out
    rounded outside, like an O, and bold strokes made D and O alike. Fill each sharp corner's
    outer mitre so it stays square, as the typefaces draw it."""
    half = stroke / 2 * (1 << shift)
    p = pts.astype(np.float64)
    closed = len(p) > 2 and np.array_equal(pts[0], pts[-1])
    ends = len(p) - 1 if closed else len(p)
    for i in range(0 if closed else 1, ends if closed else ends - 1):
        before, after = p[i - 1] if i > 0 else p[-2], p[i + 1]
        d1, d2 = p[i] - before, after - p[i]
        l1, l2 = float(np.hypot(*d1)), float(np.hypot(*d2))
        if l1 == 0 or l2 == 0:
            continue
        d1, d2 = d1 / l1, d2 / l2
        if abs(float(d1 @ d2)) > 0.35:  # a step along an arc, or a point (a 4, a 1's flag)
            continue
        n1 = np.array([d1[1], -d1[0]])
        n1 = n1 if float(n1 @ d2) < 0 else -n1  # away from the turn: the outer side
        n2 = np.array([d2[1], -d2[0]])
        n2 = n2 if float(n2 @ d1) > 0 else -n2
        mitre = p[i] + (n1 + n2) * half / (1 + float(n1 @ n2))
        quad = np.array([p[i], p[i] + n1 * half, mitre, p[i] + n2 * half]).round().astype(np.int32)
        cv2.fillConvexPoly(img, quad, ink, cv2.LINE_AA, shift)
