"""*Find cameras…*: the service looks on its network (WS-Discovery, mDNS), the admin ticks the
cameras to add, types their user and password once, picks a zone, and each row says what came
of it (added, wrong password, unreachable, not ONVIF). A camera can also be added by its ONVIF
address or by an RTSP URL, for the ones discovery cannot see."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gtvision.console.api import RequestRejected, ServiceError
from gtvision.console.qt import async_slot, resize_within_screen
from gtvision.console.session import ConsoleSession
from gtvision.contract import CameraCreate, DiscoveredCamera, StreamProfile

GOOD, BAD, NEUTRAL = "#2fb344", "#d63939", "#8a94a6"


@dataclass(frozen=True, slots=True)
class Found:
    """One row of the search: where to ask, and what it said of itself."""

    key: str  # the ONVIF address asked (or the mDNS name)
    name: str
    hardware: str
    address: str
    known: bool  # already one of the city's cameras

    @classmethod
    def of(cls, device: DiscoveredCamera) -> Found:
        address = device.xaddrs[0] if device.xaddrs else ", ".join(device.addresses)
        return cls(
            key=address, name=device.name or "", hardware=device.hardware or "",
            address=", ".join(device.addresses) or address, known=device.camera_id is not None,
        )  # fmt: skip


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


class CameraFinderDialog(QDialog):
    searchRequested = Signal(list, list)  # interfaces, address ranges
    addRequested = Signal(list, str, str, str)  # [ONVIF address], user, password, zone id
    addRtspRequested = Signal(str, str, str, str, str)  # name, URL, user, password, zone id

    COLUMNS = 5  # ✓ name, maker/model, address, result

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Find cameras"))
        resize_within_screen(self, 860, 560)
        self.interfaces = QLineEdit(self)
        self.interfaces.setPlaceholderText(self.tr("every interface of the server"))
        self.ranges = QLineEdit(self)
        self.ranges.setPlaceholderText("192.168.10.0/24")
        self.search_button = QPushButton(self.tr("Search"), self)
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(self._search)
        where = QFormLayout()
        where.addRow(self.tr("Interfaces (optional)"), self.interfaces)
        where.addRow(self.tr("Address ranges, where multicast is blocked"), self.ranges)

        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setHorizontalHeaderLabels(
            ["", self.tr("Name"), self.tr("Maker / model"), self.tr("Address"), self.tr("Result")]
        )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        self.username = QLineEdit("admin", self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.zone = QComboBox(self)
        self.add_button = QPushButton(self.tr("Add the ticked cameras"), self)
        self.add_button.clicked.connect(self._add_ticked)
        credentials = QGroupBox(self.tr("For every camera added"), self)
        form = QFormLayout(credentials)
        form.addRow(self.tr("User"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Zone"), self.zone)

        self.address = QLineEdit(self)
        self.address.setPlaceholderText("192.168.0.20:80")
        self.add_address_button = QPushButton(self.tr("Add by ONVIF address"), self)
        self.add_address_button.clicked.connect(self._add_address)
        by_address = QWidget(self)
        row = QHBoxLayout(by_address)
        row.addWidget(self.address, 1)
        row.addWidget(self.add_address_button)

        self.rtsp_name = QLineEdit(self)
        self.rtsp_url = QLineEdit(self)
        self.rtsp_url.setPlaceholderText("rtsp://192.168.0.30:554/stream1")
        self.add_rtsp_button = QPushButton(self.tr("Add by RTSP URL"), self)
        self.add_rtsp_button.clicked.connect(self._add_rtsp)
        by_rtsp = QWidget(self)
        rtsp_form = QFormLayout(by_rtsp)
        rtsp_form.addRow(self.tr("Name"), self.rtsp_name)
        rtsp_form.addRow(self.tr("RTSP URL"), self.rtsp_url)
        rtsp_form.addRow(self.add_rtsp_button)

        found = QWidget(self)
        found_layout = QVBoxLayout(found)
        found_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addLayout(where, 1)
        top.addWidget(self.search_button, 0, Qt.AlignmentFlag.AlignBottom)
        found_layout.addLayout(top)
        found_layout.addWidget(self.table, 1)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(found, self.tr("Search the network"))
        self.tabs.addTab(by_address, self.tr("By address"))
        self.tabs.addTab(by_rtsp, self.tr("By RTSP URL"))

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(credentials)
        layout.addLayout(buttons)
        self._rows: dict[str, int] = {}
        self.tabs.currentChanged.connect(lambda i: self.add_button.setVisible(i == 0))

    # Shown by the presenter -------------------------------------------------------------

    def set_zones(self, zones: list[tuple[str, str]]) -> None:
        current = self.zone.currentData()
        self.zone.clear()
        self.zone.addItem(self.tr("No zone"), "")
        for zone_id, name in zones:
            self.zone.addItem(name, zone_id)
        self.zone.setCurrentIndex(max(0, self.zone.findData(current)))

    def show_found(self, found: list[Found]) -> None:
        self.search_button.setEnabled(True)
        self.table.setRowCount(0)
        self._rows = {}
        for device in found:
            row = self.table.rowCount()
            self.table.insertRow(row)
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(Qt.CheckState.Unchecked if device.known else Qt.CheckState.Checked)
            tick.setData(Qt.ItemDataRole.UserRole, device.key)
            self.table.setItem(row, 0, tick)
            for column, text in enumerate((device.name, device.hardware, device.address), 1):
                self.table.setItem(row, column, QTableWidgetItem(text))
            self._set_result(row, self.tr("Already added") if device.known else "", NEUTRAL)
            self._rows[device.key] = row
        self.status.setText(self.tr("%n camera(s) found", "", len(found)))

    def show_result(self, key: str, ok: bool, text: str) -> None:
        """One camera's outcome, on its own row (or in the status line for a typed one)."""
        row = self._rows.get(key)
        if row is None:
            self.status.setText(text)
            return
        self._set_result(row, text, GOOD if ok else BAD)
        if ok:
            self._cell(row, 0).setCheckState(Qt.CheckState.Unchecked)

    def result_of(self, key: str) -> str:
        row = self._rows.get(key)
        return self._cell(row, 4).text() if row is not None else ""

    def _cell(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        assert item is not None, "every row is filled when it is made"
        return item

    def finished_adding(self, added: int, failed: int) -> None:
        for button in (self.add_button, self.add_address_button, self.add_rtsp_button):
            button.setEnabled(True)
        text = self.tr("%1 added, %2 not added").replace("%1", str(added))
        self.status.setText(text.replace("%2", str(failed)))
        if added and not failed:
            self.password.clear()

    def show_problem(self, text: str) -> None:
        for button in (self.search_button, self.add_button, self.add_address_button,
                       self.add_rtsp_button):  # fmt: skip
            button.setEnabled(True)
        self.status.setText(text)

    def ticked(self) -> list[str]:
        return [
            str(self._cell(row, 0).data(Qt.ItemDataRole.UserRole))
            for row in range(self.table.rowCount())
            if self._cell(row, 0).checkState() == Qt.CheckState.Checked
        ]

    # Asked of the presenter -------------------------------------------------------------

    def _set_result(self, row: int, text: str, colour: str) -> None:
        item = QTableWidgetItem(text)
        item.setForeground(QBrush(QColor(colour)))
        self.table.setItem(row, 4, item)

    def _search(self) -> None:
        self.search_button.setEnabled(False)
        self.status.setText(self.tr("Searching…"))
        self.searchRequested.emit(_split(self.interfaces.text()), _split(self.ranges.text()))

    def _add_ticked(self) -> None:
        keys = self.ticked()
        if not keys:
            self.status.setText(self.tr("Tick the cameras to add"))
            return
        self.add_button.setEnabled(False)
        self.status.setText(self.tr("Asking the cameras…"))
        self.addRequested.emit(
            keys, self.username.text(), self.password.text(), self.zone.currentData() or ""
        )

    def _add_address(self) -> None:
        address = self.address.text().strip()
        if not address:
            self.status.setText(self.tr("Type the camera's address"))
            return
        self.add_address_button.setEnabled(False)
        self.status.setText(self.tr("Asking the camera…"))
        self.addRequested.emit(
            [address], self.username.text(), self.password.text(), self.zone.currentData() or ""
        )

    def _add_rtsp(self) -> None:
        name, url = self.rtsp_name.text().strip(), self.rtsp_url.text().strip()
        if not name or not url:
            self.status.setText(self.tr("Give the camera a name and its RTSP URL"))
            return
        self.add_rtsp_button.setEnabled(False)
        self.addRtspRequested.emit(name, url, self.username.text(), self.password.text(),
                                   self.zone.currentData() or "")  # fmt: skip


class CameraFinder(QObject):
    """Acts for the dialog: every call goes to the service, which judges and audits it."""

    def __init__(self, session: ConsoleSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.dialog = CameraFinderDialog(parent)
        self.dialog.searchRequested.connect(self.search)
        self.dialog.addRequested.connect(self.add)
        self.dialog.addRtspRequested.connect(self.add_rtsp)
        self.found: dict[str, Found] = {}

    def open(self) -> None:
        self.dialog.set_zones([(zid, z.name) for zid, z in self.session.zones.items()])
        self.dialog.show()
        self.dialog.raise_()

    @async_slot(list, list)
    async def search(self, interfaces: list[str], ranges: list[str]) -> None:
        try:
            found = await self.session.admin().discover(interfaces, ranges)
        except ServiceError as exc:
            self.dialog.show_problem(str(exc))
            return
        rows = [Found.of(d) for d in found if d.source == "ws-discovery" or d.xaddrs]
        self.found = {row.key: row for row in rows}
        self.dialog.show_found(rows)

    @async_slot(list, str, str, str)
    async def add(self, addresses: list[str], user: str, password: str, zone: str) -> None:
        """One camera after another (each is a conversation with a camera); each row told."""
        zone_id = uuid.UUID(zone) if zone else None
        added = failed = 0
        for address in addresses:
            try:
                found = self.found.get(address)
                camera = await self.session.admin().add_from_onvif(
                    address, user, password, zone_id, name=found.name if found else None
                )
            except RequestRejected as exc:
                failed += 1
                self.dialog.show_result(address, False, self._why(exc))
                continue
            except ServiceError as exc:
                self.dialog.show_problem(str(exc))
                return
            added += 1
            self.dialog.show_result(
                address, True, self.tr("Added as %1").replace("%1", camera.name)
            )
        self.dialog.finished_adding(added, failed)

    @async_slot(str, str, str, str, str)
    async def add_rtsp(self, name: str, url: str, user: str, password: str, zone: str) -> None:
        try:
            camera = CameraCreate.model_validate({
                "name": name, "zone_id": zone or None, "username": user or None,
                "password": password or None, "main_profile": StreamProfile(stream_uri=url),
            })  # fmt: skip
        except ValueError:
            self.dialog.show_problem(self.tr("Not an RTSP URL: %1").replace("%1", url))
            return
        try:
            made = await self.session.admin().create_camera(camera)
        except ServiceError as exc:
            self.dialog.show_problem(str(exc))
            return
        self.dialog.show_result(url, True, self.tr("Added as %1").replace("%1", made.name))
        self.dialog.finished_adding(1, 0)

    def _why(self, exc: RequestRejected) -> str:
        """What an installer does next, per camera, in the operator's language."""
        return {
            "wrong_credentials": self.tr("Wrong user or password"),
            "unreachable": self.tr("Unreachable"),
            "not_onvif": self.tr("Not an ONVIF camera"),
            "clock_skew": self.tr("Camera clock is wrong: set its time"),
        }.get(exc.kind or "", str(exc) if exc.status != 409 else self.tr("Already added"))
