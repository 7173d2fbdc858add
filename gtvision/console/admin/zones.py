"""Zones: add, rename, remove (its cameras go to *no zone*); cameras are moved between zones
by dragging them in the camera tree. Every console's tree follows through the zone and
camera events."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gtvision.console.admin.presenter import Presenter
from gtvision.console.qt import async_slot, resize_within_screen
from gtvision.console.session import ConsoleSession


class ZonesDialog(QDialog):
    createRequested = Signal(str)
    renameRequested = Signal(str, str)  # zone id, new name
    deleteRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Zones"))
        resize_within_screen(self, 420, 420)
        self.zones = QListWidget(self)
        self.zones.currentItemChanged.connect(self._picked)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("Zone name, e.g. Centro"))
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.clicked.connect(self._add)
        self.rename_button = QPushButton(self.tr("Rename"), self)
        self.rename_button.clicked.connect(self._rename)
        self.delete_button = QPushButton(self.tr("Remove…"), self)
        self.delete_button.clicked.connect(self._delete)
        self.status = QLabel(self.tr("Drag cameras between zones in the camera tree."), self)
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.name, 1)
        for button in (self.add_button, self.rename_button, self.delete_button):
            row.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.zones, 1)
        layout.addLayout(row)
        layout.addWidget(self.status)

    def show_zones(self, zones: list[tuple[str, str, int]]) -> None:
        """(id, name, cameras in it), sorted by name."""
        current = self._current()
        self.zones.clear()
        for zone_id, name, cameras in zones:
            if cameras:
                text = self.tr("%1 (%n cameras)", "", cameras).replace("%1", name)
            else:  # pt-BR's plural rule puts 0 with 1 ("0 câmera"): say it in words
                text = self.tr("%1 (no cameras)").replace("%1", name)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, zone_id)
            item.setData(Qt.ItemDataRole.UserRole + 1, name)
            self.zones.addItem(item)
            if zone_id == current:
                self.zones.setCurrentItem(item)

    def show_problem(self, text: str) -> None:
        self.status.setText(text)

    def _current(self) -> str | None:
        item = self.zones.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.name.setText(str(item.data(Qt.ItemDataRole.UserRole + 1)))

    def _add(self) -> None:
        if name := self.name.text().strip():
            self.createRequested.emit(name)

    def _rename(self) -> None:
        zone_id, name = self._current(), self.name.text().strip()
        if zone_id and name:
            self.renameRequested.emit(zone_id, name)

    def _delete(self) -> None:
        item = self.zones.currentItem()
        if item is None:
            return
        name = str(item.data(Qt.ItemDataRole.UserRole + 1))
        answer = QMessageBox.question(
            self, self.tr("Remove zone"),
            self.tr("Remove %1? Its cameras stay, with no zone.").replace("%1", name),
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self.deleteRequested.emit(str(item.data(Qt.ItemDataRole.UserRole)))


class ZoneEditor(Presenter):
    def __init__(self, session: ConsoleSession, parent: QWidget | None = None) -> None:
        self.dialog = ZonesDialog(parent)
        super().__init__(session, self.dialog, parent)
        self.dialog.createRequested.connect(self.create)
        self.dialog.renameRequested.connect(self.rename)
        self.dialog.deleteRequested.connect(self.delete)
        session.directoryChanged.connect(self.redraw)

    async def reload(self) -> None:
        self.redraw()  # from the session's directory, which the zone events keep current

    def redraw(self) -> None:
        counts: dict[str, int] = {}
        for camera in self.session.cameras.values():
            if camera.zone_id is not None:
                counts[str(camera.zone_id)] = counts.get(str(camera.zone_id), 0) + 1
        zones = sorted(self.session.zones.items(), key=lambda z: z[1].name.lower())
        self.dialog.show_zones([(zid, z.name, counts.get(zid, 0)) for zid, z in zones])

    @async_slot(str)
    async def create(self, name: str) -> None:
        if await self.ask(lambda api: api.create_zone(name)) is None:
            return
        self.dialog.name.clear()
        self.dialog.show_problem(self.tr("Zone %1 added").replace("%1", name))
        await self.session.reload_now()

    @async_slot(str, str)
    async def rename(self, zone_id: str, name: str) -> None:
        if (zone := self.session.zones.get(zone_id)) is not None:
            await self.ask(lambda api: api.update_zone(zone, {"name": name}))
            await self.session.reload_now()

    @async_slot(str)
    async def delete(self, zone_id: str) -> None:
        if (zone := self.session.zones.get(zone_id)) is not None:
            await self.done(lambda api: api.delete_zone(zone))
            await self.session.reload_now()
