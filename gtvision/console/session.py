"""The console's session with one service: sign-in, the camera directory, live events.

A ``QObject`` service on the one qasync loop (CONVENTIONS §6): widgets call its slots and
listen to its signals; every network wait happens here, never in a widget.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from datetime import datetime

from PySide6.QtCore import QObject, Signal

from gtvision.console.admin.api import AdminApi
from gtvision.console.api import RequestRejected, ServiceClient, ServiceError, SessionExpired
from gtvision.console.events import EventStream, LinkState
from gtvision.console.playback import Resolve
from gtvision.console.players import StreamSource
from gtvision.console.qt import async_slot
from gtvision.console.wall import Quality
from gtvision.contract import (
    Alert,
    Camera,
    CameraStreams,
    Detection,
    EventMessage,
    Me,
    Page,
    PtzCommand,
    RecordingAvailability,
    Role,
    View,
    ViewCreate,
    Zone,
)

log = logging.getLogger(__name__)


def stream_sources(streams: CameraStreams, quality: Quality) -> list[StreamSource]:
    """The ways to play one quality, falling back to the other quality if it is missing."""
    endpoints = (streams.sub or streams.main) if quality == "sub" else (streams.main or streams.sub)
    if endpoints is None:
        return []
    sources = [StreamSource("rtsp", endpoints.rtsp)]
    if endpoints.hls:
        sources.insert(0, StreamSource("hls", endpoints.hls))
    if endpoints.webrtc:
        sources.insert(0, StreamSource("webrtc", endpoints.webrtc))
    return sources


_DIRECTORY_EVENTS = frozenset(
    f"{kind}.{change}"
    for kind in ("camera", "zone", "watchlist")
    for change in ("created", "updated", "deleted")
)
_DIRECTORY_SETTLE_S = 0.3


class ConsoleSession(QObject):
    signedIn = Signal(str)  # who, for the status bar
    signInFailed = Signal(str)
    signedOut = Signal(str)  # why
    directoryChanged = Signal()
    watchlistsChanged = Signal()
    viewsChanged = Signal()
    presetsLoaded = Signal(str, list)  # camera id, [(token, name)]
    cameraStatusChanged = Signal(str, str)  # camera id, CameraStatus
    eventReceived = Signal(object)  # EventMessage
    linkChanged = Signal(str, str)  # LinkState, reason
    problem = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client: ServiceClient | None = None
        self.me: Me | None = None
        self.tenant_name = ""
        self.cameras: dict[str, Camera] = {}
        self.zones: dict[str, Zone] = {}
        self.views: dict[str, View] = {}
        self._events: asyncio.Task[None] | None = None
        self._reloading: asyncio.Task[None] | None = None

    # Slots -----------------------------------------------------------------------------------

    @async_slot(str, str, str)
    async def sign_in(self, url: str, username: str, password: str) -> None:
        await self.open_session(url, username, password)

    async def open_session(self, url: str, username: str, password: str) -> bool:
        """Sign in and load the directory; False if the service said no (signInFailed) or the
        session ended while the directory was read (signedOut, with the reason)."""
        await self.close()
        client = ServiceClient(url)
        try:
            self.me = await client.login(username, password)
            self.tenant_name = await self._tenant_name(client)
        except ServiceError as exc:
            await client.aclose()
            self.signInFailed.emit(str(exc))
            return False
        self.client = client
        # The directory first: what reacts to signedIn (alarms restored, the tree's admin
        # actions) names cameras from this city's directory, not the previous operator's.
        await self._reload()
        if self.client is not client:  # the session ended while the directory was read
            return False
        self.signedIn.emit(self.me.full_name or self.me.username)
        self._events = asyncio.ensure_future(self._listen(client))
        return True

    @async_slot()
    async def sign_out(self) -> None:
        """End this operator's session (shift change) and ask for the next; the wall stays."""
        await self.close()
        self.me = None
        self.signedOut.emit(self.tr("Signed out. The next operator may sign in."))

    @async_slot()
    async def reload(self) -> None:
        await self._reload()

    async def reload_now(self) -> None:
        """The directory as it is now (after this console's own change: the event that will
        also come is then a no-op)."""
        await self._reload()

    async def close(self) -> None:
        if self._reloading is not None:
            self._reloading.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reloading
            self._reloading = None
        if self._events is not None:
            self._events.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._events
            self._events = None
        client, self.client = self.client, None  # closed once, whoever else is closing too
        if client is not None:
            await client.logout()
            await client.aclose()

    # For playbacks and dialogs ---------------------------------------------------------------

    def title_of(self, camera_id: str, recorded: str | None = None) -> str:
        """The camera's name now; for one removed (or not in the directory yet) the name an
        event or a row recorded; the id only when nothing named it."""
        camera = self.cameras.get(camera_id)
        return camera.name if camera else recorded or camera_id

    def camera_of(self, event: EventMessage) -> str:
        """The name of the camera an event is about (reads and alerts carry it as it was)."""
        if event.camera_id is None:
            return ""
        recorded = event.data.get("camera_name") or event.data.get("name")
        return self.title_of(str(event.camera_id), str(recorded) if recorded else None)

    def sources_for(self, camera_id: str, quality: Quality) -> Resolve:
        async def resolve() -> list[StreamSource]:
            if self.client is None:
                raise SessionExpired("signed out")
            return stream_sources(await self.client.streams(_uuid(camera_id)), quality)

        return resolve

    @async_slot(str, object)
    async def ptz(self, camera_id: str, command: PtzCommand) -> None:
        """Send one PTZ command; a refusal shows in the status bar (the pad stays usable)."""
        if self.client is None:
            return
        try:
            result = await self.client.ptz(_uuid(camera_id), command)
        except ServiceError as exc:
            self.problem.emit(str(exc))
            return
        if result.preset is not None:
            await self._load_presets(camera_id)

    @async_slot(str)
    async def load_presets(self, camera_id: str) -> None:
        await self._load_presets(camera_id)

    async def _load_presets(self, camera_id: str) -> None:
        if self.client is None:
            return
        try:
            presets = await self.client.ptz_presets(_uuid(camera_id))
        except ServiceError as exc:
            self.presetsLoaded.emit(camera_id, [])
            self.problem.emit(str(exc))
            return
        self.presetsLoaded.emit(camera_id, [(p.token, p.name) for p in presets])

    async def snapshot(self, camera_id: str) -> bytes:
        if self.client is None:
            raise SessionExpired("signed out")
        return await self.client.snapshot(_uuid(camera_id))

    async def image(self, path: str) -> bytes:
        """A plate read's crop or frame (``crop`` path from a ``plate.read`` or alert event)."""
        if self.client is None:
            raise SessionExpired("signed out")
        return await self.client.image(path)

    async def acknowledge(self, alert_id: str, comment: str) -> None:
        if self.client is None:
            raise SessionExpired("signed out")
        await self.client.acknowledge_alert(_uuid(alert_id), comment)

    async def search_reads(self, query: dict[str, str], cursor: str | None) -> Page[Detection]:
        if self.client is None:
            raise SessionExpired("signed out")
        return await self.client.detections(query, cursor)

    async def export_reads(self, query: dict[str, str]) -> bytes:
        if self.client is None:
            raise SessionExpired("signed out")
        return await self.client.export_detections(query)

    async def recordings(
        self, camera_id: str, since: datetime, until: datetime
    ) -> RecordingAvailability:
        return await self._client().recordings(_uuid(camera_id), since, until)

    async def alerts_between(self, camera_id: str, since: datetime, until: datetime) -> list[Alert]:
        return await self._client().alerts_between(_uuid(camera_id), since, until)

    async def export_clip(self, camera_id: str, since: datetime, until: datetime) -> bytes:
        """Ask the service for a clip, wait for it to be made, and fetch it."""
        client = self._client()
        export = await client.create_export(_uuid(camera_id), since, until)
        while export.status in ("pending", "running"):
            await asyncio.sleep(1.0)
            export = await client.export(export.id)
        if export.status != "ready" or export.download_url is None:
            raise RequestRejected(422, export.error or "the clip could not be made")
        return await client.download(export.download_url)

    async def bookmark(self, camera_id: str, since: datetime, until: datetime, label: str) -> None:
        await self._client().create_bookmark(_uuid(camera_id), since, until, label)

    def _client(self) -> ServiceClient:
        if self.client is None:
            raise SessionExpired("signed out")
        return self.client

    def admin(self) -> AdminApi:
        """The administration calls, as the signed-in user (the service judges each)."""
        return AdminApi(self._client())

    def may(self, role: Role) -> bool:
        """Whether the signed-in user's role reaches ``role``: what the console offers."""
        return self.me is not None and self.me.role.rank >= role.rank

    @property
    def has_city(self) -> bool:
        """Signed in as one city's user (a superadmin is nobody's: no cameras, no alarms)."""
        return self.me is not None and self.me.tenant_id is not None

    async def acknowledged_alerts(self, since: datetime) -> list[Alert]:
        if self.client is None or not self.has_city:
            return []
        return await self.client.acknowledged_alerts(since)

    async def open_alerts(self) -> list[Alert]:
        """Alarms still open when this operator signs in: a shift change loses none."""
        if self.client is None or not self.has_city:
            return []
        return await self.client.open_alerts()

    # Internals -------------------------------------------------------------------------------

    async def _tenant_name(self, client: ServiceClient) -> str:
        assert self.me is not None
        if self.me.tenant_id is None:
            return ""
        return (await client.tenant(self.me.tenant_id)).name

    async def _reload(self) -> None:
        if self.client is None:
            return
        try:
            if self.has_city:
                zones, cameras, views = await asyncio.gather(
                    self.client.zones(), self.client.cameras(), self.client.views()
                )
            else:  # a superadmin: cities, no city's cameras (not the previous operator's)
                zones, cameras, views = [], [], []
        except SessionExpired as exc:
            await self._expired(str(exc))
            return
        except ServiceError as exc:
            self.problem.emit(str(exc))
            return
        self.zones = {str(z.id): z for z in zones}
        self.cameras = {str(c.id): c for c in cameras}
        self.views = {v.name: v for v in views}
        self.directoryChanged.emit()
        self.viewsChanged.emit()

    @async_slot(str, str, list)
    async def save_view(self, name: str, layout: str, cameras: list[str | None]) -> None:
        """Save what the wall shows under ``name`` (replacing the user's view of that name)."""
        if self.client is None:
            return
        ids = [_uuid(c) if c else None for c in cameras]
        try:
            view = await self.client.save_view(ViewCreate(name=name, layout=layout, cameras=ids))
        except ServiceError as exc:
            self.problem.emit(str(exc))
            return
        self.views[view.name] = view
        self.viewsChanged.emit()

    async def _listen(self, client: ServiceClient) -> None:
        """This session's events (the client it was opened with, whatever happens since)."""

        async def token() -> str:
            await client.ensure_fresh()
            return client.access_token

        def on_state(state: LinkState, reason: str) -> None:
            if state == LinkState.LIVE and stream.last_id is None:
                # Changes made between loading the directory and the stream's first opening
                # came before any event id to resume from: look once more.
                self._reload_soon()
                self.watchlistsChanged.emit()
            self.linkChanged.emit(state.value, reason)

        stream = EventStream(client.events_url, token, on_state=on_state)
        try:
            async with contextlib.aclosing(stream.events()) as events:
                async for event in events:
                    self._on_event(event)
        except SessionExpired as exc:
            await self._expired(str(exc))

    def _on_event(self, event: EventMessage) -> None:
        if event.type.startswith("watchlist."):
            self.watchlistsChanged.emit()  # whoever shows lists reloads them
        elif event.type in _DIRECTORY_EVENTS:
            self._reload_soon()  # a camera or zone added, renamed, moved or removed
        if event.type == "camera.status" and event.camera_id is not None:
            camera_id = str(event.camera_id)
            status = str(event.data.get("status", ""))
            camera = self.cameras.get(camera_id)
            if camera is not None and status:
                self.cameras[camera_id] = camera.model_copy(update={"status": status})
                self.cameraStatusChanged.emit(camera_id, status)
        self.eventReceived.emit(event)

    def _reload_soon(self) -> None:
        """One reload for a burst of changes (an import of 200 cameras is not 200 reloads)."""
        if self._reloading is not None and not self._reloading.done():
            return

        async def later() -> None:
            await asyncio.sleep(_DIRECTORY_SETTLE_S)
            await self._reload()

        self._reloading = asyncio.ensure_future(later())

    async def _expired(self, reason: str) -> None:
        if self.client is not None:
            await self.client.aclose()
            self.client = None
        self.signedOut.emit(reason)


def _uuid(value: str) -> uuid.UUID:
    return uuid.UUID(value)
