"""Cities (tenants), for a superadmin: add one with its first admin, switch one off (its users
are signed out at once), and set how long its reads, crops and recordings are kept (LGPD)."""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gtvision.console.admin.presenter import Presenter
from gtvision.console.qt import async_slot, resize_within_screen
from gtvision.console.session import ConsoleSession
from gtvision.contract import Role, Tenant, TenantCreate, UserCreate


class TenantsDialog(QDialog):
    createRequested = Signal(dict, str, str)  # tenant fields, first admin's username, password
    activeRequested = Signal(str, bool)
    retentionRequested = Signal(str, int, int, int)  # tenant, reads, crops, recordings (days)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Cities"))
        resize_within_screen(self, 900, 560)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([
            self.tr("Slug"), self.tr("Name"), self.tr("City / UF"), self.tr("State"),
            self.tr("Kept (reads / crops / recordings)"),
        ])  # fmt: skip
        header = self.table.horizontalHeader()  # the name takes what the short columns leave
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._picked)
        self.active_button = QPushButton(self.tr("Switch off"), self)
        self.active_button.clicked.connect(self._toggle)
        self.reads_days, self.crops_days, self.recordings_days = (
            QSpinBox(self),
            QSpinBox(self),
            QSpinBox(self),
        )
        for spin in (self.reads_days, self.crops_days, self.recordings_days):
            spin.setRange(1, 3650)
            spin.setSuffix(self.tr(" days"))
        self.retention_button = QPushButton(self.tr("Keep for"), self)
        self.retention_button.clicked.connect(self._retention)
        selected = QHBoxLayout()
        selected.addWidget(self.active_button)
        selected.addStretch(1)
        kept: list[tuple[str, QSpinBox]] = [
            (self.tr("reads"), self.reads_days), (self.tr("crops"), self.crops_days),
            (self.tr("recordings"), self.recordings_days),
        ]  # fmt: skip
        for label, spin in kept:
            selected.addWidget(QLabel(label))
            selected.addWidget(spin)
        selected.addWidget(self.retention_button)

        self.slug = QLineEdit(self)
        self.slug.setPlaceholderText("campinas")
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("Prefeitura de Campinas")
        self.city = QLineEdit(self)
        self.state = QLineEdit(self)
        self.state.setMaxLength(2)
        self.state.setPlaceholderText("SP")
        self.admin_username = QLineEdit(self)
        self.admin_username.setPlaceholderText("admin.campinas")
        self.admin_password = QLineEdit(self)
        self.admin_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.admin_password.setPlaceholderText(self.tr("at least 10 characters"))
        self.create_button = QPushButton(self.tr("Add city"), self)
        self.create_button.clicked.connect(self._create)
        new = QFormLayout()
        new.addRow(self.tr("Slug"), self.slug)
        new.addRow(self.tr("Name"), self.name)
        new.addRow(self.tr("City"), self.city)
        new.addRow(self.tr("UF"), self.state)
        new.addRow(self.tr("First admin"), self.admin_username)
        new.addRow(self.tr("Their password"), self.admin_password)
        new.addRow(self.create_button)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(selected)
        layout.addLayout(new)
        layout.addWidget(self.status)
        self._tenants: dict[str, Tenant] = {}
        self._picked()

    def show_tenants(self, tenants: list[Tenant]) -> None:
        current = self.selected()
        self._tenants = {str(t.id): t for t in tenants}
        self.table.setRowCount(0)
        for tenant in sorted(tenants, key=lambda t: t.slug):
            row = self.table.rowCount()
            self.table.insertRow(row)
            place = " / ".join(p for p in (tenant.city, tenant.state) if p) or "—"
            kept = (f"{tenant.detection_retention_days} / {tenant.crop_retention_days} / "
                    f"{tenant.recording_retention_days}")  # fmt: skip
            state = self.tr("on") if tenant.active else self.tr("off")
            for column, text in enumerate((tenant.slug, tenant.name, place, state, kept)):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(tenant.id))
                if not tenant.active:
                    item.setForeground(QBrush(QColor("#8a94a6")))
                self.table.setItem(row, column, item)
            if str(tenant.id) == current:
                self.table.selectRow(row)
        self._picked()

    def show_problem(self, text: str) -> None:
        self.status.setText(text)

    def selected(self) -> str | None:
        items = self.table.selectedItems()
        return str(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def _picked(self) -> None:
        tenant = self._tenants.get(self.selected() or "")
        for widget in (self.active_button, self.retention_button):
            widget.setEnabled(tenant is not None)
        if tenant is not None:
            self.active_button.setText(self.tr("Switch off") if tenant.active else self.tr(
                "Switch on"))  # fmt: skip
            self.reads_days.setValue(tenant.detection_retention_days)
            self.crops_days.setValue(tenant.crop_retention_days)
            self.recordings_days.setValue(tenant.recording_retention_days)

    def _toggle(self) -> None:
        tenant = self._tenants.get(self.selected() or "")
        if tenant is not None:
            self.activeRequested.emit(str(tenant.id), not tenant.active)

    def _retention(self) -> None:
        if tenant_id := self.selected():
            days = (self.reads_days.value(), self.crops_days.value(), self.recordings_days.value())
            self.retentionRequested.emit(tenant_id, *days)

    def _create(self) -> None:
        fields = {"slug": self.slug.text().strip(), "name": self.name.text().strip(),
                  "city": self.city.text().strip() or None,
                  "state": self.state.text().strip().upper() or None}  # fmt: skip
        self.createRequested.emit(fields, self.admin_username.text().strip(),
                                  self.admin_password.text())  # fmt: skip


class TenantEditor(Presenter):
    def __init__(self, session: ConsoleSession, parent: QWidget | None = None) -> None:
        self.dialog = TenantsDialog(parent)
        super().__init__(session, self.dialog, parent)
        self.tenants: dict[str, Tenant] = {}
        self.dialog.createRequested.connect(self.create)
        self.dialog.activeRequested.connect(self.set_active)
        self.dialog.retentionRequested.connect(self.set_retention)

    async def reload(self) -> None:
        if (tenants := await self.ask(lambda api: api.tenants())) is not None:
            self.tenants = {str(t.id): t for t in tenants}
            self.dialog.show_tenants(tenants)

    @async_slot(dict, str, str)
    async def create(self, fields: dict[str, object], username: str, password: str) -> None:
        try:
            tenant_body = TenantCreate.model_validate(fields)
            admin_body = UserCreate.model_validate(
                {"username": username, "password": password, "role": Role.ADMIN}
            )
        except ValidationError as exc:
            wrong = ", ".join(str(error["loc"][-1]) for error in exc.errors())
            self.dialog.show_problem(self.tr("Check the fields: %1").replace("%1", wrong))
            return
        tenant = await self.ask(lambda api: api.create_tenant(tenant_body))
        if tenant is None:
            return
        admin = admin_body.model_copy(update={"tenant_id": tenant.id})
        if await self.ask(lambda api: api.create_user(admin)) is None:
            await self.reload()  # the city is made; the refusal shown says why its admin is not
            return
        for line in (self.dialog.slug, self.dialog.name, self.dialog.city, self.dialog.state,
                     self.dialog.admin_username, self.dialog.admin_password):  # fmt: skip
            line.clear()
        await self.reload()
        text = self.tr("%1 added, with its admin %2").replace("%1", tenant.name)
        self.dialog.show_problem(text.replace("%2", username))

    async def _change(self, tenant_id: str, changes: dict[str, object]) -> None:
        if (tenant := self.tenants.get(tenant_id)) is not None:
            await self.ask(lambda api: api.update_tenant(tenant, changes))
            await self.reload()

    @async_slot(str, bool)
    async def set_active(self, tenant_id: str, active: bool) -> None:
        await self._change(tenant_id, {"active": active})

    @async_slot(str, int, int, int)
    async def set_retention(self, tenant_id: str, reads: int, crops: int, recordings: int) -> None:
        await self._change(tenant_id, {
            "detection_retention_days": reads, "crop_retention_days": crops,
            "recording_retention_days": recordings,
        })  # fmt: skip
