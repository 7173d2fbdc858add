"""The built-in recorder's camera list, for installations without MediaMTX.

One instance of the whole installation records (a PostgreSQL advisory lock held on a connection
of its own elects it); the others stand by and take over within ``tick_s`` of losing it. Should
the lock's connection drop, recording stops at once rather than risk two recorders, and starts
again once the lock is held again. Each camera's recorder reopens its stream by itself
(:func:`gtvision.streams.follow`); one camera's failure never stops another's recording.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import DBAPIError, InterfaceError

from gtvision.onvif.uris import with_credentials
from gtvision.retry import Backoff
from gtvision.services.auth.keys import UNREADABLE_SECRET, Keys, SecretUnreadableError
from gtvision.services.background import stop_if_cancelled, woken_or_after
from gtvision.services.media.paths import PathName
from gtvision.services.recordings.recorder import Recorder
from gtvision.services.recordings.threads import in_thread
from gtvision.services.store import recordings as sql
from gtvision.services.store.db import Database
from gtvision.services.store.models import Camera
from gtvision.services.store.tenancy import Scope
from gtvision.streams import Outage

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RecordedCamera:
    camera_id: uuid.UUID
    path: PathName
    url: str


def recorded_camera(camera: Camera, keys: Keys) -> RecordedCamera | None:
    uri = (camera.main_profile or {}).get("stream_uri")
    if not uri:
        return None
    password = keys.decrypt(camera.password_encrypted) if camera.password_encrypted else None
    return RecordedCamera(
        camera_id=camera.id,
        path=PathName(camera.tenant_id, camera.id, "main"),
        url=with_credentials(str(uri), camera.username, password),
    )


class RecorderManager:
    def __init__(
        self,
        db: Database,
        keys: Keys,
        root: Path,
        segment_s: float,
        *,
        tick_s: float = 5.0,
        blip_s: float = 5.0,
    ) -> None:
        self.db, self.keys, self.root = db, keys, root
        self.segment_s = segment_s
        self.blip_s = blip_s
        self.tick_s = tick_s
        self.leader = False
        self.recorders: dict[uuid.UUID, tuple[RecordedCamera, asyncio.Task[None]]] = {}
        self.failures = 0
        self._wake = asyncio.Event()
        self._current: dict[uuid.UUID, Recorder] = {}

    def trigger(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        while True:
            try:
                async with sql.recorder_lock(self.db) as (conn, got):
                    self.leader = got
                    while got:
                        await self._apply(await self._wanted())
                        await self._wait()
                        await sql.still_connected(conn)
            except (DBAPIError, InterfaceError, OSError) as exc:
                stop_if_cancelled()
                log.warning("recorder stands by (database: %s)", type(exc).__name__)
            finally:
                self.leader = False
                await self._apply({})
            await self._wait()

    async def _wait(self) -> None:
        self._wake.clear()
        await woken_or_after(self._wake, self.tick_s)

    async def _wanted(self) -> dict[uuid.UUID, RecordedCamera]:
        async with self.db.read_session(Scope.all_tenants()) as session:
            cameras = await sql.recording_cameras(session)
        wanted = {}
        for camera in cameras:
            try:
                recorded = recorded_camera(camera, self.keys)
            except SecretUnreadableError:  # that camera's problem, reported by its status
                log.error("not recording camera %s: %s", camera.id, UNREADABLE_SECRET)
                continue
            if recorded is not None:
                wanted[camera.id] = recorded
        return wanted

    async def _apply(self, wanted: dict[uuid.UUID, RecordedCamera]) -> None:
        gone = [cid for cid, (camera, _) in self.recorders.items() if wanted.get(cid) != camera]
        await asyncio.gather(*(self._stop(camera_id) for camera_id in gone))  # together
        for camera_id, camera in wanted.items():
            if camera_id not in self.recorders:
                task = asyncio.create_task(self._record(camera), name=f"record-{camera_id}")
                self.recorders[camera_id] = (camera, task)

    async def _record(self, camera: RecordedCamera) -> None:
        """One camera, for as long as it is wanted. The recorder reopens the camera's stream
        itself; what ends it is not the camera's (a full disk, a library bug): logged, counted
        and tried again with backoff, without touching the other cameras."""
        backoff, attempt = Backoff(initial_s=1.0, max_s=60.0, deadline_s=math.inf), 0
        outage = Outage(self.blip_s)
        while True:
            recorder = Recorder(camera.url, self.root / str(camera.path), self.segment_s, outage)
            self._current[camera.camera_id] = recorder
            running = in_thread(recorder.run, f"record-{camera.camera_id}")
            try:
                await asyncio.shield(running)
            except asyncio.CancelledError:
                recorder.stop()  # it closes its segment at the next packet: wait for that
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(running, 15)
                raise
            except Exception:
                self.failures += 1
                log.exception("recording camera %s failed", camera.camera_id)
            attempt = 0 if recorder.segments else attempt + 1
            await asyncio.sleep(backoff.delay(attempt))

    async def _stop(self, camera_id: uuid.UUID) -> None:
        _, task = self.recorders.pop(camera_id)
        recorder = self._current.pop(camera_id, None)
        if recorder is not None:
            recorder.stop()
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
