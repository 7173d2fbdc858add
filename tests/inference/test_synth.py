"""The synthetic plate renderer: every glyph draws; the look-alikes it must teach differ."""

from __future__ import annotations

import random

import cv2
import numpy as np
import pytest

from gtvision.inference.synth.glyphs import ALPHABET, GlyphStyle, glyph_paths
from gtvision.inference.synth.plates import (
    PlateSpec,
    _stroke_glyph,
    _text_row,
    random_text,
    render_plate,
)

MANDATORY = GlyphStyle("mandatory", 2.0, open_four=False, flag_one=False)


def raster(char: str, style: GlyphStyle = MANDATORY) -> np.ndarray:
    img = np.zeros((96, 60), np.uint8)
    for path in glyph_paths(char, style):
        pts = np.array([[5 + x * 10, 3 + y * 10] for x, y in path], np.int32)
        cv2.polylines(img, [pts], False, 255, 6)
    return img


@pytest.mark.parametrize("char", list(ALPHABET))
def test_every_character_has_a_glyph_inside_its_cell(char: str) -> None:
    paths = glyph_paths(char, MANDATORY)
    points = [p for path in paths for p in path]
    assert points
    assert all(-0.5 <= x <= 5.5 and -0.5 <= y <= 9.6 for x, y in points)


@pytest.mark.parametrize(("a", "b"), [("O", "D"), ("O", "Q"), ("B", "8"), ("S", "5"), ("G", "6")])
def test_confusable_glyphs_are_drawn_differently(a: str, b: str) -> None:
    diff = np.count_nonzero(raster(a) != raster(b))
    assert diff > 150, f"{a} and {b} differ in only {diff} pixels"


def test_mandatory_o_has_round_left_corners_and_d_square_ones() -> None:
    o, d = raster("O"), raster("D")
    # The top-left corner of the cell: D's stroke reaches it, O's rounded corner does not.
    assert d[3:9, 2:8].mean() > 100
    assert o[3:9, 2:8].mean() < 60


def test_bold_strokes_keep_a_square_corner_square() -> None:
    """OpenCV joins a thick line's segments round: unmitred, a bold D's back corners came out
    as round as an O's, and a recogniser trained on them read real O's as D."""

    def draw(char: str) -> np.ndarray:
        img = np.zeros((160, 120, 3), np.uint8)
        _stroke_glyph(img, char, MANDATORY, (20.0, 20.0), 80.0, 13.0, (255, 255, 255), 16.0)
        return img[..., 0]

    d, o = draw("D"), draw("O")
    assert d[20, 20] == 255  # the back's top corner
    assert d[60, 20] == 255  # and the back
    outside = (slice(13, 15), slice(13, 15))  # past a round join's reach (8 px) of (20, 20)
    assert d[outside].mean() > 200
    assert o[outside].mean() < 50


def test_an_unknown_character_is_refused() -> None:
    with pytest.raises(ValueError, match="no plate glyph"):
        glyph_paths("#", MANDATORY)


@pytest.mark.parametrize(("kind", "layout"), [("antigo", "car"), ("mercosul", "car"),
                                              ("antigo", "moto"),
                                              ("mercosul", "moto")])  # fmt: skip
def test_plates_render_at_their_regulation_proportions(kind: str, layout: str) -> None:
    rng = random.Random(1)
    spec = PlateSpec(random_text(kind, rng), kind, layout)  # type: ignore[arg-type]
    image = render_plate(spec, rng, px_per_mm=2.0).image
    h, w = image.shape[:2]
    expected = {"car": 400 / 130, "moto": 187 / 136 if kind == "antigo" else 200 / 170}[layout]
    assert w / h == pytest.approx(expected, rel=0.02)
    assert image.std() > 20  # something was drawn on it


def test_plate_texts_follow_their_format() -> None:
    rng = random.Random(2)
    olds, news = [], []
    for _ in range(400):
        old, new = random_text("antigo", rng), random_text("mercosul", rng)
        assert old[:3].isalpha()
        assert old[3:].isdigit()
        assert new[:3].isalpha()
        assert new[3].isdigit()
        assert new[4].isalpha()
        assert new[5:].isdigit()
        olds.append(old)
        news.append(new)
    # Grey plates from the national sequence's blocks (A to R); Mercosur's run on past them.
    assert {o[0] for o in olds} == set("ABCDEFGHIJKLMNOPQR")
    assert any(n[0] in "STUVWXYZ" for n in news)


@pytest.mark.parametrize(("fixed", "evenly"), [(True, True), (False, False)])
def test_grey_plates_set_a_one_in_a_full_cell(fixed: bool, evenly: bool) -> None:
    """Grey plates are fixed-pitch (br-dev's OUH9191: a 1 centred in a cell as wide as a 9's); set
    proportionally, the glyph after a 1 comes early."""
    style = GlyphStyle("mandatory", 2.0, open_four=False, flag_one=False, fixed_pitch=fixed)
    img = np.zeros((100, 600, 3), np.uint8)
    _text_row(img, "9919", (20.0, 10.0, 580.0, 90.0), style, (255, 255, 255), 8.0)
    ink = img[..., 0].max(axis=0) > 128
    edges = np.flatnonzero(np.diff(ink.astype(np.int8)))
    runs = edges.reshape(-1, 2)
    assert len(runs) == 4, "four glyphs, each one run of inked columns"
    steps = np.diff(runs.mean(axis=1))
    assert bool(np.ptp(steps) < 0.05 * steps.mean()) is evenly
