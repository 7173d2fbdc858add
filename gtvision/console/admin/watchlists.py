"""Watch lists: create and remove lists, add and remove plates (priority shown by name and
colour, never as a bare number), import a CSV with every refused row named by its line, export.
Every console's lists follow through the ``watchlist.*`` events."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gtvision.console.admin.api import AdminApi
from gtvision.console.admin.presenter import Presenter
from gtvision.console.api import ServiceError
from gtvision.console.qt import async_slot, resize_within_screen
from gtvision.console.session import ConsoleSession
from gtvision.console.widgets.alarm import PRIORITY_COLOURS, priority_name
from gtvision.contract import (
    ImportReport,
    Watchlist,
    WatchlistCategory,
    WatchlistCreate,
    WatchlistEntry,
    WatchlistEntryCreate,
)


class WatchlistsDialog(QDialog):
    listPicked = Signal(str)
    createListRequested = Signal(str, str, bool)  # name, category, raises alerts
    deleteListRequested = Signal(str)
    addEntryRequested = Signal(str, str, int, object)  # pattern, reason, priority, expiry|None
    removeEntriesRequested = Signal(list)  # entry ids
    importRequested = Signal(str)  # path
    exportRequested = Signal(str)  # path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Watch lists"))
        resize_within_screen(self, 980, 600)
        self.lists = QListWidget(self)
        self.lists.currentItemChanged.connect(self._picked)
        self.list_name = QLineEdit(self)
        self.list_name.setPlaceholderText(self.tr("New list, e.g. Roubados"))
        self.category = QComboBox(self)
        for category in WatchlistCategory:
            self.category.addItem(self.category_text(category), category.value)
        self.raises_alerts = QCheckBox(self.tr("Raises alarms"), self)
        self.raises_alerts.setChecked(True)
        self.raises_alerts.setToolTip(self.tr("Off for lists of allowed plates"))
        self.create_list_button = QPushButton(self.tr("Create list"), self)
        self.create_list_button.clicked.connect(self._create_list)
        self.delete_list_button = QPushButton(self.tr("Remove list…"), self)
        self.delete_list_button.clicked.connect(self._delete_list)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.lists, 1)
        new_list = QFormLayout()
        new_list.addRow(self.tr("Name"), self.list_name)
        new_list.addRow(self.tr("Category"), self.category)
        new_list.addRow(self.raises_alerts)
        left_layout.addLayout(new_list)
        left_layout.addWidget(self.create_list_button)
        left_layout.addWidget(self.delete_list_button)

        self.entries = QTableWidget(0, 4, self)
        self.entries.setHorizontalHeaderLabels(
            [self.tr("Plate"), self.tr("Priority"), self.tr("Reason"), self.tr("Expires")]
        )
        self.entries.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.entries.horizontalHeader().setStretchLastSection(True)
        self.entries.verticalHeader().hide()
        self.entries.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.entries.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.pattern = QLineEdit(self)
        self.pattern.setPlaceholderText(self.tr("ABC1D23, or ABC* for a prefix"))
        self.reason = QLineEdit(self)
        self.priority = QComboBox(self)
        for value in (4, 3, 2, 1):
            self.priority.addItem(priority_name(value), value)
        self.priority.setCurrentIndex(self.priority.findData(2))
        self.expires = QDateTimeEdit(QDateTime.currentDateTime().addDays(30), self)
        self.expires.setCalendarPopup(True)
        self.expires.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.expires_on = QCheckBox(self.tr("Expires"), self)
        self.expires_on.toggled.connect(self.expires.setEnabled)
        self.expires.setEnabled(False)
        self.add_entry_button = QPushButton(self.tr("Add plate"), self)
        self.add_entry_button.clicked.connect(self._add_entry)
        self.remove_entries_button = QPushButton(self.tr("Remove selected"), self)
        self.remove_entries_button.clicked.connect(self._remove_entries)
        self.import_button = QPushButton(self.tr("Import CSV…"), self)
        self.import_button.clicked.connect(self._import)
        self.export_button = QPushButton(self.tr("Export CSV…"), self)
        self.export_button.clicked.connect(self._export)
        self.import_errors = QListWidget(self)
        self.import_errors.setWordWrap(True)
        self.import_errors.setMaximumHeight(120)
        self.import_errors.hide()
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        self.count = QLabel(self)
        right_layout.addWidget(self.count)
        right_layout.addWidget(self.entries, 1)
        add = QFormLayout()
        plate_row = QHBoxLayout()
        plate_row.addWidget(self.pattern, 1)
        plate_row.addWidget(self.priority)
        add.addRow(self.tr("Plate"), plate_row)
        add.addRow(self.tr("Reason"), self.reason)
        expiry_row = QHBoxLayout()
        expiry_row.addWidget(self.expires_on)
        expiry_row.addWidget(self.expires, 1)
        expiry_row.addWidget(self.add_entry_button)
        add.addRow(expiry_row)
        right_layout.addLayout(add)
        more = QHBoxLayout()
        more.addWidget(self.remove_entries_button)
        more.addStretch(1)
        more.addWidget(self.import_button)
        more.addWidget(self.export_button)
        right_layout.addLayout(more)
        right_layout.addWidget(self.import_errors)

        split = QSplitter(self)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(1, 3)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(self.status)
        self._set_list_actions(False)

    def category_text(self, category: WatchlistCategory) -> str:
        return {
            WatchlistCategory.STOLEN: self.tr("stolen"),
            WatchlistCategory.WANTED: self.tr("wanted"),
            WatchlistCategory.AUTHORISED: self.tr("authorised"),
            WatchlistCategory.MONITORED: self.tr("monitored"),
            WatchlistCategory.OTHER: self.tr("other"),
        }[category]

    # Shown by the presenter ---------------------------------------------------------------

    def show_lists(self, lists: list[Watchlist]) -> None:
        current = self.current_list()
        self.lists.blockSignals(True)
        self.lists.clear()
        for watchlist in sorted(lists, key=lambda w: w.name.lower()):
            text = f"{watchlist.name}  ·  {self.category_text(watchlist.category)}"
            if not watchlist.raises_alerts:
                text += f"  ·  {self.tr('no alarms')}"
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, str(watchlist.id))
            self.lists.addItem(item)
            if str(watchlist.id) == current:
                self.lists.setCurrentItem(item)
        self.lists.blockSignals(False)
        if self.lists.currentItem() is None:
            self.entries.setRowCount(0)
            self._set_list_actions(False)

    def show_entries(self, entries: list[WatchlistEntry]) -> None:
        self.entries.setRowCount(0)
        for entry in sorted(entries, key=lambda e: (-e.priority, e.pattern)):
            row = self.entries.rowCount()
            self.entries.insertRow(row)
            plate = QTableWidgetItem(entry.pattern)
            plate.setData(Qt.ItemDataRole.UserRole, str(entry.id))
            priority = QTableWidgetItem(priority_name(entry.priority))
            colour = QColor(PRIORITY_COLOURS.get(entry.priority, "#8a94a6"))
            priority.setForeground(QBrush(colour))
            expires = entry.expires_at.astimezone().strftime("%d/%m/%Y %H:%M") if (
                entry.expires_at) else "—"  # fmt: skip
            for column, item in enumerate(
                (plate, priority, QTableWidgetItem(entry.reason), QTableWidgetItem(expires))
            ):
                self.entries.setItem(row, column, item)
        self.count.setText(self.tr("%n plates on this list", "", len(entries)))

    def show_report(self, report: ImportReport) -> None:
        text = self.tr("Imported %1, updated %2, refused %3")
        for marker, value in (("%1", report.imported), ("%2", report.updated),
                              ("%3", len(report.errors))):  # fmt: skip
            text = text.replace(marker, str(value))
        self.status.setText(text)
        self.import_errors.clear()
        line = self.tr("Line %1: %2")
        for error in report.errors:
            self.import_errors.addItem(
                line.replace("%1", str(error.line)).replace("%2", error.error)
            )
        self.import_errors.setVisible(bool(report.errors))

    def show_problem(self, text: str) -> None:
        self.status.setText(text)

    def current_list(self) -> str | None:
        item = self.lists.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def entry_ids(self) -> list[str]:
        return [
            str(item.data(Qt.ItemDataRole.UserRole))
            for row in range(self.entries.rowCount())
            if (item := self.entries.item(row, 0)) is not None
        ]

    # Asked of the presenter --------------------------------------------------------------

    def _set_list_actions(self, on: bool) -> None:
        for widget in (self.delete_list_button, self.add_entry_button, self.import_button,
                       self.export_button, self.remove_entries_button):  # fmt: skip
            widget.setEnabled(on)

    def _picked(self, item: QListWidgetItem | None) -> None:
        self._set_list_actions(item is not None)
        self.import_errors.hide()
        if item is not None:
            self.listPicked.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def _create_list(self) -> None:
        if name := self.list_name.text().strip():
            self.createListRequested.emit(
                name, self.category.currentData(), self.raises_alerts.isChecked()
            )

    def _delete_list(self) -> None:
        item = self.lists.currentItem()
        if item is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Remove list"),
            self.tr("Remove %1 and every plate on it?").replace("%1", item.text()),
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self.deleteListRequested.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def _add_entry(self) -> None:
        pattern = self.pattern.text().strip().upper()
        if not pattern:
            self.status.setText(self.tr("Type the plate"))
            return
        expiry = self.expires.dateTime().toPython() if self.expires_on.isChecked() else None
        if isinstance(expiry, datetime):
            expiry = expiry.astimezone()  # as typed, in this workstation's time zone
        self.addEntryRequested.emit(pattern, self.reason.text(), self.priority.currentData(),
                                    expiry)  # fmt: skip

    def _remove_entries(self) -> None:
        rows = sorted({index.row() for index in self.entries.selectedIndexes()})
        ids = [
            str(item.data(Qt.ItemDataRole.UserRole))
            for row in rows
            if (item := self.entries.item(row, 0)) is not None
        ]
        if ids:
            self.removeEntriesRequested.emit(ids)

    def _import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Import plates"), "", self.tr("CSV files (*.csv)")
        )
        if path:
            self.importRequested.emit(path)

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export plates"), "lista.csv", self.tr("CSV files (*.csv)")
        )
        if path:
            self.exportRequested.emit(path)


class WatchlistEditor(Presenter):
    def __init__(self, session: ConsoleSession, parent: QWidget | None = None) -> None:
        self.dialog = WatchlistsDialog(parent)
        super().__init__(session, self.dialog, parent)
        self.lists: dict[str, Watchlist] = {}
        self.entries: dict[str, WatchlistEntry] = {}
        self.dialog.listPicked.connect(self.pick)
        self.dialog.createListRequested.connect(self.create_list)
        self.dialog.deleteListRequested.connect(self.delete_list)
        self.dialog.addEntryRequested.connect(self.add_entry)
        self.dialog.removeEntriesRequested.connect(self.remove_entries)
        self.dialog.importRequested.connect(self.import_file)
        self.dialog.exportRequested.connect(self.export_file)
        session.watchlistsChanged.connect(self._changed_elsewhere)

    def _changed_elsewhere(self) -> None:
        if self.dialog.isVisible():  # a closed dialog reads them again when opened
            self.refresh()

    async def reload(self) -> None:
        """Lists, and the open list's plates, as they are now (a colleague may have changed
        them: the ``watchlist.*`` events bring this here)."""
        if (lists := await self.ask(lambda api: api.watchlists())) is None:
            return
        self.lists = {str(w.id): w for w in lists}
        self.dialog.show_lists(lists)
        if (current := self.dialog.current_list()) is not None:
            await self._entries(current)

    @async_slot(str)
    async def pick(self, watchlist_id: str) -> None:
        await self._entries(watchlist_id)

    async def _entries(self, watchlist_id: str) -> None:
        entries = await self.ask(lambda api: api.entries(uuid.UUID(watchlist_id)))
        if entries is not None and self.dialog.current_list() == watchlist_id:
            self.entries = {str(e.id): e for e in entries}
            self.dialog.show_entries(entries)

    @async_slot(str, str, bool)
    async def create_list(self, name: str, category: str, raises_alerts: bool) -> None:
        body = WatchlistCreate(
            name=name, category=WatchlistCategory(category), raises_alerts=raises_alerts
        )
        if await self.ask(lambda api: api.create_watchlist(body)) is not None:
            self.dialog.list_name.clear()
            await self.reload()

    @async_slot(str)
    async def delete_list(self, watchlist_id: str) -> None:
        if (watchlist := self.lists.get(watchlist_id)) is not None:
            await self.done(lambda api: api.delete_watchlist(watchlist))
            await self.reload()

    @async_slot(str, str, int, object)
    async def add_entry(
        self, pattern: str, reason: str, priority: int, expires_at: datetime | None
    ) -> None:
        watchlist_id = self.dialog.current_list()
        if watchlist_id is None:
            return
        try:
            entry = WatchlistEntryCreate(
                pattern=pattern, reason=reason, priority=priority, expires_at=expires_at
            )
        except ValueError as exc:
            self.dialog.show_problem(str(exc).splitlines()[-1])
            return
        if await self.done(lambda api: api.add_entry(uuid.UUID(watchlist_id), entry)):
            self.dialog.pattern.clear()
            self.dialog.reason.clear()
            await self._entries(watchlist_id)

    @async_slot(list)
    async def remove_entries(self, entry_ids: list[str]) -> None:
        for entry in [self.entries[i] for i in entry_ids if i in self.entries]:
            if not await self.done(_removal(entry)):
                break
        if (current := self.dialog.current_list()) is not None:
            await self._entries(current)

    @async_slot(str)
    async def import_file(self, path: str) -> None:
        watchlist_id = self.dialog.current_list()
        if watchlist_id is None:
            return
        try:
            data = await asyncio.to_thread(Path(path).read_bytes)
            report = await self.session.admin().import_entries(uuid.UUID(watchlist_id), data)
        except (ServiceError, OSError) as exc:
            self.dialog.show_problem(str(exc))
            return
        await self._entries(watchlist_id)
        self.dialog.show_report(report)

    @async_slot(str)
    async def export_file(self, path: str) -> None:
        watchlist_id = self.dialog.current_list()
        if watchlist_id is None:
            return
        try:
            data = await self.session.admin().export_entries(uuid.UUID(watchlist_id))
            await asyncio.to_thread(Path(path).write_bytes, data)
        except (ServiceError, OSError) as exc:
            self.dialog.show_problem(str(exc))
            return
        self.dialog.show_problem(self.tr("Exported to %1").replace("%1", path))


def _removal(entry: WatchlistEntry) -> Callable[[AdminApi], Awaitable[None]]:
    return lambda api: api.remove_entry(entry)
