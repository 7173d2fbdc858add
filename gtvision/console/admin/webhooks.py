"""Webhooks: the city's other systems (a police dispatch, a BI) receive its events, signed.
Add one with its URL, secret and event types; switch it off; remove it; send a test event and
see what the receiver answered."""

from __future__ import annotations

import secrets

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gtvision.console.admin.presenter import Presenter
from gtvision.console.qt import async_slot, resize_within_screen
from gtvision.console.session import ConsoleSession
from gtvision.contract import Webhook, WebhookCreate

COMMON_TYPES = "alert.raised, plate.read, camera.status"


class WebhooksDialog(QDialog):
    createRequested = Signal(str, str, list)  # URL, secret, types
    activeRequested = Signal(str, bool)
    deleteRequested = Signal(str)
    testRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Webhooks"))
        resize_within_screen(self, 820, 460)
        self.table = QTableWidget(0, 3, self)
        self.table.setHorizontalHeaderLabels([self.tr("URL"), self.tr("Events"), self.tr("State")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.test_button = QPushButton(self.tr("Send a test event"), self)
        self.test_button.clicked.connect(lambda: self._with_selected(self.testRequested.emit))
        self.active_button = QPushButton(self.tr("Switch on/off"), self)
        self.active_button.clicked.connect(self._toggle)
        self.delete_button = QPushButton(self.tr("Remove…"), self)
        self.delete_button.clicked.connect(self._delete)
        selected = QHBoxLayout()
        for button in (self.test_button, self.active_button, self.delete_button):
            selected.addWidget(button)
        selected.addStretch(1)

        self.url = QLineEdit(self)
        self.url.setPlaceholderText("https://sistema.prefeitura.gov.br/gtvision")
        self.secret = QLineEdit(secrets.token_urlsafe(24), self)
        self.secret.setToolTip(self.tr("Give it to the receiver: it checks X-GTV-Signature"))
        self.types = QLineEdit(self)
        self.types.setPlaceholderText(
            self.tr("every event; or e.g. %1").replace("%1", COMMON_TYPES)
        )
        self.create_button = QPushButton(self.tr("Add webhook"), self)
        self.create_button.clicked.connect(self._create)
        new = QFormLayout()
        new.addRow(self.tr("URL"), self.url)
        new.addRow(self.tr("Secret"), self.secret)
        new.addRow(self.tr("Events"), self.types)
        new.addRow(self.create_button)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(selected)
        layout.addLayout(new)
        layout.addWidget(self.status)
        self._hooks: dict[str, Webhook] = {}

    def show_webhooks(self, hooks: list[Webhook]) -> None:
        self._hooks = {str(h.id): h for h in hooks}
        self.table.setRowCount(0)
        for hook in hooks:
            row = self.table.rowCount()
            self.table.insertRow(row)
            state = self.tr("on") if hook.active else self.tr("off")
            cells = (hook.url, ", ".join(hook.types) or self.tr("every event"), state)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(hook.id))
                self.table.setItem(row, column, item)

    def show_problem(self, text: str) -> None:
        self.status.setText(text)

    def selected(self) -> str | None:
        items = self.table.selectedItems()
        return str(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def _with_selected(self, act: object) -> None:
        if (hook_id := self.selected()) is not None and callable(act):
            act(hook_id)

    def _toggle(self) -> None:
        hook = self._hooks.get(self.selected() or "")
        if hook is not None:
            self.activeRequested.emit(str(hook.id), not hook.active)

    def _delete(self) -> None:
        hook = self._hooks.get(self.selected() or "")
        if hook is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Remove webhook"), self.tr("Stop sending events to %1?").replace(
                "%1", hook.url),
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self.deleteRequested.emit(str(hook.id))

    def _create(self) -> None:
        types = [t.strip() for t in self.types.text().split(",") if t.strip()]
        self.createRequested.emit(self.url.text().strip(), self.secret.text(), types)


class WebhookEditor(Presenter):
    def __init__(self, session: ConsoleSession, parent: QWidget | None = None) -> None:
        self.dialog = WebhooksDialog(parent)
        super().__init__(session, self.dialog, parent)
        self.hooks: dict[str, Webhook] = {}
        self.dialog.createRequested.connect(self.create)
        self.dialog.activeRequested.connect(self.set_active)
        self.dialog.deleteRequested.connect(self.delete)
        self.dialog.testRequested.connect(self.test)

    async def reload(self) -> None:
        if (hooks := await self.ask(lambda api: api.webhooks())) is not None:
            self.hooks = {str(h.id): h for h in hooks}
            self.dialog.show_webhooks(hooks)

    @async_slot(str, str, list)
    async def create(self, url: str, secret: str, types: list[str]) -> None:
        try:
            body = WebhookCreate.model_validate({"url": url, "secret": secret, "types": types})
        except ValueError:
            hint = self.tr(
                "An http(s) URL, a secret of 16 characters or more, and event types like "
                "alert.raised"
            )
            self.dialog.show_problem(hint)
            return
        if await self.ask(lambda api: api.create_webhook(body)) is None:
            return
        self.dialog.url.clear()
        self.dialog.secret.setText(secrets.token_urlsafe(24))
        await self.reload()
        self.dialog.show_problem(self.tr("Webhook added"))

    @async_slot(str, bool)
    async def set_active(self, hook_id: str, active: bool) -> None:
        if (hook := self.hooks.get(hook_id)) is not None:
            await self.ask(lambda api: api.update_webhook(hook, {"active": active}))
            await self.reload()

    @async_slot(str)
    async def delete(self, hook_id: str) -> None:
        if (hook := self.hooks.get(hook_id)) is not None:
            await self.done(lambda api: api.delete_webhook(hook))
            await self.reload()

    @async_slot(str)
    async def test(self, hook_id: str) -> None:
        if (hook := self.hooks.get(hook_id)) is None:
            return
        self.dialog.show_problem(self.tr("Sending a test event…"))
        if (result := await self.ask(lambda api: api.test_webhook(hook))) is None:
            return
        if result.delivered:
            text = self.tr("Delivered: the receiver answered HTTP %1 in %2 ms")
        else:
            text = self.tr("Not delivered (%3); the receiver answered HTTP %1 in %2 ms")
            if result.status_code is None:
                text = self.tr("Not delivered (%3), after %2 ms")
        self.dialog.show_problem(
            text.replace("%1", str(result.status_code)).replace("%2", f"{result.elapsed_ms:.0f}")
            .replace("%3", result.error or "")
        )  # fmt: skip
