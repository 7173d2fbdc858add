"""Users of the city: add one with a role, change a role, disable or enable (their sessions end
at once, service side), reset a password. The service refuses what the admin's role may not
do (e.g. making a superadmin), and the refusal is shown in the operator's language."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gtvision.console.admin.presenter import Presenter
from gtvision.console.qt import async_slot, resize_within_screen
from gtvision.console.session import ConsoleSession
from gtvision.contract import Role, User, UserCreate

_ROLES = (Role.VIEWER, Role.OPERATOR, Role.ADMIN)
_MIN_PASSWORD = 10


class UsersDialog(QDialog):
    createRequested = Signal(str, str, str, str)  # username, full name, role, password
    roleRequested = Signal(str, str)  # user id, role
    activeRequested = Signal(str, bool)
    passwordRequested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Users"))
        resize_within_screen(self, 820, 520)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels([
            self.tr("User"), self.tr("Name"), self.tr("Role"), self.tr("State"),
            self.tr("Last sign-in"),
        ])  # fmt: skip
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.itemSelectionChanged.connect(self._picked)

        self.role = QComboBox(self)
        for role in _ROLES:
            self.role.addItem(self.role_text(role), role.value)
        self.role_button = QPushButton(self.tr("Change role"), self)
        self.role_button.clicked.connect(self._change_role)
        self.active_button = QPushButton(self.tr("Disable"), self)
        self.active_button.clicked.connect(self._toggle_active)
        self.password_button = QPushButton(self.tr("Reset password…"), self)
        self.password_button.clicked.connect(self._reset_password)
        selected = QHBoxLayout()
        selected.addWidget(self.role)
        selected.addWidget(self.role_button)
        selected.addWidget(self.active_button)
        selected.addWidget(self.password_button)
        selected.addStretch(1)

        self.username = QLineEdit(self)
        self.username.setPlaceholderText("maria.silva")
        self.full_name = QLineEdit(self)
        self.new_role = QComboBox(self)
        for role in _ROLES:
            self.new_role.addItem(self.role_text(role), role.value)
        self.new_role.setCurrentIndex(1)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("at least 10 characters"))
        self.create_button = QPushButton(self.tr("Add user"), self)
        self.create_button.clicked.connect(self._create)
        new = QFormLayout()
        new.addRow(self.tr("User name"), self.username)
        new.addRow(self.tr("Full name"), self.full_name)
        new.addRow(self.tr("Role"), self.new_role)
        new.addRow(self.tr("Password"), self.password)
        new.addRow(self.create_button)

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(selected)
        layout.addLayout(new)
        layout.addWidget(self.status)
        self._users: dict[str, User] = {}
        self._picked()

    def role_text(self, role: Role) -> str:
        return {
            Role.VIEWER: self.tr("viewer (watches)"),
            Role.OPERATOR: self.tr("operator (searches, acknowledges, PTZ)"),
            Role.ADMIN: self.tr("admin (sets the city up)"),
            Role.SUPERADMIN: self.tr("superadmin"),
        }[role]

    def show_users(self, users: list[User]) -> None:
        current = self.selected()
        self._users = {str(u.id): u for u in users}
        self.table.setRowCount(0)
        for user in sorted(users, key=lambda u: u.username):
            row = self.table.rowCount()
            self.table.insertRow(row)
            state = self.tr("active") if user.active else self.tr("disabled")
            if user.active and user.locked_until is not None:
                state = self.tr("locked (failed sign-ins)")
            last = user.last_login_at.astimezone().strftime("%d/%m/%Y %H:%M") if (
                user.last_login_at) else "—"  # fmt: skip
            cells = (user.username, user.full_name, self.role_text(user.role), state, last)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(user.id))
                if not user.active:
                    item.setForeground(QBrush(QColor("#8a94a6")))
                self.table.setItem(row, column, item)
            if str(user.id) == current:
                self.table.selectRow(row)
        self._picked()

    def show_problem(self, text: str) -> None:
        self.status.setText(text)

    def selected(self) -> str | None:
        items = self.table.selectedItems()
        return str(items[0].data(Qt.ItemDataRole.UserRole)) if items else None

    def select(self, username: str) -> None:
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.text() == username:
                self.table.selectRow(row)

    def _picked(self) -> None:
        user = self._users.get(self.selected() or "")
        for button in (self.role_button, self.active_button, self.password_button):
            button.setEnabled(user is not None)
        if user is not None:
            self.role.setCurrentIndex(max(0, self.role.findData(user.role.value)))
            self.active_button.setText(self.tr("Disable") if user.active else self.tr("Enable"))

    def _create(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or len(password) < _MIN_PASSWORD:
            self.status.setText(self.tr("A user name, and a password of 10 characters or more"))
            return
        self.createRequested.emit(username, self.full_name.text().strip(),
                                  self.new_role.currentData(), password)  # fmt: skip

    def _change_role(self) -> None:
        if user_id := self.selected():
            self.roleRequested.emit(user_id, self.role.currentData())

    def _toggle_active(self) -> None:
        user = self._users.get(self.selected() or "")
        if user is not None:
            self.activeRequested.emit(str(user.id), not user.active)

    def _reset_password(self) -> None:
        user = self._users.get(self.selected() or "")
        if user is None:
            return
        password, ok = QInputDialog.getText(
            self, self.tr("Reset password"),
            self.tr("New password for %1 (10 characters or more):").replace("%1", user.username),
            QLineEdit.EchoMode.Password,
        )  # fmt: skip
        if ok and len(password) >= _MIN_PASSWORD:
            self.passwordRequested.emit(str(user.id), password)
        elif ok:
            self.status.setText(self.tr("A password of 10 characters or more"))


class UserEditor(Presenter):
    def __init__(self, session: ConsoleSession, parent: QWidget | None = None) -> None:
        self.dialog = UsersDialog(parent)
        super().__init__(session, self.dialog, parent)
        self.users: dict[str, User] = {}
        self.dialog.createRequested.connect(self.create)
        self.dialog.roleRequested.connect(self.change_role)
        self.dialog.activeRequested.connect(self.set_active)
        self.dialog.passwordRequested.connect(self.reset_password)

    async def reload(self) -> None:
        if (users := await self.ask(lambda api: api.users())) is not None:
            self.users = {str(u.id): u for u in users}
            self.dialog.show_users(users)

    @async_slot(str, str, str, str)
    async def create(self, username: str, full_name: str, role: str, password: str) -> None:
        try:
            body = UserCreate.model_validate({"username": username, "full_name": full_name,
                                              "role": role, "password": password})  # fmt: skip
        except ValueError:
            self.dialog.show_problem(
                self.tr("User names are 3 to 64 letters, digits, dots, dashes or @")
            )
            return
        if await self.ask(lambda api: api.create_user(body)) is None:
            return
        for line in (self.dialog.username, self.dialog.full_name, self.dialog.password):
            line.clear()
        await self.reload()
        self.dialog.select(username)
        self.dialog.show_problem(self.tr("User %1 added").replace("%1", username))

    async def _change(self, user_id: str, changes: dict[str, object], done: str) -> None:
        if (user := self.users.get(user_id)) is None:
            return
        changed = await self.ask(lambda api: api.update_user(user, changes))
        await self.reload()  # as it is now, whoever changed it
        if changed is not None:
            self.dialog.show_problem(done.replace("%1", user.username))

    @async_slot(str, str)
    async def change_role(self, user_id: str, role: str) -> None:
        await self._change(user_id, {"role": role}, self.tr("%1's role changed"))

    @async_slot(str, bool)
    async def set_active(self, user_id: str, active: bool) -> None:
        done = self.tr("%1 enabled") if active else self.tr("%1 disabled: signed out everywhere")
        await self._change(user_id, {"active": active}, done)

    @async_slot(str, str)
    async def reset_password(self, user_id: str, password: str) -> None:
        await self._change(user_id, {"password": password}, self.tr("%1's password reset"))
