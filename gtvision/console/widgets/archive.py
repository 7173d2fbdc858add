"""Recorded footage: the cameras of a view side by side, played together from one timeline.

Every tile plays the service's playback stream for its camera from the same moment at the same
speed; one clock (the moment sought plus elapsed time times the speed) moves the playhead and
labels the tiles, so the cameras stay together. Seeking, changing speed or resuming restarts
every tile at the clock's moment: the service answers from the keyframe before it in well
under a second (bench/recording.py). Plate reads, alerts and bookmarks are timeline marks.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

from PySide6.QtCore import QDateTime, QTimer, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gtvision.console.api import ServiceError
from gtvision.console.playback import Resolve, TilePlayback
from gtvision.console.players import StreamSource
from gtvision.console.qt import async_slot
from gtvision.console.session import ConsoleSession
from gtvision.console.widgets.tile import TileWidget
from gtvision.console.widgets.timeline import Mark, Timeline

SPEEDS = (0.5, 1.0, 2.0, 4.0, 8.0)
WINDOW = timedelta(hours=1)  # shown around the moment opened; the wheel zooms out to a month


class PlaybackClock:
    """Where playback is: a moment, and since when (monotonic) it has run at ``rate``."""

    def __init__(self, at: datetime) -> None:
        self.anchor = at
        self.since: float | None = None  # None while paused
        self.rate = 1.0

    def now(self, monotonic: float | None = None) -> datetime:
        if self.since is None:
            return self.anchor
        elapsed = (monotonic if monotonic is not None else time.monotonic()) - self.since
        return self.anchor + timedelta(seconds=elapsed * self.rate)

    def run_from(self, at: datetime, monotonic: float | None = None) -> None:
        self.anchor = at
        self.since = monotonic if monotonic is not None else time.monotonic()

    def pause(self, monotonic: float | None = None) -> None:
        self.anchor, self.since = self.now(monotonic), None


class ExportDialog(QDialog):
    def __init__(self, start: datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export clip"))
        moment = QDateTime.fromSecsSinceEpoch(int(start.timestamp()))
        self.since = QDateTimeEdit(moment.addSecs(-30), calendarPopup=True)
        self.until = QDateTimeEdit(moment.addSecs(30), calendarPopup=True)
        for edit in (self.since, self.until):
            edit.setDisplayFormat("dd/MM/yyyy HH:mm:ss")
        form = QFormLayout(self)
        form.addRow(self.tr("From"), self.since)
        form.addRow(self.tr("To"), self.until)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def range(self) -> tuple[datetime, datetime]:
        since = datetime.fromtimestamp(self.since.dateTime().toSecsSinceEpoch()).astimezone()
        until = datetime.fromtimestamp(self.until.dateTime().toSecsSinceEpoch()).astimezone()
        return since, until


class ArchiveWindow(QWidget):
    closed = Signal()

    def __init__(
        self,
        session: ConsoleSession,
        cameras: list[str],
        at: datetime,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.cameras = cameras
        self.clock = PlaybackClock(at)
        self.playback_urls: dict[str, str] = {}
        self._retiring: set[asyncio.Task[None]] = set()
        self.setWindowTitle(self.tr("Recordings"))
        self.tiles: list[TileWidget] = []
        grid = QGridLayout()
        columns = max(1, round(len(cameras) ** 0.5 + 0.49))
        for i, camera_id in enumerate(cameras):
            tile = TileWidget(i)
            tile.show_camera(camera_id, session.title_of(camera_id), None)
            tile.clock = self.clock.now
            grid.addWidget(tile, i // columns, i % columns)
            self.tiles.append(tile)
        self.timeline = Timeline()
        self.play_button = QPushButton(self.tr("Pause"))
        self.back_button = QPushButton(self.tr("-10 s"))
        self.speed = QComboBox()
        for rate in SPEEDS:
            self.speed.addItem(f"{rate:g}x", rate)
        self.speed.setCurrentIndex(SPEEDS.index(1.0))
        self.when = QLabel()
        self.bookmark_button = QPushButton(self.tr("Bookmark…"))
        self.export_button = QPushButton(self.tr("Export clip…"))
        self.status = QLabel(wordWrap=True)
        controls = QHBoxLayout()
        for widget in (self.back_button, self.play_button, self.speed, self.when):
            controls.addWidget(widget)
        controls.addStretch(1)
        controls.addWidget(self.bookmark_button)
        controls.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(grid, 1)
        layout.addWidget(self.timeline)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        self.timeline.seekRequested.connect(self.seek)
        self.timeline.windowChanged.connect(self._window_changed)
        self.play_button.clicked.connect(self.toggle_pause)
        self.back_button.clicked.connect(
            lambda: self.seek(self.clock.now() - timedelta(seconds=10))
        )
        self.speed.currentIndexChanged.connect(lambda _: self.set_rate(self.speed.currentData()))
        self.export_button.clicked.connect(self._ask_export)
        self.bookmark_button.clicked.connect(self._ask_bookmark)
        self._ticker = QTimer(self)
        self._ticker.timeout.connect(self._tick)
        self._ticker.start(250)
        self.timeline.set_window(at - WINDOW / 2, at + WINDOW / 2)
        self.seek(at)

    # Playback -------------------------------------------------------------------------------

    def seek(self, at: datetime) -> None:
        self.clock.run_from(at)
        self.play_button.setText(self.tr("Pause"))
        self._restart()

    def set_rate(self, rate: float) -> None:
        running = self.clock.since is not None
        self.clock.pause()
        self.clock.rate = rate
        if running:
            self.clock.run_from(self.clock.anchor)
            self._restart()

    def toggle_pause(self) -> None:
        if self.clock.since is None:
            self.seek(self.clock.anchor)
        else:
            self.clock.pause()
            self.play_button.setText(self.tr("Play"))
            self._stop_tiles()

    def _restart(self) -> None:
        at, rate = self.clock.anchor, self.clock.rate
        for tile in self.tiles:
            camera_id = tile.camera_id
            assert camera_id is not None
            old = tile.playback
            playback = TilePlayback(self._resolver(camera_id, at, rate))
            tile.show_camera(camera_id, tile.title, playback)
            playback.start()
            if old is not None:
                self._retire(old)

    def _resolver(self, camera_id: str, at: datetime, rate: float) -> Resolve:
        async def resolve() -> list[StreamSource]:
            url = self.playback_urls.get(camera_id)
            if url is None:
                await self._load(self.timeline.start, self.timeline.end)
                url = self.playback_urls.get(camera_id)
            if url is None:
                return []
            query = urlencode({"start": at.isoformat(), "duration": "3600"})
            return [StreamSource("archive", f"{url}&{query}", rate=rate)]

        return resolve

    def _stop_tiles(self) -> None:
        for tile in self.tiles:
            if tile.playback is not None:
                old = tile.playback
                tile.show_camera(tile.camera_id, tile.title, None)
                self._retire(old)

    def _retire(self, playback: TilePlayback) -> None:
        task = asyncio.ensure_future(playback.stop())
        self._retiring.add(task)  # a reference until it is done: tasks are weakly held
        task.add_done_callback(self._retiring.discard)

    def _tick(self) -> None:
        now = self.clock.now()
        self.timeline.set_position(now)
        self.when.setText(now.astimezone().strftime("%d/%m/%Y %H:%M:%S"))
        if not self.timeline.start <= now <= self.timeline.end:  # follow the playhead
            span = self.timeline.end - self.timeline.start
            self.timeline.set_window(now - span / 10, now + span * 9 / 10)

    # What the timeline shows ----------------------------------------------------------------

    def _window_changed(self, start: datetime, end: datetime) -> None:
        self._load_soon(start, end)

    @async_slot(object, object)
    async def _load_soon(self, start: datetime, end: datetime) -> None:
        await self._load(start, end)

    async def _load(self, start: datetime, end: datetime) -> None:
        ranges: list[tuple[datetime, datetime]] = []
        marks: list[Mark] = []
        try:
            for camera_id in self.cameras:
                found = await self.session.recordings(camera_id, start, end)
                if found.playback_url:
                    self.playback_urls[camera_id] = found.playback_url
                ranges += [(r.start, r.end) for r in found.ranges]
                marks += [Mark(b.starts_at, "bookmark", b.label) for b in found.bookmarks]
                query = {"camera": camera_id, "from": start.isoformat(), "to": end.isoformat()}
                reads = await self.session.search_reads(query, None)
                marks += [
                    Mark(d.at, "read", f"{d.plate} · {d.camera_name or ''}") for d in reads.items
                ]
                alerts = await self.session.alerts_between(camera_id, start, end)
                marks += [Mark(a.detection_at, "alert", f"{a.plate} · {a.reason}") for a in alerts]
        except ServiceError as exc:
            self.status.setText(str(exc))
            return
        self.timeline.set_ranges(sorted(ranges))
        self.timeline.set_marks(marks)
        if not ranges:
            self.status.setText(self.tr("Nothing was recorded in this period."))
        else:
            self.status.setText("")

    # Evidence -------------------------------------------------------------------------------

    def _ask_export(self) -> None:
        dialog = ExportDialog(self.clock.now().astimezone(), self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        since, until = dialog.range()
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save clip"), f"clip-{since:%Y%m%d-%H%M%S}.mp4", "MP4 (*.mp4)"
        )
        if path:
            self.export_clip(since, until, Path(path))

    @async_slot(object, object, object)
    async def export_clip(self, since: datetime, until: datetime, path: Path) -> None:
        camera_id = self.cameras[0]
        self.status.setText(self.tr("Making the clip…"))
        try:
            data = await self.session.export_clip(camera_id, since, until)
        except ServiceError as exc:
            self.status.setText(self.tr("The clip could not be made: {0}").format(exc))
            return
        await asyncio.to_thread(path.write_bytes, data)
        self.status.setText(self.tr("Clip saved: {0}").format(path))

    def _ask_bookmark(self) -> None:
        label, ok = QInputDialog.getText(self, self.tr("Bookmark"), self.tr("Label"))
        if ok and label.strip():
            now = self.clock.now()
            self.add_bookmark(now - timedelta(seconds=30), now + timedelta(seconds=30), label)

    @async_slot(object, object, str)
    async def add_bookmark(self, since: datetime, until: datetime, label: str) -> None:
        try:
            for camera_id in self.cameras:
                await self.session.bookmark(camera_id, since, until, label.strip())
        except ServiceError as exc:
            self.status.setText(str(exc))
            return
        await self._load(self.timeline.start, self.timeline.end)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._ticker.stop()
        self._stop_tiles()
        with contextlib.suppress(RuntimeError):
            self.closed.emit()
        super().closeEvent(event)
