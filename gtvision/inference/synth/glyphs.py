"""Stroke geometry of the two Brazilian plate typefaces, drawn from their published construction.

No font package ships "Mandatory" (grey plates, 1990-2018) or FE-Schrift (Mercosur plates). Both
are monoline faces built from straight strokes and rounded rectangles, so each glyph is written
here as centre-line paths on a 5 x 9 unit cell and stroked at render time. What matters most for
reading is what sets confusable glyphs apart: Mandatory's O is a rounded rectangle with all four
corners rounded (as round as a stadium or nearly boxy, by plate maker), its D keeps a straight,
square-cornered left side, its 0 equals its O; FE-Schrift
draws O round and 0 narrow, and gives 1 a flag.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

Point = tuple[float, float]
Path = list[Point]
Typeface = Literal["mandatory", "fe"]

CELL_W = 5.0
CELL_H = 9.0


def arc(cx: float, cy: float, r: float, a0: float, a1: float, steps: int = 10) -> Path:
    """Points on a circular arc; angles in degrees, y down (90° points down)."""
    return [
        (cx + r * math.cos(math.radians(a0 + (a1 - a0) * i / steps)),
         cy + r * math.sin(math.radians(a0 + (a1 - a0) * i / steps)))
        for i in range(steps + 1)
    ]  # fmt: skip


def rounded_rect(
    x0: float, y0: float, x1: float, y1: float, radii: tuple[float, float, float, float]
) -> Path:
    """Closed outline, clockwise on screen from the top-left corner; radii are (tl, tr, br, bl)."""
    tl, tr, br, bl = radii
    path: Path = []
    path += arc(x0 + tl, y0 + tl, tl, 180, 270) if tl else [(x0, y0)]
    path += arc(x1 - tr, y0 + tr, tr, 270, 360) if tr else [(x1, y0)]
    path += arc(x1 - br, y1 - br, br, 0, 90) if br else [(x1, y1)]
    path += arc(x0 + bl, y1 - bl, bl, 90, 180) if bl else [(x0, y1)]
    return [*path, path[0]]


def outline_part(outline: Path, start: float, sweep: float) -> Path:
    """The part of a closed outline seen from its centre between two angles (clockwise sweep)."""
    dense = _densify(outline, 0.05)
    cx = sum(p[0] for p in dense) / len(dense)
    cy = sum(p[1] for p in dense) / len(dense)
    picked = [
        ((math.degrees(math.atan2(y - cy, x - cx)) - start) % 360.0, (x, y)) for x, y in dense
    ]
    return [p for a, p in sorted(picked) if a <= sweep]


def _densify(path: Path, step: float) -> Path:
    out: Path = []
    for (x0, y0), (x1, y1) in itertools.pairwise(path):
        n = max(1, int(math.hypot(x1 - x0, y1 - y0) / step))
        out += [(x0 + (x1 - x0) * i / n, y0 + (y1 - y0) * i / n) for i in range(n)]
    return out


def _mirror(paths: Sequence[Path]) -> list[Path]:
    """Rotate by 180° inside the cell (9 from 6)."""
    return [[(CELL_W - x, CELL_H - y) for x, y in p] for p in paths]


@dataclass(frozen=True, slots=True)
class GlyphStyle:
    """The knobs that vary between typefaces and between plate makers."""

    typeface: Typeface
    radius: float  # corner radius of bowls, in cell units (cell is 5 wide)
    open_four: bool  # a 4 with an open top (two strokes) rather than a closed triangle
    flag_one: bool  # a 1 with a flag at the top
    # Corner radius of Mandatory's O (and 0, Q): makers draw it anywhere from nearly boxy to a
    # stadium, so roundness must not be what tells O from D (D's left corners are square).
    o_radius: float = 2.4
    # Grey plates set every character in a cell of one width, a 1 or an I centred in its cell
    # (br-dev's OUH9191, PJV9741: a 1's cell as wide as a 9's); set proportionally, what followed
    # a 1 sat a third of a cell early, and the recogniser read a 1 between 9s as 9.
    fixed_pitch: bool = False


def glyph_paths(char: str, style: GlyphStyle) -> list[Path]:
    """Centre-line paths of one glyph on the 5 x 9 cell."""
    try:
        return _GLYPHS[char](style)
    except KeyError:
        raise ValueError(f"no plate glyph for {char!r}") from None


def glyph_width(char: str, style: GlyphStyle) -> float:
    """Relative advance of a glyph (1.0 for most); I and 1 are narrow, M and W wide, unless the
    plate sets them in fixed cells."""
    if style.fixed_pitch:
        return 1.0
    if char in "I1":
        return 0.45 if not (char == "1" and style.flag_one) else 0.6
    if char in "MW":
        return 1.15
    if style.typeface == "fe" and char == "0":
        return 0.85
    return 1.0


def _o(s: GlyphStyle) -> list[Path]:
    r = 2.5 if s.typeface == "fe" else min(s.o_radius, 2.5)
    return [rounded_rect(0, 0, CELL_W, CELL_H, (r, r, r, r))]


def _zero(s: GlyphStyle) -> list[Path]:
    if s.typeface == "fe":
        r = min(s.radius, 2.2)
        return [rounded_rect(0, 0, CELL_W, CELL_H, (r, r, r, r))]
    return _o(s)  # Mandatory's 0 is its O


def _d(s: GlyphStyle) -> list[Path]:
    r = min(s.radius + 0.3, 2.4)
    return [rounded_rect(0, 0, CELL_W, CELL_H, (0, r, r, 0))]


def _q(s: GlyphStyle) -> list[Path]:
    return [*_o(s), [(3.0, 6.6), (5.3, 9.5)]]


def _c(s: GlyphStyle) -> list[Path]:
    r = s.radius
    return [outline_part(rounded_rect(0, 0, CELL_W, CELL_H, (r, r, r, r)), 35, 290)]


def _g(s: GlyphStyle) -> list[Path]:
    r = s.radius
    body = outline_part(rounded_rect(0, 0, CELL_W, CELL_H, (r, r, r, r)), 0, 325)
    return [[(2.7, 5.0), (CELL_W, 5.0), *body]]


def _u(s: GlyphStyle) -> list[Path]:
    r = s.radius
    return [[(0, 0), (0, CELL_H - r), *arc(r, CELL_H - r, r, 180, 90),
             *arc(CELL_W - r, CELL_H - r, r, 90, 0), (CELL_W, 0)]]  # fmt: skip


def _j(s: GlyphStyle) -> list[Path]:
    r = s.radius
    return [[(CELL_W, 0), (CELL_W, CELL_H - r), *arc(CELL_W - r, CELL_H - r, r, 0, 90),
             *arc(r, CELL_H - r, r, 90, 180), (0, 6.3)]]  # fmt: skip


def _s(s: GlyphStyle) -> list[Path]:
    r = min(s.radius, 2.2)
    top = [*arc(CELL_W - r, r, r, 20, -90), *arc(r, r, r, 270, 180),
           *arc(r, 4.5 - r, r, 180, 90)]  # fmt: skip
    bottom = [*arc(CELL_W - r, 4.5 + r, r, 270, 360), *arc(CELL_W - r, CELL_H - r, r, 0, 90),
              *arc(r, CELL_H - r, r, 90, 160)]  # fmt: skip
    return [top + bottom]


def _two(s: GlyphStyle) -> list[Path]:
    r = min(s.radius, 2.3)
    return [[*arc(r, r, r, 160, 270), *arc(CELL_W - r, r, r, 270, 360), (CELL_W, 3.4),
             (0, 8.3), (0, CELL_H), (CELL_W, CELL_H)]]  # fmt: skip


def _three(s: GlyphStyle) -> list[Path]:
    r = min(s.radius, 2.2)
    return [[*arc(r, r, r, 190, 270), *arc(CELL_W - r - 0.3, r, r, 270, 360),
             *arc(CELL_W - r - 0.3, 4.4 - r, r, 0, 90), (1.6, 4.4)],
            [(2.0, 4.4), *arc(CELL_W - r, 4.4 + r, r, 270, 360),
             *arc(CELL_W - r, CELL_H - r, r, 0, 90), *arc(r, CELL_H - r, r, 90, 170)]]  # fmt: skip


def _five(s: GlyphStyle) -> list[Path]:
    r = min(s.radius, 2.3)
    return [[(CELL_W, 0), (0.2, 0), (0, 4.1), *arc(CELL_W - r, 3.9 + r, r, 270, 360),
             *arc(CELL_W - r, CELL_H - r, r, 0, 90), *arc(r, CELL_H - r, r, 90, 170)]]  # fmt: skip


def _six(s: GlyphStyle) -> list[Path]:
    r = min(s.radius, 2.3)
    return [[*arc(CELL_W - r, r, r, 340, 270), *arc(r, r, r, 270, 180), (0, CELL_H - r),
             *arc(r, CELL_H - r, r, 180, 90), *arc(CELL_W - r, CELL_H - r, r, 90, 0),
             *arc(CELL_W - r, 4.0 + r, r, 0, -90), *arc(r, 4.0 + r, r, 270, 180)]]  # fmt: skip


def _eight(s: GlyphStyle) -> list[Path]:
    r = min(s.radius, 2.1)
    return [rounded_rect(0.3, 0, CELL_W - 0.3, 4.3, (r, r, r, r)),
            rounded_rect(0, 4.3, CELL_W, CELL_H, (r, r, r, r))]  # fmt: skip


def _four(s: GlyphStyle) -> list[Path]:
    if s.open_four:
        return [[(0.6, 0), (0, 6.2), (CELL_W, 6.2)], [(3.7, 2.6), (3.7, CELL_H)]]
    return [[(3.7, CELL_H), (3.7, 0), (0, 6.2), (CELL_W, 6.2)]]


def _one(s: GlyphStyle) -> list[Path]:
    if s.flag_one:
        return [[(0.8, 2.0), (3.2, 0), (3.2, CELL_H)]]
    return [[(2.5, 0), (2.5, CELL_H)]]


def _b(s: GlyphStyle) -> list[Path]:
    r = min(s.radius, 2.1)
    return [[(0, 0), (0, CELL_H), *arc(CELL_W - r, CELL_H - r, r, 90, 0),
             *arc(CELL_W - r, 4.3 + r, r, 0, -90), (0, 4.3)],
            [(0, 4.3), *arc(CELL_W - 0.3 - r, 4.3 - r, r, 90, 0),
             *arc(CELL_W - 0.3 - r, r, r, 0, -90), (0, 0)]]  # fmt: skip


def _p(s: GlyphStyle) -> list[Path]:
    r = min(s.radius, 2.4)
    return [[(0, CELL_H), (0, 0), *arc(CELL_W - r, r, r, 270, 360),
             *arc(CELL_W - r, 5.0 - r, r, 0, 90), (0, 5.0)]]  # fmt: skip


def _r(s: GlyphStyle) -> list[Path]:
    return [*_p(s), [(2.6, 5.0), (CELL_W, CELL_H)]]


def _lines(*paths: Sequence[Point]) -> Callable[[GlyphStyle], list[Path]]:
    frozen = [list(p) for p in paths]
    return lambda _s: [list(p) for p in frozen]


_W, _H = CELL_W, CELL_H
_GLYPHS: dict[str, Callable[[GlyphStyle], list[Path]]] = {
    "O": _o, "0": _zero, "D": _d, "Q": _q, "C": _c, "G": _g, "U": _u, "J": _j, "S": _s,
    "2": _two, "3": _three, "5": _five, "6": _six, "9": lambda s: _mirror(_six(s)),
    "8": _eight, "4": _four, "1": _one, "B": _b, "P": _p, "R": _r,
    "A": _lines([(0, _H), (1.9, 0), (3.1, 0), (_W, _H)], [(0.75, 6.0), (4.25, 6.0)]),
    "E": _lines([(_W, 0), (0, 0), (0, _H), (_W, _H)], [(0, 4.4), (4.0, 4.4)]),
    "F": _lines([(_W, 0), (0, 0), (0, _H)], [(0, 4.4), (4.0, 4.4)]),
    "H": _lines([(0, 0), (0, _H)], [(_W, 0), (_W, _H)], [(0, 4.4), (_W, 4.4)]),
    "I": _lines([(2.5, 0), (2.5, _H)]),
    "K": _lines([(0, 0), (0, _H)], [(_W, 0), (0.2, 5.6)], [(1.9, 3.9), (_W, _H)]),
    "L": _lines([(0, 0), (0, _H), (_W, _H)]),
    "M": _lines([(0, _H), (0, 0), (2.5, 5.6), (_W, 0), (_W, _H)]),
    "N": _lines([(0, _H), (0, 0), (_W, _H), (_W, 0)]),
    "T": _lines([(0, 0), (_W, 0)], [(2.5, 0), (2.5, _H)]),
    "V": _lines([(0, 0), (2.5, _H), (_W, 0)]),
    "W": _lines([(0, 0), (1.2, _H), (2.5, 3.2), (3.8, _H), (_W, 0)]),
    "X": _lines([(0, 0), (_W, _H)], [(_W, 0), (0, _H)]),
    "Y": _lines([(0, 0), (2.5, 4.6), (_W, 0)], [(2.5, 4.6), (2.5, _H)]),
    "Z": _lines([(0, 0), (_W, 0), (0, _H), (_W, _H)]),
    "7": _lines([(0, 0), (_W, 0), (_W, 1.0), (1.8, _H)]),
}  # fmt: skip

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
