"""The playback timeline: what was recorded (bars), what happened (marks), where we are (the
playhead). Click or drag to seek; the wheel zooms around the pointer, from a minute to a month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QWheelEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

MIN_SPAN = timedelta(minutes=1)
MAX_SPAN = timedelta(days=31)
_TICKS = [  # label spacing, chosen so that labels stay ~80 px apart
    timedelta(seconds=10), timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=5),
    timedelta(minutes=15), timedelta(hours=1), timedelta(hours=3), timedelta(hours=6),
    timedelta(days=1), timedelta(days=7),
]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Mark:
    at: datetime
    kind: str  # "read", "alert" or "bookmark"
    label: str


MARK_COLOURS = {
    "read": QColor("#f2c94c"),
    "alert": QColor("#eb5757"),
    "bookmark": QColor("#56ccf2"),
}


class Timeline(QWidget):
    seekRequested = Signal(object)  # datetime (aware)
    windowChanged = Signal(object, object)  # start, end: the owner may load what is now visible

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        now = datetime.now().astimezone()
        self.start, self.end = now - timedelta(hours=1), now
        self.ranges: list[tuple[datetime, datetime]] = []
        self.marks: list[Mark] = []
        self.position: datetime | None = None
        self.setMinimumHeight(56)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    # What it shows --------------------------------------------------------------------------

    def set_window(self, start: datetime, end: datetime) -> None:
        span = min(max(end - start, MIN_SPAN), MAX_SPAN)
        centre = start + (end - start) / 2
        self.start, self.end = centre - span / 2, centre + span / 2
        self.update()
        self.windowChanged.emit(self.start, self.end)

    def set_ranges(self, ranges: list[tuple[datetime, datetime]]) -> None:
        self.ranges = ranges
        self.update()

    def set_marks(self, marks: list[Mark]) -> None:
        self.marks = marks
        self.update()

    def set_position(self, at: datetime | None) -> None:
        self.position = at
        self.update()

    def recorded(self, at: datetime) -> bool:
        return any(start <= at < end for start, end in self.ranges)

    # Geometry -------------------------------------------------------------------------------

    def x_of(self, at: datetime) -> float:
        return (at - self.start) / (self.end - self.start) * self.width()

    def time_at(self, x: float) -> datetime:
        fraction = min(max(x / max(self.width(), 1), 0.0), 1.0)
        return self.start + (self.end - self.start) * fraction

    # Painting -------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#161a22"))
        track = QRectF(0, 20, self.width(), self.height() - 28)
        painter.fillRect(track, QColor("#2a2f3a"))  # not recorded: a gap, not an error
        for start, end in self.ranges:
            if end < self.start or start > self.end:
                continue
            left, right = self.x_of(max(start, self.start)), self.x_of(min(end, self.end))
            painter.fillRect(QRectF(left, track.top(), max(right - left, 1.0), track.height()),
                             QColor("#2f9e5a"))  # fmt: skip
        self._paint_ticks(painter)
        for mark in self.marks:
            if self.start <= mark.at <= self.end:
                x = self.x_of(mark.at)
                painter.setPen(MARK_COLOURS.get(mark.kind, QColor("white")))
                painter.drawLine(QPointF(x, track.top()), QPointF(x, track.bottom()))
        if self.position is not None and self.start <= self.position <= self.end:
            x = self.x_of(self.position)
            painter.setPen(QColor("#ff4d4f"))
            painter.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        painter.end()

    def _paint_ticks(self, painter: QPainter) -> None:
        span = self.end - self.start
        step = next((t for t in _TICKS if self.width() * (t / span) >= 80), _TICKS[-1])
        local = self.start.astimezone()
        epoch = datetime(2000, 1, 3, tzinfo=local.tzinfo)  # a Monday: weeks start there
        first = epoch + ((local - epoch) // step + 1) * step
        if step >= timedelta(days=1):
            label = "%d/%m"
        else:
            label = "%H:%M" if step >= timedelta(minutes=1) else "%H:%M:%S"
        painter.setPen(QColor("#8a94a6"))
        tick = first
        while tick <= self.end:
            x = self.x_of(tick)
            painter.drawLine(QPointF(x, 14), QPointF(x, 20))
            painter.drawText(QPointF(x + 3, 12), tick.strftime(label))
            tick += step

    # Interaction ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._seek(event.position().x())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._seek(event.position().x())
        else:
            at = self.time_at(event.position().x()).astimezone()
            near = [m for m in self.marks if abs(self.x_of(m.at) - event.position().x()) < 4]
            tip = at.strftime("%d/%m/%Y %H:%M:%S")
            if near:
                tip += "\n" + "\n".join(m.label for m in near[:5])
            self.setToolTip(tip)

    def _seek(self, x: float) -> None:
        at = self.time_at(x)
        self.set_position(at)
        self.seekRequested.emit(at)

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if not steps:
            return
        pivot = self.time_at(event.position().x())
        factor = 0.8**steps  # wheel up zooms in
        span = min(max((self.end - self.start) * factor, MIN_SPAN), MAX_SPAN)
        fraction = event.position().x() / max(self.width(), 1)
        self.start = pivot - span * fraction
        self.end = self.start + span
        self.update()
        self.windowChanged.emit(self.start, self.end)
