"""The on-screen PTZ pad: hold an arrow to move, release to stop; zoom, home, presets.

It only emits what the operator asks for; the session sends it to the service. While a
button is held the move is repeated, because the service stops a continuous move by itself
after a short while (a lost "stop" must not leave a camera turning).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gtvision.contract import PtzCommand

_SPEED = 0.5
_REPEAT_MS = 1500
_KEYS: dict[int, tuple[float, float, float]] = {
    Qt.Key.Key_Left.value: (-_SPEED, 0.0, 0.0), Qt.Key.Key_Right.value: (_SPEED, 0.0, 0.0),
    Qt.Key.Key_Up.value: (0.0, _SPEED, 0.0), Qt.Key.Key_Down.value: (0.0, -_SPEED, 0.0),
    Qt.Key.Key_Plus.value: (0.0, 0.0, _SPEED), Qt.Key.Key_Minus.value: (0.0, 0.0, -_SPEED),
}  # fmt: skip
_ARROWS = {
    (0, 0): ("↖", -1, 1), (0, 1): ("↑", 0, 1), (0, 2): ("↗", 1, 1),
    (1, 0): ("←", -1, 0), (1, 2): ("→", 1, 0),
    (2, 0): ("↙", -1, -1), (2, 1): ("↓", 0, -1), (2, 2): ("↘", 1, -1),
}  # fmt: skip


class PtzPad(QWidget):
    command = Signal(object)  # PtzCommand for the selected camera

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = QLabel(self.tr("Select a PTZ camera on the wall"), self)
        self.target.setWordWrap(True)
        grid = QGridLayout()
        self._held: PtzCommand | None = None
        self._repeat = QTimer(self)
        self._repeat.setInterval(_REPEAT_MS)
        self._repeat.timeout.connect(self._send_held)
        for (row, column), (glyph, pan, tilt) in _ARROWS.items():
            grid.addWidget(self._hold_button(glyph, pan * _SPEED, tilt * _SPEED, 0.0), row, column)
        home = QPushButton("⌂", self)
        home.setToolTip(self.tr("Home position"))
        home.clicked.connect(lambda: self.command.emit(PtzCommand(action="home")))
        grid.addWidget(home, 1, 1)
        zoom = QHBoxLayout()
        zoom.addWidget(self._hold_button("-", 0.0, 0.0, -_SPEED, self.tr("Zoom out")))
        zoom.addWidget(self._hold_button("+", 0.0, 0.0, _SPEED, self.tr("Zoom in")))
        self.presets = QComboBox(self)
        self.presets.setPlaceholderText(self.tr("Presets"))
        go = QPushButton(self.tr("Go"), self)
        go.clicked.connect(self._goto_preset)
        save = QPushButton(self.tr("Save…"), self)
        save.clicked.connect(self._save_preset)
        presets = QHBoxLayout()
        presets.addWidget(self.presets, 1)
        presets.addWidget(go)
        presets.addWidget(save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.target)
        layout.addLayout(grid)
        layout.addLayout(zoom)
        layout.addLayout(presets)
        layout.addStretch(1)
        self.set_target(None, "")

    def key_pressed(self, key: int) -> bool:
        """Arrow keys pan and tilt, +/- zoom, while held; True if the key is a PTZ key."""
        move = _KEYS.get(key)
        if move is None or not self.isEnabled():
            return False
        pan, tilt, zoom = move
        self._hold(PtzCommand(action="continuous", pan=pan, tilt=tilt, zoom=zoom))
        return True

    def key_released(self, key: int) -> bool:
        if key not in _KEYS or not self.isEnabled():
            return False
        self._release()
        return True

    def set_target(self, camera_id: str | None, title: str) -> None:
        self.setEnabled(camera_id is not None)
        self.target.setText(title if camera_id else self.tr("Select a PTZ camera on the wall"))
        self.presets.clear()

    def set_presets(self, presets: list[tuple[str, str]]) -> None:
        self.presets.clear()
        for token, name in presets:
            self.presets.addItem(name or token, token)

    def _hold_button(
        self, glyph: str, pan: float, tilt: float, zoom: float, tip: str = ""
    ) -> QPushButton:
        button = QPushButton(glyph, self)
        button.setAutoRepeat(False)
        if tip:
            button.setToolTip(tip)
        move = PtzCommand(action="continuous", pan=pan, tilt=tilt, zoom=zoom)
        button.pressed.connect(lambda: self._hold(move))
        button.released.connect(self._release)
        return button

    def _hold(self, move: PtzCommand) -> None:
        self._held = move
        self._send_held()
        self._repeat.start()

    def _send_held(self) -> None:
        if self._held is not None:
            self.command.emit(self._held)

    def _release(self) -> None:
        self._repeat.stop()
        self._held = None
        self.command.emit(PtzCommand(action="stop"))

    def _goto_preset(self) -> None:
        token = self.presets.currentData()
        if token:
            self.command.emit(PtzCommand(action="goto_preset", preset=str(token)))

    def _save_preset(self) -> None:
        name, ok = QInputDialog.getText(self, self.tr("Save preset"), self.tr("Name"))
        if ok and name.strip():
            self.command.emit(PtzCommand(action="set_preset", name=name.strip()[:64]))
