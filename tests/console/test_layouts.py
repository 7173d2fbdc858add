"""Wall layouts: pure geometry, no Qt."""

from __future__ import annotations

import pytest

from gtvision.console.layouts import PRESETS, WallLayout, carry_over, tour_pages


@pytest.mark.parametrize(
    ("name", "tiles"), [("1x1", 1), ("2x2", 4), ("3x3", 9), ("4x4", 16), ("1+5", 6), ("1+7", 8)]
)
def test_presets_cover_their_grid_exactly_once(name: str, tiles: int) -> None:
    layout = PRESETS[name]
    assert layout.size == tiles == len(layout.cells)
    covered = [
        (row, column)
        for cell in layout.cells
        for row in range(cell.row, cell.row + cell.row_span)
        for column in range(cell.column, cell.column + cell.column_span)
    ]
    assert sorted(covered) == [(r, c) for r in range(layout.rows) for c in range(layout.columns)]


def test_the_big_tile_comes_first() -> None:
    first, second = PRESETS["1+5"].cells[:2]
    assert (first.row_span, first.column_span) == (2, 2)
    assert (second.row, second.column) == (0, 2)


def test_custom_grids_parse_and_bad_names_say_what_is_allowed() -> None:
    assert WallLayout.parse("5x6").size == 30
    assert WallLayout.parse("1+7") is PRESETS["1+7"]
    with pytest.raises(ValueError, match="1x1, 2x2"):
        WallLayout.parse("big")
    with pytest.raises(ValueError, match="1 to 8"):
        WallLayout.parse("9x9")


def test_a_layout_switch_keeps_cameras_in_order() -> None:
    assert carry_over(["a", None, "b", "c"], PRESETS["1x1"]) == ["a"]
    assert carry_over([None, "a", None, "b"], PRESETS["3x3"]) == ["a", "b"] + [None] * 7


def test_tours_page_cameras_through_the_layout() -> None:
    cams: list[str | None] = ["a", "b", "c", "d", "e"]
    assert tour_pages(cams, PRESETS["2x2"]) == [["a", "b", "c", "d"], ["e", None, None, None]]
    assert tour_pages(["a"], PRESETS["2x2"]) == [["a", None, None, None]]
    assert tour_pages([], PRESETS["1x1"]) == [[None]]
