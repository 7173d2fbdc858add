"""The Alarms dock: every open alarm, most urgent first, and what was done about the last
day's, so an operator at 3 a.m. sees at once what waits, answers several together, and goes
from an alarm to its camera, its recording or every read of its plate."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gtvision.console.widgets.alarm import PRIORITY_COLOURS, priority_name

ALARM_ID_ROLE = Qt.ItemDataRole.UserRole + 1
VISIBLE_ROWS = 3  # at least, below the wall (the window must still fit a 1366 x 768 screen)


@dataclass(frozen=True, slots=True)
class AlarmRow:
    alert_id: str
    plate: str
    camera_id: str | None
    camera: str
    watchlist: str
    reason: str
    priority: int
    first_seen: datetime
    last_seen: datetime
    sightings: int = 1
    acknowledged_by: str | None = None  # set once acknowledged
    comment: str | None = None

    @property
    def open(self) -> bool:
        return self.acknowledged_by is None


class AlarmsPanel(QWidget):
    acknowledgeRequested = Signal(list, str)  # alert ids, comment
    cameraRequested = Signal(str)  # camera id: on the wall, maximised, flashing
    recordingRequested = Signal(str, datetime)  # camera id, when to start playing
    plateSearchRequested = Signal(str)

    COLUMNS = 7

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, AlarmRow] = {}
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([
            self.tr("Priority"), self.tr("Plate"), self.tr("Camera"), self.tr("List"),
            self.tr("Seen"), self.tr("Times"), self.tr("Status"),
        ])  # fmt: skip
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        row = self.table.fontMetrics().height() + 10
        header = self.table.horizontalHeader().sizeHint().height()
        self.table.setMinimumHeight(header + VISIBLE_ROWS * row)
        self.priority = QComboBox()
        self.priority.addItem(self.tr("All priorities"), 0)
        for level in (4, 3, 2, 1):
            self.priority.addItem(self.tr("%1 and above").replace("%1", priority_name(level)),
                                  level)  # fmt: skip
        self.filter = QLineEdit(placeholderText=self.tr("Filter by plate, camera or list"))
        self.acknowledge = QPushButton(self.tr("Acknowledge…"))
        self.show_camera = QPushButton(self.tr("Show camera"))
        self.show_recording = QPushButton(self.tr("Show recording"))
        self.search_plate = QPushButton(self.tr("Search plate"))
        filters = QHBoxLayout()
        filters.addWidget(self.priority)
        filters.addWidget(self.filter, 1)
        actions = QHBoxLayout()
        for button in (self.acknowledge, self.show_camera, self.show_recording,
                       self.search_plate):  # fmt: skip
            actions.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        self.priority.currentIndexChanged.connect(self._refresh)
        self.filter.textChanged.connect(self._refresh)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.cellDoubleClicked.connect(lambda *_: self._camera())
        self.acknowledge.clicked.connect(self._acknowledge)
        self.show_camera.clicked.connect(self._camera)
        self.show_recording.clicked.connect(self._recording)
        self.search_plate.clicked.connect(self._plate)
        self._update_buttons()

    # What it holds ---------------------------------------------------------------------------

    def clear(self) -> None:
        self.rows.clear()
        self._refresh()

    def upsert(self, row: AlarmRow) -> None:
        self.rows[row.alert_id] = row
        self._refresh()

    def seen_again(self, alert_id: str, sightings: int, at: datetime) -> None:
        if (row := self.rows.get(alert_id)) is not None:
            self.upsert(replace(row, sightings=sightings, last_seen=max(row.last_seen, at)))

    def acknowledged(self, alert_id: str, by: str, comment: str) -> None:
        if (row := self.rows.get(alert_id)) is not None:
            self.upsert(replace(row, acknowledged_by=by, comment=comment))

    def visible(self) -> list[AlarmRow]:
        """Shown rows in order: open ones first, most urgent then oldest; then the handled
        ones, newest first."""
        level = int(self.priority.currentData() or 0)
        needle = self.filter.text().strip().casefold()
        shown = [
            r for r in self.rows.values()
            if r.priority >= level
            and (not needle or needle in f"{r.plate} {r.camera} {r.watchlist}".casefold())
        ]  # fmt: skip
        waiting = sorted((r for r in shown if r.open), key=lambda r: (-r.priority, r.first_seen))
        handled = sorted((r for r in shown if not r.open), key=lambda r: r.last_seen, reverse=True)
        return waiting + handled

    def selected(self) -> list[AlarmRow]:
        ids = {str(i.data(ALARM_ID_ROLE)) for i in self.table.selectedItems()}
        return [r for r in self.visible() if r.alert_id in ids]

    # Drawing ---------------------------------------------------------------------------------

    def _refresh(self) -> None:
        chosen = {r.alert_id for r in self.selected()}
        rows = self.visible()
        self.table.setRowCount(len(rows))
        for index, row in enumerate(rows):
            status = (
                self.tr("open")
                if row.open
                else self.tr("%1: %2").replace("%1", row.acknowledged_by or "?")
                .replace("%2", row.comment or "")
            )  # fmt: skip
            cells = (
                priority_name(row.priority).upper(), row.plate, row.camera, row.watchlist,
                row.last_seen.astimezone().strftime("%d/%m %H:%M:%S"), str(row.sightings), status,
            )  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ALARM_ID_ROLE, row.alert_id)
                if not row.open:
                    item.setForeground(QColor("#6b7587"))  # handled: greyed, still readable
                elif column == 0:
                    item.setBackground(QColor(PRIORITY_COLOURS.get(row.priority, "#d63939")))
                    item.setForeground(QColor("white"))
                if column == 6 and not row.open:
                    item.setToolTip(text)
                self.table.setItem(index, column, item)
            if row.alert_id in chosen:
                self.table.selectRow(index)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.selected()
        self.acknowledge.setEnabled(any(r.open for r in chosen))
        one = len(chosen) == 1 and chosen[0].camera_id is not None
        for button in (self.show_camera, self.show_recording):
            button.setEnabled(one)
        self.search_plate.setEnabled(len(chosen) == 1)

    # Actions ---------------------------------------------------------------------------------

    def _acknowledge(self) -> None:
        waiting = [r for r in self.selected() if r.open]
        if not waiting:
            return
        comment, ok = QInputDialog.getText(
            self, self.tr("Acknowledge"),
            self.tr("What was done about %1 alarm(s)?").replace("%1", str(len(waiting))),
        )  # fmt: skip
        if ok and comment.strip():
            self.acknowledgeRequested.emit([r.alert_id for r in waiting], comment.strip())

    def _camera(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1 and chosen[0].camera_id:
            self.cameraRequested.emit(chosen[0].camera_id)

    def _recording(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1 and chosen[0].camera_id:
            self.recordingRequested.emit(chosen[0].camera_id, chosen[0].first_seen)

    def _plate(self) -> None:
        chosen = self.selected()
        if len(chosen) == 1:
            self.plateSearchRequested.emit(chosen[0].plate)
