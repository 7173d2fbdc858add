"""Qt plumbing: typed seams onto qasync (which ships without types), GUI-thread collection."""

from __future__ import annotations

import gc
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, cast

import qasync
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QWidget

P = ParamSpec("P")
AsyncMethod = Callable[P, Coroutine[Any, Any, None]]


def async_slot(*types: type) -> Callable[[AsyncMethod[P]], Callable[P, None]]:
    """``qasync.asyncSlot``: a Qt slot that runs a coroutine on the one loop as a task."""
    return cast(Callable[[AsyncMethod[P]], Callable[P, None]], qasync.asyncSlot(*types))


def resize_within_screen(window: QWidget, width: int, height: int) -> None:
    """Open at ``width`` x ``height``, or at what its screen has free where that is less (a
    1366 x 768 laptop): a window taller than its screen hides its buttons."""
    free = window.screen().availableGeometry()
    window.resize(min(width, free.width()), min(height, free.height()))


def run(coroutine: Coroutine[Any, Any, int]) -> int:
    """Run the console's main coroutine on a qasync loop driving the Qt application."""
    return cast(int, qasync.run(coroutine))


class MainThreadGarbageCollector(QObject):
    """Python's cycle collector runs in whichever thread happens to allocate: a player's
    decoding thread would then destroy Qt widgets off the GUI thread and crash later in a
    timer. So automatic collection is off and this collects on the GUI thread instead, with
    the same generation thresholds (the qutebrowser approach)."""

    def __init__(self, parent: QObject, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.collect)
        self._timer.start(interval_ms)

    def collect(self) -> None:
        counts, thresholds = gc.get_count(), gc.get_threshold()
        generation = -1
        for level in range(3):
            if counts[level] > thresholds[level]:
                generation = level
        if generation >= 0:
            gc.collect(generation)
