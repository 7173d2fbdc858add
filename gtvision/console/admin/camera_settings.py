"""A camera's settings: name, zone, place, credentials, LPR (with its region drawn on a live
picture), recording, and its PTZ presets. Saved with ``If-Match``: a colleague's change made
meanwhile is shown, with what it changed, never overwritten unseen."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QDoubleValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gtvision.console.admin.roi import RoiEditor
from gtvision.console.api import RequestRejected, ServiceError
from gtvision.console.qt import async_slot, resize_within_screen
from gtvision.console.session import ConsoleSession
from gtvision.contract import Camera, PtzCommand

# The fields this dialog edits, in the order a conflict names them.
EDITED = (
    "name", "zone_id", "description", "latitude", "longitude", "enabled", "username",
    "lpr_enabled", "lpr_fps", "lpr_stream", "lpr_roi", "recording_mode", "recording_pre_s",
    "recording_post_s", "recording_retention_days",
)  # fmt: skip


def _comparable(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, list):
        return [round(v, 4) for v in value]
    return value


def differences(before: Camera, after: Camera) -> list[str]:
    """The edited fields that differ between two versions of a camera."""
    return [
        f for f in EDITED
        if _comparable(getattr(before, f)) != _comparable(getattr(after, f))
    ]  # fmt: skip


def _coordinate(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    return float(text) if text else None


class CameraSettingsDialog(QDialog):
    saveRequested = Signal(dict)  # only what changed
    deleteRequested = Signal()
    snapshotRequested = Signal()
    rereadRequested = Signal()
    removePresetRequested = Signal(str)  # token
    conflictResolved = Signal(bool)  # True: apply mine on their version; False: take theirs

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.camera: Camera | None = None
        resize_within_screen(self, 720, 620)
        self.name = QLineEdit(self)
        self.zone = QComboBox(self)
        self.description = QLineEdit(self)
        self.latitude = QLineEdit(self)
        self.longitude = QLineEdit(self)
        for line, low, high in ((self.latitude, -90, 90), (self.longitude, -180, 180)):
            validator = QDoubleValidator(low, high, 6, line)
            validator.setNotation(QDoubleValidator.Notation.StandardNotation)
            line.setValidator(validator)
            line.setPlaceholderText("—")
        self.enabled = QCheckBox(self.tr("Enabled (streamed, recorded, read)"), self)
        self.username = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.streams = QLabel(self)
        self.streams.setWordWrap(True)
        self.reread_button = QPushButton(self.tr("Ask the camera again (ONVIF)"), self)
        self.reread_button.setToolTip(
            self.tr("Profiles, stream addresses and PTZ, as the camera describes them now")
        )
        self.reread_button.clicked.connect(self._reread)

        general = QWidget(self)
        form = QFormLayout(general)
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Zone"), self.zone)
        form.addRow(self.tr("Description"), self.description)
        form.addRow(self.tr("Latitude"), self.latitude)
        form.addRow(self.tr("Longitude"), self.longitude)
        form.addRow(self.enabled)
        form.addRow(self.tr("User"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow(self.tr("Streams"), self.streams)
        form.addRow("", self.reread_button)

        self.lpr_enabled = QCheckBox(self.tr("Read licence plates"), self)
        self.lpr_fps = QDoubleSpinBox(self)
        self.lpr_fps.setRange(0.5, 30)
        self.lpr_fps.setSingleStep(0.5)
        self.lpr_fps.setSuffix(" fps")
        self.lpr_stream = QComboBox(self)
        self.lpr_stream.addItem(self.tr("main (sharper plates)"), "main")
        self.lpr_stream.addItem(self.tr("sub (less CPU)"), "sub")
        self.roi = RoiEditor(self)
        self.snapshot_button = QPushButton(self.tr("Take a picture"), self)
        self.snapshot_button.clicked.connect(self._snapshot)
        self.clear_roi_button = QPushButton(self.tr("Whole picture"), self)
        self.clear_roi_button.clicked.connect(self.roi.clear)
        lpr = QWidget(self)
        lpr_layout = QVBoxLayout(lpr)
        lpr_form = QFormLayout()
        lpr_form.addRow(self.lpr_enabled)
        lpr_form.addRow(self.tr("Frames read"), self.lpr_fps)
        lpr_form.addRow(self.tr("Stream"), self.lpr_stream)
        lpr_layout.addLayout(lpr_form)
        lpr_layout.addWidget(QLabel(self.tr("Region read for plates (drag on the picture):")))
        lpr_layout.addWidget(self.roi, 1)
        roi_buttons = QHBoxLayout()
        roi_buttons.addWidget(self.snapshot_button)
        roi_buttons.addWidget(self.clear_roi_button)
        roi_buttons.addStretch(1)
        lpr_layout.addLayout(roi_buttons)

        self.recording_mode = QComboBox(self)
        for mode, text in (("off", self.tr("off")), ("continuous", self.tr("continuous")),
                           ("events", self.tr("around plate reads and alarms"))):  # fmt: skip
            self.recording_mode.addItem(text, mode)
        self.recording_pre_s = QSpinBox(self)
        self.recording_post_s = QSpinBox(self)
        for spin in (self.recording_pre_s, self.recording_post_s):
            spin.setRange(0, 600)
            spin.setSuffix(" s")
        self.recording_retention_days = QSpinBox(self)
        self.recording_retention_days.setRange(0, 3650)
        self.recording_retention_days.setSpecialValueText(self.tr("the city's default"))
        self.recording_retention_days.setSuffix(self.tr(" days"))
        recording = QWidget(self)
        rec_form = QFormLayout(recording)
        rec_form.addRow(self.tr("Recording"), self.recording_mode)
        rec_form.addRow(self.tr("Kept before an event"), self.recording_pre_s)
        rec_form.addRow(self.tr("Kept after an event"), self.recording_post_s)
        rec_form.addRow(self.tr("Kept for"), self.recording_retention_days)

        self.presets = QListWidget(self)
        self.remove_preset_button = QPushButton(self.tr("Remove preset"), self)
        self.remove_preset_button.clicked.connect(self._remove_preset)
        ptz = QWidget(self)
        ptz_layout = QVBoxLayout(ptz)
        ptz_layout.addWidget(QLabel(self.tr("Presets (set them from the PTZ pad):")))
        ptz_layout.addWidget(self.presets)
        ptz_layout.addWidget(self.remove_preset_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(general, self.tr("General"))
        self.tabs.addTab(lpr, self.tr("Plate reading"))
        self.tabs.addTab(recording, self.tr("Recording"))
        self.ptz_tab = self.tabs.addTab(ptz, self.tr("PTZ"))

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Save"), self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._save)
        self.delete_button = QPushButton(self.tr("Remove camera…"), self)
        self.delete_button.clicked.connect(self._delete)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(close)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.conflict: QMessageBox | None = None

    # Shown by the presenter ---------------------------------------------------------------

    def load(self, camera: Camera, zones: list[tuple[str, str]]) -> None:
        self.camera = camera
        self.setWindowTitle(self.tr("Camera — %1").replace("%1", camera.name))
        self.name.setText(camera.name)
        self.zone.clear()
        self.zone.addItem(self.tr("No zone"), "")
        for zone_id, name in zones:
            self.zone.addItem(name, zone_id)
        self.zone.setCurrentIndex(max(0, self.zone.findData(str(camera.zone_id or ""))))
        self.description.setText(camera.description)
        self.latitude.setText("" if camera.latitude is None else str(camera.latitude))
        self.longitude.setText("" if camera.longitude is None else str(camera.longitude))
        self.enabled.setChecked(camera.enabled)
        self.username.setText(camera.username or "")
        self.password.clear()
        self.password.setPlaceholderText(
            self.tr("(unchanged)") if camera.has_password else self.tr("(none)")
        )
        lines = []
        for label, profile in (("main", camera.main_profile), ("sub", camera.sub_profile)):
            if profile is not None:
                size = f"{profile.width}x{profile.height}" if profile.width else "?"
                lines.append(f"{label}: {profile.codec or '?'} {size} — {profile.stream_uri}")
        self.streams.setText("\n".join(lines) or "—")
        self.lpr_enabled.setChecked(camera.lpr_enabled)
        self.lpr_fps.setValue(camera.lpr_fps)
        self.lpr_stream.setCurrentIndex(self.lpr_stream.findData(camera.lpr_stream))
        self.roi.set_roi(camera.lpr_roi)
        self.recording_mode.setCurrentIndex(self.recording_mode.findData(camera.recording_mode))
        self.recording_pre_s.setValue(camera.recording_pre_s)
        self.recording_post_s.setValue(camera.recording_post_s)
        self.recording_retention_days.setValue(camera.recording_retention_days or 0)
        self.tabs.setTabEnabled(self.ptz_tab, camera.ptz_capable)
        self.reread_button.setEnabled(camera.onvif_url is not None)
        self.save_button.setEnabled(True)

    def set_presets(self, presets: list[tuple[str, str]]) -> None:
        self.presets.clear()
        for token, name in presets:
            item = QListWidgetItem(name or token)
            item.setData(Qt.ItemDataRole.UserRole, token)
            self.presets.addItem(item)

    def set_picture(self, jpeg: bytes) -> None:
        self.snapshot_button.setEnabled(True)
        if not self.roi.set_image(jpeg):
            self.status.setText(self.tr("The camera's picture could not be read"))

    def saved(self, camera: Camera, zones: list[tuple[str, str]]) -> None:
        self.load(camera, zones)
        self.status.setText(self.tr("Saved"))

    def show_problem(self, text: str) -> None:
        self.save_button.setEnabled(True)
        self.snapshot_button.setEnabled(True)
        self.reread_button.setEnabled(self.camera is not None and self.camera.onvif_url is not None)
        self.status.setText(text)

    def show_conflict(self, who: str, fields: list[str]) -> None:
        """Someone saved this camera since it was opened: say what they changed, let the admin
        choose (non-modal: the wall keeps running)."""
        self.save_button.setEnabled(True)
        changed = ", ".join(self.field_label(f) for f in fields) or self.tr("nothing you see here")
        box = self.conflict = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Changed meanwhile"))
        box.setText(self.tr("%1 changed this camera while you were editing it.").replace("%1", who))
        box.setInformativeText(self.tr("They changed: %1").replace("%1", changed))
        self.keep_mine = box.addButton(self.tr("Apply my changes to theirs"),
                                       QMessageBox.ButtonRole.AcceptRole)  # fmt: skip
        self.take_theirs = box.addButton(self.tr("Discard mine, show theirs"),
                                         QMessageBox.ButtonRole.RejectRole)  # fmt: skip
        box.buttonClicked.connect(
            lambda button: self.conflictResolved.emit(button is self.keep_mine)
        )
        box.open()

    def field_label(self, field: str) -> str:
        return {
            "name": self.tr("name"), "zone_id": self.tr("zone"),
            "description": self.tr("description"), "latitude": self.tr("latitude"),
            "longitude": self.tr("longitude"), "enabled": self.tr("enabled"),
            "username": self.tr("user"), "lpr_enabled": self.tr("plate reading"),
            "lpr_fps": self.tr("frames read"), "lpr_stream": self.tr("stream read"),
            "lpr_roi": self.tr("region read"), "recording_mode": self.tr("recording"),
            "recording_pre_s": self.tr("kept before"), "recording_post_s": self.tr("kept after"),
            "recording_retention_days": self.tr("kept for"),
        }.get(field, field)  # fmt: skip

    # What the form says ---------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text().strip(),
            "zone_id": self.zone.currentData() or None,
            "description": self.description.text(),
            "latitude": _coordinate(self.latitude.text()),
            "longitude": _coordinate(self.longitude.text()),
            "enabled": self.enabled.isChecked(),
            "username": self.username.text() or None,
            "lpr_enabled": self.lpr_enabled.isChecked(),
            "lpr_fps": self.lpr_fps.value(),
            "lpr_stream": self.lpr_stream.currentData(),
            "lpr_roi": self.roi.roi(),
            "recording_mode": self.recording_mode.currentData(),
            "recording_pre_s": self.recording_pre_s.value(),
            "recording_post_s": self.recording_post_s.value(),
            "recording_retention_days": self.recording_retention_days.value() or None,
        }

    def changes(self) -> dict[str, Any]:
        """What the admin changed since the camera was loaded (only that is sent)."""
        assert self.camera is not None
        changed = {
            field: value for field, value in self.values().items()
            if _comparable(value) != _comparable(getattr(self.camera, field))
        }  # fmt: skip
        if self.password.text():
            changed["password"] = self.password.text()
        return changed

    def _save(self) -> None:
        if self.camera is None:
            return
        try:
            changes = self.changes()
        except ValueError:
            self.status.setText(self.tr("Latitude and longitude are numbers, e.g. -23.5505"))
            return
        if not changes:
            self.status.setText(self.tr("Nothing changed"))
            return
        self.save_button.setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        self.saveRequested.emit(changes)

    def _reread(self) -> None:
        self.reread_button.setEnabled(False)
        self.status.setText(self.tr("Asking the camera…"))
        self.rereadRequested.emit()

    def _remove_preset(self) -> None:
        item = self.presets.currentItem()
        if item is not None:
            self.removePresetRequested.emit(str(item.data(Qt.ItemDataRole.UserRole)))

    def _snapshot(self) -> None:
        self.snapshot_button.setEnabled(False)
        self.status.setText(self.tr("Asking the camera for a picture…"))
        self.snapshotRequested.emit()

    def _delete(self) -> None:
        if self.camera is None:
            return
        answer = QMessageBox.question(
            self, self.tr("Remove camera"),
            self.tr("Remove %1? Its recordings and plate reads stay until their retention ends.")
            .replace("%1", self.camera.name),
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self.deleteRequested.emit()


class CameraSettings(QObject):
    """Acts for the dialog; one per open camera."""

    closed = Signal()

    def __init__(self, session: ConsoleSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.dialog = CameraSettingsDialog(parent)
        self.dialog.saveRequested.connect(self.save)
        self.dialog.snapshotRequested.connect(self.snapshot)
        self.dialog.deleteRequested.connect(self.delete)
        self.dialog.conflictResolved.connect(self.resolve)
        self.dialog.rereadRequested.connect(self.reread)
        self.dialog.removePresetRequested.connect(self.remove_preset)
        self.dialog.finished.connect(lambda _result: self.closed.emit())
        self._pending: dict[str, Any] = {}
        self._theirs: Camera | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def _zones(self) -> list[tuple[str, str]]:
        zones = sorted(self.session.zones.items(), key=lambda z: z[1].name.lower())
        return [(zone_id, zone.name) for zone_id, zone in zones]

    async def open(self, camera_id: str) -> bool:
        """Read the camera as it is now (not the tree's copy) and show it; its picture and
        presets follow in the background."""
        try:
            camera = await self.session.admin().camera(uuid.UUID(camera_id))
        except ServiceError as exc:
            self.session.problem.emit(str(exc))
            return False
        self.dialog.load(camera, self._zones())
        self.dialog.show()
        self.dialog.raise_()
        self._background(self._snapshot())
        if camera.ptz_capable:
            self._background(self._presets(camera_id))
        return True

    def _background(self, coroutine: Any) -> None:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @async_slot(dict)
    async def save(self, changes: dict[str, Any]) -> None:
        await self._save(changes)

    async def _save(self, changes: dict[str, Any]) -> None:
        camera = self.dialog.camera
        assert camera is not None
        try:
            saved = await self.session.admin().update_camera(camera, changes)
        except RequestRejected as exc:
            if exc.status != 412:
                self.dialog.show_problem(str(exc))
                return
            await self._conflict(camera, changes)
            return
        except ServiceError as exc:
            self.dialog.show_problem(str(exc))
            return
        self.dialog.saved(saved, self._zones())

    async def _conflict(self, mine: Camera, changes: dict[str, Any]) -> None:
        try:
            theirs = await self.session.admin().camera(mine.id)
        except ServiceError as exc:
            self.dialog.show_problem(str(exc))
            return
        self._pending, self._theirs = changes, theirs
        who = await self._who_changed(theirs)
        self.dialog.show_conflict(who, differences(mine, theirs))

    async def _who_changed(self, camera: Camera) -> str:
        """The last person to change it, from the audit trail where the role may read it."""
        with contextlib.suppress(ServiceError):
            entries = await self.session.admin().audit(
                {"target_id": str(camera.id), "action": "camera.update"}
            )
            if entries and entries[-1].username:
                return entries[-1].username
        return self.tr("Someone")

    @async_slot(bool)
    async def resolve(self, keep_mine: bool) -> None:
        theirs, changes = self._theirs, self._pending
        self._theirs, self._pending = None, {}
        if theirs is None:
            return
        if not keep_mine:
            self.dialog.load(theirs, self._zones())
            self.dialog.status.setText(self.tr("Showing their version"))
            return
        self.dialog.camera = theirs  # my changes, on top of the version now stored
        await self._save(changes)

    @async_slot()
    async def reread(self) -> None:
        camera = self.dialog.camera
        if camera is None:
            return
        try:
            updated = await self.session.admin().reread_camera(camera)
        except RequestRejected as exc:
            if exc.status == 412:  # changed meanwhile: show it as it is now, then ask again
                with contextlib.suppress(ServiceError):
                    self.dialog.load(await self.session.admin().camera(camera.id), self._zones())
            self.dialog.show_problem(str(exc))
            return
        except ServiceError as exc:
            self.dialog.show_problem(str(exc))
            return
        self.dialog.saved(updated, self._zones())

    @async_slot(str)
    async def remove_preset(self, token: str) -> None:
        camera, client = self.dialog.camera, self.session.client
        if camera is None or client is None:
            return
        try:
            await client.ptz(camera.id, PtzCommand(action="remove_preset", preset=token))
        except ServiceError as exc:
            self.dialog.show_problem(str(exc))
            return
        await self._presets(str(camera.id))

    @async_slot()
    async def snapshot(self) -> None:
        await self._snapshot()

    async def _snapshot(self) -> None:
        camera = self.dialog.camera
        if camera is None:
            return
        try:
            jpeg = await self.session.snapshot(str(camera.id))
        except ServiceError as exc:
            self.dialog.show_problem(str(exc))
            return
        self.dialog.set_picture(jpeg)
        self.dialog.status.clear()

    async def _presets(self, camera_id: str) -> None:
        with contextlib.suppress(ServiceError):
            client = self.session.client
            if client is not None:
                presets = await client.ptz_presets(uuid.UUID(camera_id))
                self.dialog.set_presets([(p.token, p.name) for p in presets])

    @async_slot()
    async def delete(self) -> None:
        camera = self.dialog.camera
        if camera is None:
            return
        try:
            await self.session.admin().delete_camera(camera)
        except ServiceError as exc:
            self.dialog.show_problem(str(exc))
            return
        self.dialog.close()
