"""Keeps MediaMTX's paths equal to the enabled cameras: the thin shell around :func:`plan`.

It runs at start, whenever a camera changes (``trigger``) and every ``media_poll_interval_s``,
so a restarted MediaMTX (which forgets paths added through the API) is repaired within one
interval. While MediaMTX is unreachable it backs off, and ``healthy`` turns false for /readyz.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass

from gtvision.services.auth.keys import Keys, SecretUnreadableError
from gtvision.services.media.health import StreamHealth
from gtvision.services.media.mediamtx import MediaMtxClient, MediaMtxError, PathConf
from gtvision.services.media.paths import (
    CameraSource,
    Plan,
    RecordingConf,
    Variant,
    desired_paths,
    plan,
)
from gtvision.services.store import queries
from gtvision.services.store.db import Database
from gtvision.services.store.models import Camera
from gtvision.services.store.tenancy import Scope

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ReconcileResult:
    plan: Plan
    calls: int
    seconds: float


class Reconciler:
    def __init__(
        self,
        db: Database,
        client: MediaMtxClient,
        keys: Keys,
        *,
        interval_s: float = 2.0,
        health: StreamHealth | None = None,
        recording: RecordingConf | None = None,
    ) -> None:
        self.db = db
        self.recording = recording
        self.health = health
        self.client = client
        self.keys = keys
        self.interval_s = interval_s
        self.healthy = False
        self.last_error: str | None = None
        self._wake = asyncio.Event()

    def trigger(self) -> None:
        """Something changed: reconcile now rather than at the next tick."""
        self._wake.set()

    async def desired(self) -> dict[str, PathConf]:
        async with self.db.read_session(Scope.all_tenants()) as session:
            cameras = await queries.enabled_cameras(session)
        sources = (source for c in cameras if (source := self._source(c)) is not None)
        return desired_paths(sources, self.recording)

    def _source(self, camera: Camera) -> CameraSource | None:
        streams: dict[Variant, str] = {}
        for variant, profile in (("main", camera.main_profile), ("sub", camera.sub_profile)):
            if profile and profile.get("stream_uri"):
                streams[variant] = str(profile["stream_uri"])  # type: ignore[index]
        if not streams:
            return None
        password = None
        if camera.password_encrypted is not None:
            try:
                password = self.keys.decrypt(camera.password_encrypted)
            except SecretUnreadableError:
                log.error("camera %s: stored password unreadable with this key", camera.id)
        return CameraSource(
            camera.tenant_id,
            camera.id,
            streams,
            camera.username,
            password,
            record=camera.recording_mode != "off",
        )

    async def reconcile_once(self) -> ReconcileResult:
        started, calls_before = time.perf_counter(), self.client.calls
        desired = await self.desired()
        actual = {c.name: c for c in await self.client.list_path_configs() if c.name}
        todo = plan(desired, actual)
        await asyncio.gather(
            *(self._add(name, conf) for name, conf in todo.add.items()),
            *(self.client.replace_path(name, conf) for name, conf in todo.replace.items()),
            *(self._delete(name) for name in todo.delete),
        )
        if not todo.empty:
            log.info(
                "MediaMTX reconciled: +%d ~%d -%d paths",
                len(todo.add),
                len(todo.replace),
                len(todo.delete),
            )
        return ReconcileResult(
            todo, self.client.calls - calls_before, time.perf_counter() - started
        )

    async def _add(self, name: str, conf: PathConf) -> None:
        try:
            await self.client.add_path(name, conf)
        except MediaMtxError as exc:
            if exc.status != 400:
                raise
            await self.client.replace_path(name, conf)  # added meanwhile by another instance

    async def _delete(self, name: str) -> None:
        try:
            await self.client.delete_path(name)
        except MediaMtxError as exc:
            if exc.status != 404:  # already gone
                raise

    async def run(self) -> None:
        failures = 0
        while True:
            try:
                await self.reconcile_once()
                if self.health is not None:
                    await self.health.update({s.name: s for s in await self.client.list_paths()})
                self.healthy, self.last_error, failures = True, None, 0
            except MediaMtxError as exc:
                failures += 1
                self.healthy, self.last_error = False, str(exc)
                log.warning("MediaMTX reconcile failed (%d in a row): %s", failures, exc)
            except Exception:
                failures += 1
                self.healthy = False
                log.exception("MediaMTX reconcile crashed")
            delay = self.interval_s if failures == 0 else min(30.0, self.interval_s * 2**failures)
            try:
                async with asyncio.timeout(delay):
                    await self._wake.wait()
            except TimeoutError:
                pass
            self._wake.clear()
