"""The camera tree: tenant → zone → camera, live status, a filter box, drag onto the wall."""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRectF,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QPainter,
    QPen,
    QPixmap,
    QPolygonF,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QLineEdit, QMenu, QTreeView, QVBoxLayout, QWidget

from gtvision.console.widgets.tile import CAMERA_MIME
from gtvision.contract import Camera, Zone

CAMERA_ID_ROLE = Qt.ItemDataRole.UserRole + 1
ZONE_ID_ROLE = Qt.ItemDataRole.UserRole + 2  # on zone rows; "" on "no zone"

STATUS_COLOURS = {
    "online": "#2fb344",
    "degraded": "#f59f00",
    "offline": "#d63939",
    "unauthorized": "#ae3ec9",
    "unknown": "#8a94a6",
}


@functools.cache
def status_icon(status: str, size: int = 16) -> QIcon:
    """Told apart by shape too: a disc (online), a triangle (degraded), a square (offline),
    a cross (wrong credentials), a ring (unknown)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(STATUS_COLOURS.get(status, STATUS_COLOURS["unknown"]))
    m = size * 0.15
    box = QRectF(m, m, size - 2 * m, size - 2 * m)
    if status == "online":
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(box)
    elif status == "degraded":
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawPolygon(QPolygonF([QPointF(size / 2, m), box.bottomRight(), box.bottomLeft()]))
    elif status == "offline":
        painter.fillRect(box, colour)
    elif status == "unauthorized":
        painter.setPen(QPen(colour, size / 6))
        painter.drawLine(box.topLeft(), box.bottomRight())
        painter.drawLine(box.topRight(), box.bottomLeft())
    else:
        painter.setPen(QPen(colour, size / 8))
        painter.drawEllipse(box)
    painter.end()
    return QIcon(pixmap)


class _CameraModel(QStandardItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.on_move: Callable[[str, str], None] | None = None  # set while moves are allowed

    def mimeTypes(self) -> list[str]:
        return [CAMERA_MIME]

    def canDropMimeData(
        self,
        data: QMimeData,
        _action: Qt.DropAction,
        _row: int,
        _column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        moving = self.on_move is not None and data.hasFormat(CAMERA_MIME)
        return moving and self.zone_at(parent) is not None

    def dropMimeData(
        self,
        data: QMimeData,
        _action: Qt.DropAction,
        _row: int,
        _column: int,
        parent: QModelIndex | QPersistentModelIndex,
    ) -> bool:
        """A camera dropped on a zone (or on a camera in it): asked of the service; the tree
        is redrawn from the directory event, so nothing moves here."""
        zone_id = self.zone_at(parent)
        if self.on_move is None or zone_id is None or not data.hasFormat(CAMERA_MIME):
            return False
        self.on_move(bytes(data.data(CAMERA_MIME).data()).decode(), zone_id)
        return False

    def zone_at(self, index: QModelIndex | QPersistentModelIndex) -> str | None:
        if not index.isValid():
            return None
        item: QStandardItem | None = self.itemFromIndex(
            self.index(index.row(), index.column(), index.parent())
        )
        while item is not None:
            zone_id = item.data(ZONE_ID_ROLE)
            if zone_id is not None:
                return str(zone_id)
            item = item.parent()
        return None

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        mime = QMimeData()
        for index in indexes:
            camera_id = index.data(CAMERA_ID_ROLE)
            if camera_id:
                mime.setData(CAMERA_MIME, QByteArray(str(camera_id).encode()))
                break
        return mime


class CameraTree(QWidget):
    openRequested = Signal(str)
    openInNewWindowRequested = Signal(str)
    snapshotRequested = Signal(str)
    propertiesRequested = Signal(str)
    settingsRequested = Signal(str)  # admins
    cameraMoveRequested = Signal(str, str)  # camera id, zone id ("" for none); admins

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = _CameraModel(self)
        self._items: dict[str, QStandardItem] = {}
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self.model)
        self._proxy.setRecursiveFilteringEnabled(True)
        self._proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText(self.tr("Filter cameras…"))
        self.filter.setClearButtonEnabled(True)
        self.filter.textChanged.connect(self._apply_filter)
        self.view = QTreeView(self)
        self.view.setModel(self._proxy)
        self.view.setHeaderHidden(True)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QTreeView.DragDropMode.DragOnly)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        self.view.doubleClicked.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter)
        layout.addWidget(self.view)
        self.administering = False

    def allow_administration(self, on: bool) -> None:
        """Admins drag cameras between zones (empty ones shown too) and open their settings
        from here."""
        self.administering = on
        self.model.on_move = self.cameraMoveRequested.emit if on else None
        mode = QTreeView.DragDropMode.DragDrop if on else QTreeView.DragDropMode.DragOnly
        self.view.setDragDropMode(mode)
        self.view.setAcceptDrops(on)
        self.view.setDropIndicatorShown(on)

    def populate(self, tenant: str, zones: Sequence[Zone], cameras: Sequence[Camera]) -> None:
        self.model.clear()
        self._items = {}
        root = self._group(tenant or self.tr("Cameras"))
        self.model.appendRow(root)
        by_zone = {
            z.id: self._group(z.name, str(z.id))
            for z in sorted(zones, key=lambda z: z.name.lower())
        }
        no_zone = self._group(self.tr("No zone"), "")
        for camera in sorted(cameras, key=lambda c: c.name.lower()):
            item = QStandardItem(camera.name)
            item.setEditable(False)
            item.setData(str(camera.id), CAMERA_ID_ROLE)
            item.setDragEnabled(True)
            zone = by_zone.get(camera.zone_id) if camera.zone_id else None
            (zone or no_zone).appendRow(item)
            self._items[str(camera.id)] = item
            self.set_status(str(camera.id), camera.status.value)
        for group in [*by_zone.values(), no_zone]:
            if group.rowCount() or (self.administering and group is not no_zone):
                root.appendRow(group)  # empty zones too for admins: somewhere to drop cameras
        self.view.expandAll()

    def set_status(self, camera_id: str, status: str) -> None:
        item = self._items.get(camera_id)
        if item is None:
            return
        colour = STATUS_COLOURS.get(status, STATUS_COLOURS["unknown"])
        item.setForeground(QBrush(QColor(colour)))
        item.setIcon(status_icon(status))  # a shape as well as a colour
        item.setToolTip(self.tr("Status: %1").replace("%1", self._status_label(status)))

    def _status_label(self, status: str) -> str:
        return {
            "online": self.tr("online"),
            "degraded": self.tr("degraded"),
            "offline": self.tr("offline"),
            "unauthorized": self.tr("wrong credentials"),
        }.get(status, self.tr("unknown"))

    def camera_ids(self) -> list[str]:
        """Cameras in tree order, as shown under the current filter."""
        found: list[str] = []

        def walk(parent: QModelIndex) -> None:
            for row in range(self._proxy.rowCount(parent)):
                index = self._proxy.index(row, 0, parent)
                if camera_id := index.data(CAMERA_ID_ROLE):
                    found.append(str(camera_id))
                walk(index)

        walk(QModelIndex())
        return found

    def _apply_filter(self, text: str) -> None:
        self._proxy.setFilterFixedString(text)
        self.view.expandAll()  # matches are never hidden inside a collapsed zone

    def _group(self, title: str, zone_id: str | None = None) -> QStandardItem:
        item = QStandardItem(title)
        item.setEditable(False)
        item.setDragEnabled(False)
        if zone_id is not None:
            item.setData(zone_id, ZONE_ID_ROLE)
        return item

    def _activated(self, index: QModelIndex) -> None:
        if camera_id := index.data(CAMERA_ID_ROLE):
            self.openRequested.emit(str(camera_id))

    def _menu(self, position: QPoint) -> None:
        camera_id = self.view.indexAt(position).data(CAMERA_ID_ROLE)
        if not camera_id:
            return
        menu = QMenu(self)
        for text, signal in (
            (self.tr("Open"), self.openRequested),
            (self.tr("Open in new window"), self.openInNewWindowRequested),
            (self.tr("Snapshot…"), self.snapshotRequested),
            (self.tr("Properties"), self.propertiesRequested),
        ):
            menu.addAction(text, functools.partial(signal.emit, str(camera_id)))
        if self.administering:
            menu.addSeparator()
            settings = functools.partial(self.settingsRequested.emit, str(camera_id))
            menu.addAction(self.tr("Settings…"), settings)
        menu.exec(self.view.viewport().mapToGlobal(position))
