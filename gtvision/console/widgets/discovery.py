"""Local mode's "add cameras" dialog: search the network, pick one (or type its address),
give its user and password. The session does the searching and the ONVIF talk."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)


class DiscoveryDialog(QDialog):
    searchRequested = Signal()
    addRequested = Signal(str, str, str)  # address, user, password

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add cameras"))
        self.found = QListWidget(self)
        self.found.currentItemChanged.connect(self._picked)
        self.search_button = QPushButton(self.tr("Search the network"), self)
        self.search_button.clicked.connect(self._search)
        self.address = QLineEdit(self)
        self.address.setPlaceholderText("192.168.0.20:80")
        self.username = QLineEdit("admin", self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.add_button = QPushButton(self.tr("Add"), self)
        self.add_button.clicked.connect(self._add)
        buttons = QHBoxLayout()
        buttons.addWidget(self.search_button)
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        form = QFormLayout(self)
        form.addRow(self.found)
        form.addRow(self.tr("Address"), self.address)
        form.addRow(self.tr("User"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.status)
        form.addRow(buttons)

    def show_found(self, devices: list[tuple[str, str]]) -> None:
        self.search_button.setEnabled(True)
        self.found.clear()
        for address, name in devices:
            item = QListWidgetItem(f"{name}  —  {address}" if name else address)
            item.setData(Qt.ItemDataRole.UserRole, address)
            self.found.addItem(item)
        self.status.setText(self.tr("%n camera(s) found", "", len(devices)))

    def added(self, _camera_id: str) -> None:
        self.add_button.setEnabled(True)
        self.status.setText(self.tr("Camera added"))
        self.password.clear()

    def failed(self, message: str) -> None:
        self.add_button.setEnabled(True)
        self.status.setText(message)

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.address.setText(str(item.data(Qt.ItemDataRole.UserRole)))

    def _search(self) -> None:
        self.search_button.setEnabled(False)
        self.status.setText(self.tr("Searching…"))
        self.searchRequested.emit()

    def _add(self) -> None:
        if not self.address.text().strip():
            self.status.setText(self.tr("Pick a camera or type its address"))
            return
        self.add_button.setEnabled(False)
        self.status.setText(self.tr("Asking the camera…"))
        self.addRequested.emit(
            self.address.text().strip(), self.username.text(), self.password.text()
        )
