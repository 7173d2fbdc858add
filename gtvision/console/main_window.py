"""The operator's main window: camera tree, wall, live events; all signal wiring in one place."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QInputDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QWidget,
)

from gtvision.console.admin.tools import AdminTools
from gtvision.console.api import RequestRejected, ServiceError
from gtvision.console.layouts import PRESETS, WallLayout
from gtvision.console.local import LocalSession
from gtvision.console.qt import async_slot
from gtvision.console.session import ConsoleSession
from gtvision.console.wall import WallController
from gtvision.console.widgets.alarm import Alarm, AlarmDialog
from gtvision.console.widgets.alarms import AlarmRow, AlarmsPanel
from gtvision.console.widgets.archive import ArchiveWindow
from gtvision.console.widgets.discovery import DiscoveryDialog
from gtvision.console.widgets.events import EventsPanel
from gtvision.console.widgets.ptz import PtzPad
from gtvision.console.widgets.search import PlateSearchPanel
from gtvision.console.widgets.tree import CameraTree
from gtvision.console.widgets.wall import WallWidget
from gtvision.contract import API_PREFIX, Alert, EventMessage, PtzCommand

ARCHIVE_BACK = timedelta(minutes=5)  # "Playback" opens this far back from now
ARCHIVE_DAY = timedelta(days=1)  # handled alarms kept in view; a plate searched this far back

_CUSTOM = "RxC…"


# The docks' arrangement a window saves: 1 from when PTZ and plate search share tabs. A state
# saved by an older console (every dock stacked, taller than the screen) is not restored.
DOCK_LAYOUT = 1


class WallWindow(QMainWindow):
    """A wall of its own (a second monitor); remembers its screen and geometry by name."""

    def __init__(self, session: ConsoleSession, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name = name
        self.session = session
        self.wall = WallController(session.sources_for, session.title_of, self)
        self.wall_widget = WallWidget(self.wall, self)
        self.setCentralWidget(self.wall_widget)
        self.setWindowTitle(self.tr("GT-Vision — %1").replace("%1", name))
        self.layouts = QComboBox(self)
        self.layouts.addItems([*PRESETS, _CUSTOM])
        self.layouts.setCurrentText(self.wall.layout.name)
        self.layouts.setToolTip(self.tr("Wall layout"))
        self.layouts.textActivated.connect(self.choose_layout)
        toolbar = self.toolbar = self.addToolBar(self.tr("Wall"))
        toolbar.setObjectName("wall-toolbar")
        toolbar.addWidget(self.layouts)
        self.views = QComboBox(self)
        self.views.setPlaceholderText(self.tr("Views"))
        self.views.setToolTip(self.tr("Saved views"))
        self.views.setMinimumContentsLength(12)
        self.views.textActivated.connect(self.show_view)
        toolbar.addWidget(self.views)
        self.save_view_action = QAction(self.tr("Save view…"), self)
        self.save_view_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_view_action.triggered.connect(self.ask_view_name)
        toolbar.addAction(self.save_view_action)
        self.session.viewsChanged.connect(self._list_views)
        self.full_screen = QAction(self.tr("Full screen"), self, checkable=True)
        self.full_screen.setShortcut(QKeySequence(Qt.Key.Key_F11))
        self.full_screen.toggled.connect(self._full_screen)
        toolbar.addAction(self.full_screen)
        self._restore_geometry()

    @Slot(str)
    def choose_layout(self, name: str) -> None:
        if name == _CUSTOM:
            name, ok = QInputDialog.getText(
                self, self.tr("Custom layout"), self.tr("Rows x columns, e.g. 5x5")
            )
            if not ok:
                self.layouts.setCurrentText(self.wall.layout.name)
                return
        try:
            layout = WallLayout.parse(name)
        except ValueError as exc:
            QMessageBox.warning(self, self.tr("Layout"), str(exc))
            return
        self.wall.set_layout(layout)
        if self.layouts.findText(layout.name) < 0:
            self.layouts.insertItem(self.layouts.count() - 1, layout.name)
        self.layouts.setCurrentText(layout.name)

    def _list_views(self) -> None:
        current = self.views.currentText()
        self.views.clear()
        self.views.addItems(sorted(self.session.views, key=str.lower))
        self.views.setCurrentIndex(self.views.findText(current))

    @Slot(str)
    def show_view(self, name: str) -> bool:
        view = self.session.views.get(name)
        if view is None:
            return False
        cameras = [str(c) if c else None for c in view.cameras]
        self.wall.show_view(WallLayout.parse(view.layout), cameras, view.tour_s)
        self.layouts.setCurrentText(view.layout)
        self.views.setCurrentText(name)
        self.statusBar().clearMessage()
        return True

    @Slot()
    def ask_view_name(self) -> None:
        name, ok = QInputDialog.getText(
            self, self.tr("Save view"), self.tr("Name"), text=self.views.currentText()
        )
        if ok and name.strip():
            self.session.save_view(name.strip(), self.wall.layout.name, list(self.wall.cameras))

    def _full_screen(self, on: bool) -> None:
        self.showFullScreen() if on else self.showNormal()

    restored = False  # placed where the operator left it last time

    def show_kiosk(self) -> None:
        """Full screen on the screen it is on. A wall PC may run the console straight on X with
        no window manager (xinit): there the full-screen request alone leaves the window at its
        default size, so it is laid over the screen first."""
        self.setGeometry(self.screen().geometry())
        self.showFullScreen()

    def show_first(self) -> None:
        """The first time on a workstation: maximised on the screen it opened on; afterwards
        as the operator left it."""
        if self.isVisible():
            return  # the next operator of a shift: the wall as it is
        self.show() if self.restored else self.showMaximized()

    def _settings_key(self, what: str) -> str:
        return f"windows/{self.name}/{what}"

    def _restore_geometry(self) -> None:
        settings = QSettings()
        geometry = settings.value(self._settings_key("geometry"))
        if isinstance(geometry, QByteArray):
            self.restored = self.restoreGeometry(geometry)  # includes the screen it was on
        state = settings.value(self._settings_key("state"))
        if isinstance(state, QByteArray):
            self.restoreState(state, DOCK_LAYOUT)  # one of an older layout is left unused

    def closeEvent(self, event: QCloseEvent) -> None:
        settings = QSettings()
        settings.setValue(self._settings_key("geometry"), self.saveGeometry())
        settings.setValue(self._settings_key("state"), self.saveState(DOCK_LAYOUT))
        self.closing = asyncio.ensure_future(self.wall.close())  # stop its players
        super().closeEvent(event)


def _scrolling(panel: QWidget) -> QScrollArea:
    """A form-like panel that scrolls, so it never asks its dock for its whole height."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(panel)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # as wide as it asks
    area.setMinimumWidth(
        panel.minimumSizeHint().width() + area.verticalScrollBar().sizeHint().width()
    )
    return area


