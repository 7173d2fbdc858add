"""Local mode: a workstation with no service finds and plays cameras by itself.

Cameras come from ONVIF (WS-Discovery, then a description of each one the operator adds);
their records live in the console's settings and their passwords in the OS keyring (service
``gtvision``, keyed by address), never in a file. Everything else in the console works the
same, because this session offers the same signals and methods as the service's.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import asdict, dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QObject, QSettings, Signal

from gtvision.console.api import RequestRejected
from gtvision.console.playback import Resolve
from gtvision.console.players import StreamSource
from gtvision.console.qt import async_slot
from gtvision.console.session import ConsoleSession
from gtvision.console.wall import Quality
from gtvision.contract import Camera, PtzCommand
from gtvision.onvif.credentials import CameraCredentials, CredentialStore, CredentialStoreError
from gtvision.onvif.device import OnvifDevice, describe
from gtvision.onvif.discovery import probe
from gtvision.onvif.errors import OnvifError
from gtvision.onvif.snapshot import SnapshotError, http_snapshot
from gtvision.onvif.uris import with_credentials

_SETTINGS_KEY = "local/cameras"
_EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
LOCAL_TENANT = uuid.UUID(int=0)


@dataclass(frozen=True, slots=True)
class LocalCamera:
    id: str
    name: str
    address: str  # host:port of the ONVIF device service, the keyring key
    main_uri: str | None
    sub_uri: str | None
    snapshot_uri: str | None
    ptz: bool

    def as_contract(self) -> Camera:
        """The same record the service would send, so the tree and wall need no local case."""
        profile = {"stream_uri": self.main_uri} if self.main_uri else None
        sub = {"stream_uri": self.sub_uri} if self.sub_uri else None
        return Camera.model_validate(
            {
                "id": self.id,
                "created_at": _EPOCH,
                "updated_at": _EPOCH,
                "version": 1,
                "tenant_id": LOCAL_TENANT,
                "name": self.name,
                "onvif_url": f"http://{self.address}/onvif/device_service",
                "snapshot_uri": self.snapshot_uri,
                "main_profile": profile,
                "sub_profile": sub,
                "ptz_capable": self.ptz,
                "has_password": True,
                "status": "unknown",
                "status_changed_at": None,
            }
        )


class LocalDirectory:
    """The workstation's camera list, in the console's settings."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def load(self) -> list[LocalCamera]:
        raw = self._settings.value(_SETTINGS_KEY, "[]")
        try:
            return [LocalCamera(**item) for item in json.loads(str(raw))]
        except (ValueError, TypeError):
            return []  # an unreadable list is an empty one, not a crash at start-up

    def save(self, cameras: list[LocalCamera]) -> None:
        self._settings.setValue(_SETTINGS_KEY, json.dumps([asdict(c) for c in cameras]))


class LocalSession(ConsoleSession):
    """A :class:`ConsoleSession` whose directory is this workstation and whose I/O is ONVIF."""

    discovered = Signal(list)  # [(device URL or address, name)]
    cameraAdded = Signal(str)
    addFailed = Signal(str)

    def __init__(
        self,
        settings: QSettings,
        credentials: CredentialStore | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.directory = LocalDirectory(settings)
        self._credentials = credentials
        self.tenant_name = self.tr("This workstation")
        self.local: dict[str, LocalCamera] = {}
        self.interfaces: list[str] | None = None  # None: every interface that is up
        self.search_timeout_s = 2.0

    def open(self) -> None:
        self.local = {c.id: c for c in self.directory.load()}
        self.cameras = {i: c.as_contract() for i, c in self.local.items()}
        self.signedIn.emit(self.tr("Local mode"))
        self.directoryChanged.emit()

    @async_slot()
    async def search(self) -> None:
        """WS-Discovery from this workstation; results come through ``discovered``."""
        try:
            found = await probe(interfaces=self.interfaces, timeout_s=self.search_timeout_s)
        except OSError as exc:
            self.problem.emit(self.tr("Discovery failed: %1").replace("%1", str(exc)))
            found = []
        self.discovered.emit(
            [
                (d.xaddrs[0] if d.xaddrs else d.addresses[0], d.name or "")
                for d in found
                if d.xaddrs or d.addresses
            ]
        )

    @async_slot(str, str, str)
    async def add(self, address: str, username: str, password: str) -> None:
        try:
            camera = await self.add_camera(address, username, password)
        except RequestRejected as exc:
            self.addFailed.emit(exc.detail)
            return
        self.cameraAdded.emit(camera.id)

    async def add_camera(self, address: str, username: str, password: str) -> LocalCamera:
        """Describe the camera over ONVIF, keep its password in the keyring, list it."""
        try:
            found = await describe(address, username, password)
            self._store().save(found.address, CameraCredentials(username, password))
        except (OnvifError, CredentialStoreError) as exc:
            raise RequestRejected(400, str(exc)) from exc
        main, sub = found.main, found.sub
        name = " ".join(p for p in (found.device.manufacturer, found.device.model) if p)
        camera = LocalCamera(
            id=str(uuid.uuid5(uuid.NAMESPACE_URL, found.address)),
            name=f"{name or 'ONVIF'} ({found.address})",
            address=found.address,
            main_uri=main.stream_uri if main else None,
            sub_uri=sub.stream_uri if sub else None,
            snapshot_uri=found.snapshot_uri,
            ptz=found.ptz.supported,
        )
        self.local[camera.id] = camera
        self.directory.save(list(self.local.values()))
        self.cameras[camera.id] = camera.as_contract()
        self.directoryChanged.emit()
        return camera

    def sources_for(self, camera_id: str, quality: Quality) -> Resolve:
        async def resolve() -> list[StreamSource]:
            camera = self.local.get(camera_id)
            if camera is None:
                return []
            uri = (camera.sub_uri or camera.main_uri) if quality == "sub" else camera.main_uri
            if uri is None:
                return []
            return [StreamSource("rtsp", with_credentials(uri, *self._login(camera)))]

        return resolve

    async def snapshot(self, camera_id: str) -> bytes:
        camera = self.local[camera_id]
        if camera.snapshot_uri is None:
            raise RequestRejected(422, f"{camera.name} has no snapshot URI")
        try:
            return await http_snapshot(camera.snapshot_uri, *self._login(camera))
        except SnapshotError as exc:
            raise RequestRejected(502, str(exc)) from exc

    @async_slot(str, object)
    async def ptz(self, camera_id: str, command: PtzCommand) -> None:
        camera = self.local.get(camera_id)
        if camera is None:
            return
        try:
            async with OnvifDevice(camera.address, *self._login(camera)) as device:
                ptz = await device.ptz()
                await ptz.perform(
                    command.action,
                    pan=command.pan,
                    tilt=command.tilt,
                    zoom=command.zoom,
                    preset=command.preset,
                    name=command.name,
                )
        except OnvifError as exc:
            self.problem.emit(str(exc))

    async def _load_presets(self, camera_id: str) -> None:
        self.presetsLoaded.emit(camera_id, [])  # presets are read through the service only

    async def close(self) -> None:
        return None

    def _store(self) -> CredentialStore:
        if self._credentials is None:
            self._credentials = CredentialStore()
        return self._credentials

    def _login(self, camera: LocalCamera) -> tuple[str | None, str | None]:
        """The camera's user and password from the keyring (none if it has none or fails)."""
        try:
            credentials = self._store().load(camera.address)
        except CredentialStoreError as exc:
            self.problem.emit(str(exc))
            return None, None
        return (credentials.username, credentials.password) if credentials else (None, None)
