"""The audit trail (LGPD): who did what, when, from where; filtered by user, action and
period, and exported as CSV by the service (the export is audited too)."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from pathlib import Path
from typing import get_args

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gtvision.console.admin.presenter import Presenter
from gtvision.console.qt import async_slot, resize_within_screen
from gtvision.console.session import ConsoleSession
from gtvision.contract import AuditEntry, PtzAction

ACTIONS = (  # what the service audits (services/*/service.py), for the filter's list
    "auth.login", "auth.refresh", "camera.create", "camera.update", "camera.delete",
    "camera.discover", "camera.snapshot", "stream.urls", "stream.view",
    *(f"ptz.{action}" for action in get_args(PtzAction) if action != "stop"),  # stops aren't
    "recording.list", "recording.play", "export.create", "detection.search", "detection.export",
    "detection.image", "alert.acknowledge", "watchlist.create", "watchlist.update",
    "watchlist.delete", "watchlist.entry.add", "watchlist.entry.update", "watchlist.entry.remove",
    "watchlist.import", "watchlist.export", "zone.create", "zone.update", "zone.delete",
    "user.create", "user.update", "user.delete", "webhook.create", "webhook.update",
    "webhook.delete", "webhook.test", "view.create", "view.update", "view.delete",
    "bookmark.create", "bookmark.delete", "tenant.create", "tenant.update", "tenant.delete",
    "stats.reads", "stats.alerts", "stats.cameras", "stats.lpr", "audit.export",
)  # fmt: skip


class AuditDialog(QDialog):
    searchRequested = Signal(dict)
    exportRequested = Signal(dict, str)  # filters, path

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Audit trail"))
        resize_within_screen(self, 1000, 600)
        self._outcomes = {  # what the service records, in the operator's language
            "success": self.tr("done"), "failure": self.tr("failed"), "denied": self.tr("refused"),
        }  # fmt: skip
        self.user = QComboBox(self)
        self.user.setMinimumContentsLength(24)  # user names like operator-cidade-2
        self.user.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.action = QComboBox(self)
        self.action.setEditable(True)
        self.action.addItem("")
        self.action.addItems(ACTIONS)
        if (line := self.action.lineEdit()) is not None:
            line.setPlaceholderText(self.tr("any action"))
        now = QDateTime.currentDateTime()
        self.since = QDateTimeEdit(now.addDays(-1), self)
        self.until = QDateTimeEdit(now.addSecs(3600), self)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.search_button = QPushButton(self.tr("Show"), self)
        self.search_button.setDefault(True)
        self.search_button.clicked.connect(lambda: self.searchRequested.emit(self.filters()))
        self.export_button = QPushButton(self.tr("Export CSV…"), self)
        self.export_button.clicked.connect(self._export)
        # Two rows: in one, the filters asked 1 286 px, past a 1280-wide screen.
        who, when = QHBoxLayout(), QHBoxLayout()
        labelled: list[tuple[QHBoxLayout, str, QWidget]] = [
            (who, self.tr("User"), self.user), (who, self.tr("Action"), self.action),
            (when, self.tr("From"), self.since), (when, self.tr("To"), self.until),
        ]  # fmt: skip
        for row, label, widget in labelled:
            row.addWidget(QLabel(label))
            row.addWidget(widget, 1)
        when.addWidget(self.search_button)
        when.addWidget(self.export_button)
        filters = QVBoxLayout()
        filters.addLayout(who)
        filters.addLayout(when)
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels([
            self.tr("When"), self.tr("User"), self.tr("Action"), self.tr("Result"),
            self.tr("From address"), self.tr("Details"),
        ])  # fmt: skip
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.status = QLabel(self)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)

    def set_users(self, users: list[tuple[str, str]]) -> None:
        current = self.user.currentData()
        self.user.clear()
        self.user.addItem(self.tr("anyone"), "")
        for user_id, name in users:
            self.user.addItem(name, user_id)
        self.user.setCurrentIndex(max(0, self.user.findData(current)))

    def filters(self) -> dict[str, str]:
        since = self.since.dateTime().toPython()
        until = self.until.dateTime().toPython()
        assert isinstance(since, datetime)
        assert isinstance(until, datetime)
        found = {"from": since.astimezone().isoformat(), "to": until.astimezone().isoformat()}
        if user := self.user.currentData():
            found["user_id"] = str(user)
        if action := self.action.currentText().strip():
            found["action"] = action
        return found

    def show_entries(self, entries: list[AuditEntry], complete: bool) -> None:
        self.table.setRowCount(0)
        for entry in reversed(entries):  # newest first on screen
            row = self.table.rowCount()
            self.table.insertRow(row)
            detail = json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)
            outcome = self._outcomes.get(entry.outcome, entry.outcome)
            cells = (entry.at.astimezone().strftime("%d/%m/%Y %H:%M:%S"), entry.username or "—",
                     entry.action, outcome, entry.source_ip or "—", detail)  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # the details are often wider than their column
                if entry.outcome != "success":
                    item.setForeground(QBrush(QColor("#d63939")))
                self.table.setItem(row, column, item)
        text = self.tr("%n entries", "", len(entries))
        if not complete:
            text = self.tr("The first %1 entries: narrow the filters, or export them all")
            text = text.replace("%1", str(len(entries)))
        self.status.setText(text)

    def show_problem(self, text: str) -> None:
        self.status.setText(text)

    def _export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export audit trail"), "auditoria.csv", self.tr("CSV files (*.csv)")
        )
        if path:
            self.exportRequested.emit(self.filters(), path)


class AuditViewer(Presenter):
    MOST = 2000

    def __init__(self, session: ConsoleSession, parent: QWidget | None = None) -> None:
        self.dialog = AuditDialog(parent)
        super().__init__(session, self.dialog, parent)
        self.dialog.searchRequested.connect(self.search)
        self.dialog.exportRequested.connect(self.export)

    async def reload(self) -> None:
        users = await self.ask(lambda api: api.users())
        if users is not None:
            self.dialog.set_users([(str(u.id), u.username) for u in users])
        await self._search(self.dialog.filters())

    @async_slot(dict)
    async def search(self, filters: dict[str, str]) -> None:
        await self._search(filters)

    async def _search(self, filters: dict[str, str]) -> None:
        self.dialog.show_problem(self.tr("Reading…"))
        entries = await self.ask(lambda api: api.audit(filters, most=self.MOST))
        if entries is not None:
            self.dialog.show_entries(entries, complete=len(entries) < self.MOST)

    @async_slot(dict, str)
    async def export(self, filters: dict[str, str], path: str) -> None:
        data = await self.ask(lambda api: api.export_audit(filters))
        if data is None:
            return
        try:
            await asyncio.to_thread(Path(path).write_bytes, data)
        except OSError as exc:
            self.dialog.show_problem(str(exc))
            return
        self.dialog.show_problem(self.tr("Exported to %1").replace("%1", path))