class MainWindow(WallWindow):
    def __init__(self, session: ConsoleSession) -> None:
        self.tree = CameraTree()
        self.events = EventsPanel(session.camera_of)
        self.ptz_pad = PtzPad()
        self.search = PlateSearchPanel()
        self.ptz_camera: str | None = None
        self.link = QLabel()
        self.who = QLabel()
        self.extra_walls: list[WallWindow] = []
        self.alarms: AlarmDialog | None = None
        self.alarm_list = AlarmsPanel()
        self.archives: list[ArchiveWindow] = []
        self._fetches: set[asyncio.Task[None]] = set()
        super().__init__(session, "main")
        self.archive_action = QAction(self.tr("Playback"), self)
        self.archive_action.setToolTip(self.tr("Play the recordings of the cameras on the wall"))
        self.toolbar.addAction(self.archive_action)
        self.alarms = AlarmDialog(self)
        self.alarm_sound_action = QAction(self.tr("Alarm sound"), self)
        self.alarm_sound_action.setCheckable(True)
        self.alarm_sound_action.setChecked(not self.alarms.muted)
        self.alarm_sound_action.setToolTip(self.tr("Sound when a watch-listed plate passes"))
        self.alarm_sound_action.toggled.connect(lambda on: self._alarm_sound(on))
        self.toolbar.addAction(self.alarm_sound_action)
        self.sign_out_action = QAction(self.tr("Sign out"), self)
        self.sign_out_action.setToolTip(
            self.tr("End your session; the wall stays open for the next operator")
        )
        self.sign_out_action.triggered.connect(session.sign_out)
        self.admin = AdminTools(session, self)
        self.admin.place_on(self.toolbar)
        self.toolbar.addAction(self.sign_out_action)
        self.setWindowTitle("GT-Vision")
        self.docks: dict[str, QDockWidget] = {}
        for title, name, widget, area in (
            (self.tr("Cameras"), "cameras", self.tree, Qt.DockWidgetArea.LeftDockWidgetArea),
            (self.tr("Events"), "events", self.events, Qt.DockWidgetArea.RightDockWidgetArea),
            (self.tr("PTZ"), "ptz", self.ptz_pad, Qt.DockWidgetArea.RightDockWidgetArea),
            (self.tr("Plate search"), "search", self.search, Qt.DockWidgetArea.RightDockWidgetArea),
            (self.tr("Alarms"), "alarms", self.alarm_list, Qt.DockWidgetArea.BottomDockWidgetArea),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(name)
            dock.setWidget(_scrolling(widget) if name in ("ptz", "search") else widget)
            self.addDockWidget(area, dock)
            self.docks[name] = dock
        # The side docks run the window's full height and the alarms lie under the wall alone;
        # PTZ and plate search, tools used in turn, are tabbed under the events, and scroll
        # where the screen is short. Stacked, the docks asked 1 348 px of height: past a 1080p
        # screen, the window's bottom (the alarms) off it.
        self.setCorner(Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.tabifyDockWidget(self.docks["ptz"], self.docks["search"])
        self.docks["ptz"].raise_()
        self.statusBar().addWidget(self.who)
        self.statusBar().addPermanentWidget(self.link)
        self._restore_geometry()
        self._connect()

    def _connect(self) -> None:
        """Every signal of the window, in one place."""
        s = self.session
        s.directoryChanged.connect(self._populate)
        s.cameraStatusChanged.connect(self.tree.set_status)
        s.eventReceived.connect(self._on_event)
        s.linkChanged.connect(self._on_link)
        s.signedIn.connect(lambda who: self.who.setText(who))
        s.signedIn.connect(lambda _: self.tree.allow_administration(self.admin.is_admin))
        s.signedOut.connect(lambda _: self.tree.allow_administration(False))
        s.signedOut.connect(self._forget_session)
        s.signedIn.connect(self._load_open_alerts)
        assert self.alarms is not None
        self.alarms.acknowledgeRequested.connect(self._acknowledge)
        self.alarm_list.acknowledgeRequested.connect(self._acknowledge_many)
        self.alarm_list.cameraRequested.connect(self.show_camera)
        self.alarm_list.recordingRequested.connect(
            lambda camera, at: self.open_archive([camera], at - timedelta(seconds=10))
        )
        self.alarm_list.plateSearchRequested.connect(self._search_plate)
        s.problem.connect(lambda message: self.statusBar().showMessage(message, 10_000))
        self.tree.openRequested.connect(lambda camera: self.wall.fill([camera]))
        self.tree.openInNewWindowRequested.connect(self.open_in_new_window)
        self.tree.snapshotRequested.connect(self.save_snapshot)
        self.tree.propertiesRequested.connect(self.show_properties)
        self.tree.settingsRequested.connect(self.admin.camera_settings)
        self.tree.cameraMoveRequested.connect(self.admin.move_camera)
        self.wall_widget.tileSelected.connect(self._tile_selected)
        self.wall_widget.tourRequested.connect(self.tour_zone)
        self.wall_widget.ptzDrag.connect(
            lambda i, pan, tilt: self._ptz_on_tile(i, "continuous", pan=pan, tilt=tilt)
        )
        self.wall_widget.ptzDragEnd.connect(lambda i: self._ptz_on_tile(i, "stop"))
        self.wall_widget.ptzZoom.connect(
            lambda i, zoom: self._ptz_on_tile(i, "continuous", zoom=zoom, duration_s=0.4)
        )
        self.ptz_pad.command.connect(self._send_ptz)
        self.search.searchRequested.connect(self._search)
        self.search.exportRequested.connect(self._export)
        self.search.imageRequested.connect(lambda path: self._fetch(path, self.search.show_crop))
        self.search.playbackRequested.connect(
            lambda camera, at: self.open_archive([camera], at - timedelta(seconds=5))
        )
        self.archive_action.triggered.connect(
            lambda: self.open_archive(
                [c for c in self.wall.cameras if c], datetime.now().astimezone() - ARCHIVE_BACK
            )
        )
        s.presetsLoaded.connect(self._presets_loaded)

    @Slot()
    def _populate(self) -> None:
        s = self.session
        self.tree.populate(s.tenant_name, list(s.zones.values()), list(s.cameras.values()))
        self.search.set_cameras([(cid, c.name) for cid, c in s.cameras.items()])
        self.wall.keep_only(set(s.cameras))

    @Slot(int, bool)
    def _alarm_sound(self, on: bool) -> None:
        if self.alarms is not None:
            self.alarms.set_muted(not on)

    def tour_zone(self, index: int, start: bool, seconds: float = 10.0) -> None:
        """A tile cycles every camera of its camera's zone (or of "no zone")."""
        if not start:
            self.wall.stop_tile_tour(index)
            return
        current = self.wall.cameras[index]
        camera = self.session.cameras.get(current) if current else None
        if camera is None:
            return
        zone = [cid for cid, c in self.session.cameras.items() if c.zone_id == camera.zone_id]
        start_at = zone.index(current) if current in zone else 0
        self.wall.start_tile_tour(index, zone[start_at:] + zone[:start_at], seconds)

    def _search_plate(self, plate: str) -> None:
        """Every read of an alarm's plate over the last day, its tab brought to the front."""
        self.docks["search"].raise_()
        self.search.search_plate(plate, datetime.now().astimezone() - ARCHIVE_DAY)

    @async_slot(dict, str)
    async def _search(self, query: dict[str, str], cursor: str) -> None:
        try:
            page = await self.session.search_reads(query, cursor or None)
        except ServiceError as exc:
            self.search.show_problem(str(exc))
            return
        self.search.show_results(page.items, page.next_cursor, self.session.title_of)

    @async_slot(dict)
    async def _export(self, query: dict[str, str]) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export plate reads"), "placas.csv", self.tr("CSV files (*.csv)")
        )
        if path:
            await self.export_search(query, Path(path))

    async def export_search(self, query: dict[str, str], path: Path) -> None:
        try:
            data = await self.session.export_reads(query)
            await asyncio.to_thread(path.write_bytes, data)
        except (ServiceError, OSError) as exc:
            self.search.show_problem(str(exc))
            return
        self.search.show_problem(self.tr("Exported to %1").replace("%1", str(path)))

    def enable_local_mode(self, session: LocalSession) -> None:
        """No service: an action to find and add cameras from this workstation."""
        self.sign_out_action.setVisible(False)  # nobody signed in
        self.discovery = DiscoveryDialog(self)
        self.discovery.searchRequested.connect(session.search)
        self.discovery.addRequested.connect(session.add)
        session.discovered.connect(self.discovery.show_found)
        session.cameraAdded.connect(self.discovery.added)
        session.addFailed.connect(self.discovery.failed)
        add = QAction(self.tr("Add cameras…"), self)
        add.triggered.connect(self.discovery.show)
        self.toolbar.addAction(add)

    @Slot(int)
    def _tile_selected(self, index: int) -> None:
        camera_id = self.wall.cameras[index] if index < len(self.wall.cameras) else None
        camera = self.session.cameras.get(camera_id) if camera_id else None
        if camera_id is None or camera is None or not camera.ptz_capable:
            self.ptz_camera = None
            self.ptz_pad.set_target(None, "")
            return
        if camera_id != self.ptz_camera:  # a PTZ camera picked to steer: its pad in front
            self.docks["ptz"].raise_()
        self.ptz_camera = camera_id
        self.ptz_pad.set_target(camera_id, camera.name)
        self.session.load_presets(camera_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Keys a tile did not use: PTZ of the selected camera (held = moving)."""
        if event.isAutoRepeat() or not self.ptz_pad.key_pressed(event.key()):
            super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.isAutoRepeat() or not self.ptz_pad.key_released(event.key()):
            super().keyReleaseEvent(event)

    def _ptz_on_tile(self, index: int, action: str, **values: float) -> None:
        """A drag or wheel in a tile in PTZ mode: that tile's camera, if it has PTZ."""
        camera_id = self.wall.cameras[index] if index < len(self.wall.cameras) else None
        camera = self.session.cameras.get(camera_id) if camera_id else None
        if camera_id is not None and camera is not None and camera.ptz_capable:
            command = PtzCommand.model_validate({"action": action, **values})
            self.session.ptz(camera_id, command)

    @Slot(object)
    def _send_ptz(self, command: PtzCommand) -> None:
        if self.ptz_camera is not None:
            self.session.ptz(self.ptz_camera, command)

    @Slot(str, list)
    def _presets_loaded(self, camera_id: str, presets: list[tuple[str, str]]) -> None:
        if camera_id == self.ptz_camera:
            self.ptz_pad.set_presets(presets)

    @Slot(object)
    def _on_event(self, event: EventMessage) -> None:
        self.events.add_event(event)
        self._follow_alarms(event)
        data = event.data
        if event.type == "plate.read" and data.get("crop"):
            detection = str(data.get("detection_id"))
            self._fetch(
                str(data["crop"]), lambda image: self.events.set_thumbnail(detection, image)
            )
        elif event.type == "alert.raised":
            if event.camera_id is not None:
                for window in [self, *self.extra_walls]:
                    for tile in window.wall_widget.tiles:
                        if tile.camera_id == str(event.camera_id):
                            tile.flash()
            self._raise_alarm(self._alarm(event))
        elif event.type == "alert.updated" and self.alarms is not None:
            crop = str(data["crop"]) if data.get("crop") else None
            alert_id = str(data.get("alert_id"))
            read_at = event.at.astimezone().strftime("%d/%m %H:%M:%S")
            sightings = int(str(data.get("sightings") or 1))
            if self.alarms.seen_again(alert_id, sightings, read_at, crop) and crop:
                alarms = self.alarms
                self._fetch(crop, lambda image: alarms.set_image(alert_id, image))
        elif event.type == "alert.reannounced" and self.alarms is not None:
            if any(a.alert_id == str(data.get("alert_id")) for a in self.alarms.pending):
                self.alarms.ring()  # still waiting for someone: sound it again
            else:
                self._raise_alarm(self._alarm(event))
        elif event.type == "alert.acknowledged" and self.alarms is not None:
            self.alarms.remove(str(data.get("alert_id")))

    def _follow_alarms(self, event: EventMessage) -> None:
        """The Alarms list follows every alarm event, whatever the pop-up shows."""
        data = event.data
        alert_id = str(data.get("alert_id"))
        if event.type in ("alert.raised", "alert.reannounced"):
            self.alarm_list.upsert(self._alarm_row(event))
        elif event.type == "alert.updated":
            sightings = int(str(data.get("sightings") or 1))
            self.alarm_list.seen_again(alert_id, sightings, event.at)
        elif event.type == "alert.acknowledged":
            by, comment = str(data.get("by") or "?"), str(data.get("comment") or "")
            self.alarm_list.acknowledged(alert_id, by, comment)

    def _alarm(self, event: EventMessage) -> Alarm:
        data = event.data
        return Alarm(
            alert_id=str(data.get("alert_id")), plate=str(data.get("plate", "?")),
            camera=self.session.camera_of(event), reason=str(data.get("reason") or ""),
            watchlist=str(data.get("watchlist") or ""),
            priority=int(str(data.get("priority") or 2)),
            read_at=event.at.astimezone().strftime("%d/%m %H:%M:%S"),
            crop=str(data["crop"]) if data.get("crop") else None,
            sightings=int(str(data.get("sightings") or 1)),
        )  # fmt: skip

    def _alarm_row(self, event: EventMessage) -> AlarmRow:
        data = event.data
        first = data.get("first_seen_at")
        return AlarmRow(
            alert_id=str(data.get("alert_id")), plate=str(data.get("plate", "?")),
            camera_id=str(event.camera_id) if event.camera_id else None,
            camera=self.session.camera_of(event),
            watchlist=str(data.get("watchlist") or ""), reason=str(data.get("reason") or ""),
            priority=int(str(data.get("priority") or 2)),
            first_seen=datetime.fromisoformat(str(first)) if first else event.at,
            last_seen=event.at, sightings=int(str(data.get("sightings") or 1)),
        )  # fmt: skip

    def _alarm_row_of(self, alert: Alert) -> AlarmRow:
        camera = str(alert.camera_id) if alert.camera_id else None
        return AlarmRow(
            alert_id=str(alert.id), plate=alert.plate, camera_id=camera,
            camera=self.session.title_of(camera, alert.camera_name) if camera else "",
            watchlist=alert.watchlist_name or alert.pattern, reason=alert.reason,
            priority=alert.priority,
            first_seen=alert.detection_at, last_seen=alert.last_seen_at or alert.detection_at,
            sightings=alert.sightings, acknowledged_by=alert.acknowledged_by_name
            if alert.acknowledged_at else None, comment=alert.comment,
        )  # fmt: skip

    def show_camera(self, camera_id: str) -> None:
        """An alarm's camera: on the wall (in the first free tile, else the first), maximised,
        flashing."""
        if camera_id not in self.wall.cameras:
            cameras = self.wall.cameras
            free = next((i for i, c in enumerate(cameras) if c is None), 0)
            self.wall.place(free, camera_id)
        index = self.wall.cameras.index(camera_id)
        if self.wall.maximised != index:
            self.wall.toggle_maximised(index)
        for tile in self.wall_widget.tiles:
            if tile.camera_id == camera_id:
                tile.flash()

    @async_slot(list, str)
    async def _acknowledge_many(self, alert_ids: list[str], comment: str) -> None:
        for alert_id in alert_ids:
            try:
                await self.session.acknowledge(alert_id, comment)
            except RequestRejected as exc:
                if exc.status != 409:  # a colleague was quicker: already done
                    self.statusBar().showMessage(str(exc), 10_000)
            except ServiceError as exc:
                self.statusBar().showMessage(str(exc), 10_000)
                return

    def _raise_alarm(self, alarm: Alarm) -> None:
        assert self.alarms is not None
        self.alarms.add(alarm)
        if alarm.crop:
            alarms = self.alarms
            self._fetch(alarm.crop, lambda image: alarms.set_image(alarm.alert_id, image))

    def _fetch(self, path: str, deliver: Callable[[bytes], None]) -> None:
        """Fetch an image in the background; one that cannot be had is simply not shown."""

        async def fetch() -> None:
            with contextlib.suppress(ServiceError):
                deliver(await self.session.image(path))

        task = asyncio.ensure_future(fetch())
        self._fetches.add(task)
        task.add_done_callback(self._fetches.discard)

    def _forget_session(self, _why: str) -> None:
        """What the user who signed out saw goes with them: the next one may be of another
        city, and sees their own alarms (read again at sign-in), reads and events."""
        assert self.alarms is not None
        self.alarms.clear()
        self.alarm_list.clear()
        self.events.clear()
        self.search.clear()

    @async_slot(str)
    async def _load_open_alerts(self, _who: str) -> None:
        try:
            alerts = await self.session.open_alerts()
        except ServiceError as exc:
            self.statusBar().showMessage(str(exc), 10_000)
            return
        for alert in alerts:
            self._raise_alarm(self._alarm_of(alert))
            self.alarm_list.upsert(self._alarm_row_of(alert))
        since = datetime.now().astimezone() - ARCHIVE_DAY
        with contextlib.suppress(ServiceError):  # the open ones matter; these are history
            for alert in await self.session.acknowledged_alerts(since):
                self.alarm_list.upsert(self._alarm_row_of(alert))

    def _alarm_of(self, alert: Alert) -> Alarm:
        camera_id = str(alert.camera_id) if alert.camera_id else None
        camera = self.session.title_of(camera_id, alert.camera_name) if camera_id else ""
        return Alarm(
            alert_id=str(alert.id), plate=alert.plate, camera=camera, reason=alert.reason,
            watchlist=alert.watchlist_name or alert.pattern, priority=alert.priority,
            read_at=(alert.last_seen_at or alert.detection_at).astimezone().strftime(
                "%d/%m %H:%M:%S"),
            crop=f"{API_PREFIX}/detections/{alert.last_detection_id or alert.detection_id}/crop",
            sightings=alert.sightings,
        )  # fmt: skip

    @async_slot(str, str)
    async def _acknowledge(self, alert_id: str, comment: str) -> None:
        assert self.alarms is not None
        try:
            await self.session.acknowledge(alert_id, comment)
        except RequestRejected as exc:
            if exc.status == 409:  # a colleague was quicker: nothing left to do here
                self.alarms.remove(alert_id)
                return
            self.alarms.show_problem(str(exc))
            return
        except ServiceError as exc:
            self.alarms.show_problem(str(exc))
            return
        self.alarms.remove(alert_id)
        self.statusBar().showMessage(self.tr("Alarm acknowledged"), 5_000)

    @Slot(str, str)
    def _on_link(self, state: str, reason: str) -> None:
        text = {
            "connecting": self.tr("Events: connecting…"),
            "live": self.tr("Events: live"),
            "reconnecting": self.tr("Events: reconnecting (%1)").replace("%1", reason),
        }.get(state, state)
        self.link.setText(text)

    @Slot(str)
    def open_in_new_window(self, camera_id: str) -> None:
        window = WallWindow(self.session, f"wall-{len(self.extra_walls) + 2}")
        window.wall.set_layout(PRESETS["1x1"])
        window.wall.assign(0, camera_id)
        window.layouts.setCurrentText("1x1")
        self.extra_walls.append(window)
        window.show()

    @async_slot(str)
    async def save_snapshot(self, camera_id: str) -> None:
        try:
            jpeg = await self.session.snapshot(camera_id)
        except ServiceError as exc:
            QMessageBox.warning(self, self.tr("Snapshot"), str(exc))
            return
        name = f"{self.session.title_of(camera_id)}.jpg".replace("/", "-")
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save snapshot"), name, "JPEG (*.jpg)")
        if path:
            await asyncio.to_thread(Path(path).write_bytes, jpeg)

    @Slot(str)
    def show_properties(self, camera_id: str) -> None:
        camera = self.session.cameras.get(camera_id)
        if camera is None:
            return
        name, status, maker = self.tr("Name"), self.tr("Status"), self.tr("Maker")
        ptz = self.tr("yes") if camera.ptz_capable else self.tr("no")
        lines = [
            f"{name}: {camera.name}",
            f"{status}: {camera.status.value}",
            f"{maker}: {camera.manufacturer or '—'} {camera.model or ''}",
            f"ONVIF: {camera.onvif_url or '—'}",
            f"PTZ: {ptz}",
        ]
        for label, profile in (("main", camera.main_profile), ("sub", camera.sub_profile)):
            if profile is not None:
                size = f"{profile.width}x{profile.height}" if profile.width else "?"
                lines.append(f"{label}: {profile.codec or '?'} {size} {profile.fps or '?'} fps")
        QMessageBox.information(self, camera.name, "\n".join(lines))

    def open_archive(self, cameras: list[str], at: datetime) -> ArchiveWindow | None:
        """Recorded footage of these cameras, played together from ``at``."""
        if not cameras:
            self.statusBar().showMessage(self.tr("Put cameras on the wall first"), 10_000)
            return None
        window = ArchiveWindow(self.session, cameras, at)
        window.resize(960, 640)
        window.closed.connect(lambda: self.archives.remove(window))
        self.archives.append(window)
        window.show()
        return window

    def closeEvent(self, event: QCloseEvent) -> None:
        for window in [*self.extra_walls, *self.archives]:
            window.close()
        super().closeEvent(event)
