"""Wall layouts as pure geometry: which grid cell each tile covers.

A layout is a square or rectangular grid plus an optional big tile in the top-left corner;
``1+5`` is a 3x3 grid whose first tile spans 2x2, ``1+7`` a 4x4 grid whose first spans 3x3.
Kept free of Qt so the rules (tile order, what survives a layout switch) are tested alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_CUSTOM = re.compile(r"^(\d{1,2})x(\d{1,2})$")


@dataclass(frozen=True, slots=True)
class Cell:
    row: int
    column: int
    row_span: int = 1
    column_span: int = 1


@dataclass(frozen=True, slots=True)
class WallLayout:
    """``rows`` x ``columns`` grid; the first tile spans ``big`` x ``big`` cells (1 = none)."""

    name: str
    rows: int
    columns: int
    big: int = 1

    def __post_init__(self) -> None:
        if not (1 <= self.rows <= 8 and 1 <= self.columns <= 8):
            raise ValueError(f"a wall grid has 1 to 8 rows and columns, not {self.name!r}")
        if not 1 <= self.big <= min(self.rows, self.columns):
            raise ValueError(f"the big tile of {self.name!r} does not fit its grid")

    @property
    def cells(self) -> tuple[Cell, ...]:
        """Tiles in reading order: the big tile first, then the free cells row by row."""
        cells = [Cell(0, 0, self.big, self.big)]
        for row in range(self.rows):
            for column in range(self.columns):
                if (row, column) == (0, 0) or (row < self.big and column < self.big):
                    continue
                cells.append(Cell(row, column))
        return tuple(cells)

    @property
    def size(self) -> int:
        return self.rows * self.columns - self.big * self.big + 1

    @classmethod
    def parse(cls, name: str) -> WallLayout:
        """A preset name (``2x2``, ``1+5``…) or a custom grid ``RxC``."""
        if name in PRESETS:
            return PRESETS[name]
        match = _CUSTOM.match(name.strip())
        if match is None:
            raise ValueError(f"unknown layout {name!r}: use one of {', '.join(PRESETS)} or RxC")
        return cls(name.strip(), int(match[1]), int(match[2]))


PRESETS: dict[str, WallLayout] = {
    layout.name: layout
    for layout in (
        WallLayout("1x1", 1, 1),
        WallLayout("2x2", 2, 2),
        WallLayout("3x3", 3, 3),
        WallLayout("4x4", 4, 4),
        WallLayout("1+5", 3, 3, big=2),
        WallLayout("1+7", 4, 4, big=3),
    )
}


def carry_over(assignments: list[str | None], layout: WallLayout) -> list[str | None]:
    """What a layout switch keeps: cameras in tile order, first the filled tiles, then empty
    ones, truncated or padded to the new size (an operator expects no camera to jump around)."""
    kept = [camera for camera in assignments if camera is not None][: layout.size]
    return kept + [None] * (layout.size - len(kept))


def tour_pages(cameras: list[str | None], layout: WallLayout) -> list[list[str | None]]:
    """A view with more cameras than tiles, as the pages a tour shows in turn (the last page
    padded with empty tiles); a view that fits is one page."""
    size = layout.size
    pages = [cameras[i : i + size] for i in range(0, max(len(cameras), 1), size)]
    return [page + [None] * (size - len(page)) for page in pages]
