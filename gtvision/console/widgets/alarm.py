"""The alarm pop-up: a watch-listed plate passed; the operator acknowledges it with a comment.

One window holds every alarm not yet acknowledged, oldest first, so none is hidden behind
another; it stays on top of the wall, sounds for each new one (and again every ``repeat_s``
while any waits), and drops an alarm a colleague acknowledged elsewhere
(``alert.acknowledged`` on the event stream).

Sound settings (``QSettings``): ``alarm/sound`` is ``chime`` (default), ``off`` or the path
of a sound file; ``alarm/muted`` (the toolbar's switch); ``alarm/repeat_s`` (default 30, 0 =
once).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gtvision.console.sound import AlarmSound

log = logging.getLogger(__name__)

PRIORITY_COLOURS = {1: "#8a94a6", 2: "#f59f00", 3: "#f76707", 4: "#d63939"}


def priority_name(priority: int) -> str:
    """A priority in the operator's words (1 low … 4 critical), for every alarm widget."""
    names = {
        1: QCoreApplication.translate("Priority", "low"),
        2: QCoreApplication.translate("Priority", "medium"),
        3: QCoreApplication.translate("Priority", "high"),
        4: QCoreApplication.translate("Priority", "critical"),
    }
    return names[min(max(priority, 1), 4)]


@dataclass
class Alarm:
    alert_id: str
    plate: str
    camera: str
    reason: str
    watchlist: str
    priority: int
    read_at: str  # already formatted for the operator
    crop: str | None  # API path of the crop
    image: bytes | None = None
    sightings: int = 1  # reads of the plate at this camera the alert covers


