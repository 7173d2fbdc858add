"""CSV that a spreadsheet opens as data: a cell starting with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return would be run as a formula (CSV injection), so it gets a leading ``'``."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value: object) -> object:
    """Text that a spreadsheet would evaluate, made literal; numbers and the rest unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


class SafeWriter:
    """``csv.writer`` whose every text cell is neutralised."""

    def __init__(self, out: IO[str]) -> None:
        self._writer = csv.writer(out)

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([neutralised(value) for value in row])
