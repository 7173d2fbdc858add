"""The live events panel: plate reads, alarms and camera status changes, newest first."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from gtvision.contract import EventMessage

_KEEP = 500
# Eight rows where the screen has room; three at the least, so the window still fits a
# 1366 x 768 screen: a minimum the screen cannot hold pushes the window's bottom off it.
VISIBLE_ROWS = 8
MIN_ROWS = 3


class EventsPanel(QListWidget):
    def __init__(
        self, camera_of: Callable[[EventMessage], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._camera_of = camera_of
        self.setAlternatingRowColors(True)
        self.setIconSize(QSize(168, 48))  # a plate crop readable at a glance
        self._row = max(self.iconSize().height(), self.fontMetrics().height()) + 10
        self.setMinimumHeight(MIN_ROWS * self._row + 2 * self.frameWidth())

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), VISIBLE_ROWS * self._row + 2 * self.frameWidth())

    def set_thumbnail(self, detection_id: str, image: bytes) -> None:
        """The plate crop next to its read, once it has been fetched."""
        pixmap = QPixmap()
        if not pixmap.loadFromData(image):
            return
        icon = QIcon(pixmap.scaled(self.iconSize(), Qt.AspectRatioMode.KeepAspectRatio))
        for row in range(min(self.count(), 50)):  # it arrives moments after its read
            item = self.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == detection_id:  # the read, and its alert
                item.setIcon(icon)

    def _directory_text(self, event_type: str) -> str | None:
        """A camera, zone or watch list added, changed or removed, in words."""
        return {
            "camera.created": self.tr("%1  camera %2 added"),
            "camera.updated": self.tr("%1  camera %2 changed"),
            "camera.deleted": self.tr("%1  camera %2 removed"),
            "zone.created": self.tr("%1  zone %2 added"),
            "zone.updated": self.tr("%1  zone %2 changed"),
            "zone.deleted": self.tr("%1  zone %2 removed"),
            "watchlist.created": self.tr("%1  watch list %2 added"),
            "watchlist.updated": self.tr("%1  watch list %2 changed"),
            "watchlist.deleted": self.tr("%1  watch list %2 removed"),
        }.get(event_type)

    def add_event(self, event: EventMessage) -> None:
        camera = self._camera_of(event)
        when = event.at.astimezone().strftime("%H:%M:%S")
        data = event.data
        if event.type == "plate.read":
            text = self.tr("%1  %2 at %3").replace("%1", when)
            text = text.replace("%2", str(data.get("plate", "?"))).replace("%3", camera)
        elif event.type == "alert.raised":
            text = self.tr("%1  ALERT %2 at %3: %4").replace("%1", when)
            text = text.replace("%2", str(data.get("plate", "?"))).replace("%3", camera)
            text = text.replace("%4", str(data.get("reason", "")))
        elif event.type == "alert.updated":
            text = self.tr("%1  alert %2 seen again at %3 (%4 times)").replace("%1", when)
            text = text.replace("%2", str(data.get("plate", "?"))).replace("%3", camera)
            text = text.replace("%4", str(data.get("sightings", "?")))
        elif event.type == "alert.reannounced":
            text = self.tr("%1  ALERT %2 at %3 still waits: %4").replace("%1", when)
            text = text.replace("%2", str(data.get("plate", "?"))).replace("%3", camera)
            text = text.replace("%4", str(data.get("reason", "")))
        elif event.type == "alert.acknowledged":
            text = self.tr("%1  alert %2 acknowledged by %3").replace("%1", when)
            text = text.replace("%2", str(data.get("plate", "?")))
            text = text.replace("%3", str(data.get("by", "?")))
        elif (directory := self._directory_text(event.type)) is not None:
            text = directory.replace("%1", when).replace("%2", str(data.get("name") or "?"))
        elif event.type == "camera.status":
            text = self.tr("%1  %2 is now %3").replace("%1", when).replace("%2", camera)
            text = text.replace("%3", str(data.get("status", "?")))
        else:
            text = f"{when}  {event.type} {camera}"
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, str(data.get("detection_id", "")))
        if event.type in ("alert.raised", "alert.reannounced"):
            item.setForeground(QColor("#ff6b6b"))
        self.insertItem(0, item)
        while self.count() > _KEEP:
            self.takeItem(self.count() - 1)
