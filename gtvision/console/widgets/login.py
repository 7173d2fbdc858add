"""The sign-in dialog: server (typed, remembered or found by mDNS), user and password."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)


class LoginDialog(QDialog):
    submitted = Signal(str, str, str)  # server URL, username, password

    def __init__(
        self, servers: list[str], username: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("GT-Vision — sign in"))
        self.server = QComboBox(self)
        self.server.setEditable(True)
        self.server.addItems(servers)
        self.server.setMinimumWidth(320)
        self.username = QLineEdit(username, self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d63939")
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok, self)
        self.sign_in_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText(self.tr("Sign in"))
        buttons.accepted.connect(self._submit)
        form = QFormLayout(self)
        form.addRow(self.tr("Server"), self.server)
        form.addRow(self.tr("User"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.error)
        form.addRow(buttons)
        (self.password if username else self.username).setFocus()

    def add_discovered(self, url: str) -> None:
        if self.server.findText(url) < 0:
            self.server.addItem(url)
        if not self.server.currentText():
            self.server.setCurrentText(url)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.sign_in_button.setEnabled(True)
        self.password.selectAll()
        self.password.setFocus()

    def _submit(self) -> None:
        url = self.server.currentText().strip()
        if not url.startswith(("http://", "https://")):
            self.show_error(self.tr("The server address starts with http:// or https://"))
            return
        if not self.username.text().strip() or not self.password.text():
            self.show_error(self.tr("Type your user and password"))
            return
        self.error.hide()
        self.sign_in_button.setEnabled(False)
        self.submitted.emit(url, self.username.text().strip(), self.password.text())