class AlarmDialog(QDialog):
    acknowledgeRequested = Signal(str, str)  # alert id, comment

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Alarm"))
        self.setWindowFlag(Qt.WindowType.WindowStaysOnTopHint)
        self.setModal(False)
        self.pending: list[Alarm] = []
        self.sound = self._load_sound()
        self.reminder = QTimer(self)
        self.reminder.timeout.connect(self.ring)
        repeat_s = QSettings().value("alarm/repeat_s", 30, type=int)
        self.reminder.setInterval(max(int(repeat_s), 1) * 1000)  # type: ignore[call-overload]
        self.repeat = bool(repeat_s)
        self.crop = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.crop.setMinimumSize(360, 120)
        self.crop.setStyleSheet("background: #111; color: #8a94a6")
        self.plate = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.plate.font())
        font.setPointSize(28)
        font.setBold(True)
        self.plate.setFont(font)
        self.details = QLabel(wordWrap=True)
        self.comment = QPlainTextEdit()
        self.comment.setPlaceholderText(self.tr("What was done (required)"))
        self.comment.setFixedHeight(70)
        self.comment.textChanged.connect(self._update_button)
        self.acknowledge = QPushButton(self.tr("Acknowledge"))
        self.acknowledge.setDefault(True)
        self.acknowledge.clicked.connect(self._acknowledge)
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet("color: #d63939")
        self.waiting = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(self.waiting, 1)
        buttons.addWidget(self.acknowledge)
        layout = QVBoxLayout(self)
        for widget in (self.crop, self.plate, self.details, self.comment, self.problem):
            layout.addWidget(widget)
        layout.addLayout(buttons)

    @staticmethod
    def _load_sound() -> AlarmSound | None:
        settings = QSettings()
        choice = str(settings.value("alarm/sound", "chime") or "chime")
        if choice == "off" or settings.value("alarm/muted", False, type=bool):
            return None
        try:
            return AlarmSound(None if choice == "chime" else Path(choice))
        except ValueError as exc:  # a chosen file that went missing: the chime, not silence
            log.warning("alarm sound: %s; using the chime", exc)
            return AlarmSound()

    @property
    def muted(self) -> bool:
        return self.sound is None

    def set_muted(self, muted: bool) -> None:
        QSettings().setValue("alarm/muted", muted)  # the chosen sound is kept for unmuting
        if self.sound is not None:
            self.sound.stop()
        self.sound = None if muted else self._load_sound()

    def ring(self) -> None:
        """The alarm's sound, or the desktop's beep where no audio output opens."""
        if not self.pending:
            self.reminder.stop()
            return
        if self.sound is not None and not self.sound.play():
            QApplication.beep()

    @property
    def current(self) -> Alarm | None:
        return self.pending[0] if self.pending else None

    def add(self, alarm: Alarm) -> None:
        """A new alarm; the most urgent is shown first (highest priority, then the oldest)."""
        if any(a.alert_id == alarm.alert_id for a in self.pending):
            return
        self.pending.append(alarm)
        self.pending.sort(key=lambda a: -a.priority)  # stable: the oldest first within one
        self.ring()
        if self.repeat:
            self.reminder.start()
        self._show_current()
        self.show()
        self.raise_()

    def seen_again(self, alert_id: str, sightings: int, read_at: str, crop: str | None) -> bool:
        """The same car at the same camera again: the alarm it is (no new alarm, no ring);
        False where the alarm is not pending here."""
        for alarm in self.pending:
            if alarm.alert_id == alert_id:
                alarm.sightings, alarm.read_at = sightings, read_at
                if crop and crop != alarm.crop:
                    alarm.crop, alarm.image = crop, None
                if alarm is self.current:
                    self._show_current()
                return True
        return False

    def set_image(self, alert_id: str, data: bytes) -> None:
        for alarm in self.pending:
            if alarm.alert_id == alert_id:
                alarm.image = data
        if self.current is not None and self.current.alert_id == alert_id:
            self._show_image()

    def remove(self, alert_id: str) -> None:
        """Acknowledged (here or by a colleague): on to the next alarm, or close."""
        self._keep(lambda alarm: alarm.alert_id != alert_id)

    def clear(self) -> None:
        """Signed out: the next user's alarms are read again from the service at sign-in."""
        self._keep(lambda _alarm: False)

    def _keep(self, wanted: Callable[[Alarm], bool]) -> None:
        was = self.current
        self.pending = [a for a in self.pending if wanted(a)]
        if was is not None and self.current is not was:
            self.comment.clear()
        if not self.pending:
            self.reminder.stop()
            if self.sound is not None:
                self.sound.stop()
            self.hide()
        else:
            self._show_current()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self._update_button()

    def _show_current(self) -> None:
        alarm = self.current
        if alarm is None:
            return
        colour = PRIORITY_COLOURS.get(alarm.priority, "#d63939")
        self.plate.setText(alarm.plate)
        self.plate.setStyleSheet(f"color: white; background: {colour}; padding: 6px")
        # The priority in words as well as colour: an operator who cannot tell red from
        # orange still reads "critical".
        details = self.tr("%1 · %2<br><b>%3</b>: %4").replace("%1", alarm.camera)
        details = details.replace("%2", alarm.read_at).replace("%3", alarm.watchlist)
        details = details.replace("%4", alarm.reason or "—")
        priority = priority_name(alarm.priority).upper()
        details = f"<b>{priority}</b> · {details}"
        if alarm.sightings > 1:
            seen = self.tr("seen %1 times at this camera").replace("%1", str(alarm.sightings))
            details += f"<br>{seen}"
        self.details.setText(details)
        more = len(self.pending) - 1
        self.waiting.setText(self.tr("+%1 waiting").replace("%1", str(more)) if more else "")
        self.problem.clear()
        self._show_image()
        self._update_button()

    def _show_image(self) -> None:
        alarm = self.current
        if alarm is None or alarm.image is None:
            self.crop.setPixmap(QPixmap())
            self.crop.setText(self.tr("loading the plate image…") if alarm and alarm.crop else "")
            return
        pixmap = QPixmap()
        if pixmap.loadFromData(alarm.image):
            width = max(self.crop.width(), 360)
            self.crop.setPixmap(
                pixmap.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            )
        else:
            self.crop.setText(self.tr("no image"))

    def _update_button(self) -> None:
        self.acknowledge.setEnabled(self.current is not None and bool(self._comment()))

    def _comment(self) -> str:
        return self.comment.toPlainText().strip()

    def _acknowledge(self) -> None:
        if self.current is not None and self._comment():
            self.acknowledge.setEnabled(False)
            self.acknowledgeRequested.emit(self.current.alert_id, self._comment())
