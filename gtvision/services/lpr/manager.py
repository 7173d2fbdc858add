"""Which LPR cameras this instance reads: leases in PostgreSQL, shared fairly among instances.

Each instance heartbeats in ``ai.lpr_instances`` and holds a lease per camera in
``ai.lpr_leases``, renewed every third of the lease. It takes free or expired leases up to its
fair share (cameras / live instances) and gives up any above it, so cameras spread out as
instances come and go; a dead instance's leases expire and are taken within one lease plus one
tick (15 s + 5 s by default). A lease is claimed with one conditional upsert, so two instances
never hold the same camera at once. Workers that crash are restarted on the next tick; a camera
that cannot be read (its stored password unreadable) is reported on that camera, and the
manager goes on with the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import uuid
from datetime import timedelta

from sqlalchemy.exc import DBAPIError, InterfaceError

from gtvision.onvif.uris import with_credentials
from gtvision.services.auth.keys import UNREADABLE_SECRET, Keys, SecretUnreadableError
from gtvision.services.background import stop_if_cancelled, woken_or_after
from gtvision.services.lpr.engine import LprEngine
from gtvision.services.lpr.spool import Spool
from gtvision.services.lpr.status import StatusReporter
from gtvision.services.lpr.worker import CameraWorker, LprCamera, WorkerOptions
from gtvision.services.store import leases
from gtvision.services.store.db import Database
from gtvision.services.store.models import Camera
from gtvision.services.store.tenancy import Scope

log = logging.getLogger(__name__)


def lpr_camera(camera: Camera, keys: Keys) -> LprCamera | None:
    profile = camera.main_profile if camera.lpr_stream == "main" else camera.sub_profile
    profile = profile or camera.main_profile or camera.sub_profile
    if not profile or not profile.get("stream_uri"):
        return None
    password = keys.decrypt(camera.password_encrypted) if camera.password_encrypted else None
    roi = tuple(camera.lpr_roi) if camera.lpr_roi and len(camera.lpr_roi) == 4 else None
    return LprCamera(
        tenant_id=camera.tenant_id, camera_id=camera.id, name=camera.name,
        url=with_credentials(str(profile["stream_uri"]), camera.username, password),
        fps=camera.lpr_fps, roi=roi,  # type: ignore[arg-type]
    )  # fmt: skip


class LprManager:
    def __init__(
        self,
        db: Database,
        keys: Keys,
        engine: LprEngine,
        spool: Spool,
        status: StatusReporter,
        *,
        lease_s: float = 15.0,
        options: WorkerOptions = WorkerOptions(),
        instance_id: str | None = None,
    ) -> None:
        self.db, self.keys, self.engine, self.spool, self.status = db, keys, engine, spool, status
        self.lease_s = lease_s
        self.options = options
        self.instance_id = instance_id or uuid.uuid4().hex
        self.workers: dict[uuid.UUID, tuple[LprCamera, CameraWorker, asyncio.Task[None]]] = {}
        self.restarts = 0
        self._wake = asyncio.Event()

    def trigger(self) -> None:
        """Cameras changed: look again now rather than at the next tick."""
        self._wake.set()

    async def run(self) -> None:
        try:
            while True:
                try:
                    await self.tick()
                except (DBAPIError, InterfaceError, OSError) as exc:
                    # Keep reading: the reads wait in the spool. Should another instance take
                    # a camera meanwhile, the next successful renewal leaves it out and its
                    # worker here stops; a few duplicate reads beat a gap in the record.
                    stop_if_cancelled()
                    log.warning("LPR leases not renewed (database: %s)", type(exc).__name__)
                self._wake.clear()
                await woken_or_after(self._wake, self.lease_s / 3)
        finally:
            await self._stop_all()
            with contextlib.suppress(DBAPIError, InterfaceError, OSError):
                await self._release_all()

    async def tick(self) -> None:
        lease = timedelta(seconds=self.lease_s)
        async with self.db.session(Scope.all_tenants()) as session:
            now, live = await leases.heartbeat(session, self.instance_id, lease)
            cameras = {c.id: c for c in await leases.lpr_cameras(session)}
            share = math.ceil(len(cameras) / live)
            mine = await leases.renew(session, self.instance_id, now + lease)
            kept = [c for c in mine if c in cameras]
            surplus = [c for c in mine if c not in cameras] + kept[share:]
            if surplus:
                await leases.release(session, surplus)
            held = [c for c in mine if c not in surplus]
            busy = await leases.taken(session, now)
            for camera_id in cameras:
                if len(held) >= share:
                    break
                if camera_id not in busy and await leases.claim(
                    session, camera_id, self.instance_id, now, now + lease
                ):
                    held.append(camera_id)
            wanted: dict[uuid.UUID, LprCamera] = {}
            for camera_id in held:
                camera = cameras[camera_id]
                try:
                    if readable := lpr_camera(camera, self.keys):
                        wanted[camera_id] = readable
                except SecretUnreadableError:  # this camera's trouble, not the manager's
                    unreadable = LprCamera(camera.tenant_id, camera.id, camera.name, "", 1.0)
                    self.status.report_soon(unreadable, "unauthorized", UNREADABLE_SECRET)
        await self._apply(wanted)

    async def _apply(self, wanted: dict[uuid.UUID, LprCamera]) -> None:
        for camera_id, (camera, _, task) in list(self.workers.items()):
            if wanted.get(camera_id) != camera:
                await self._stop(camera_id)
            elif task.done():
                exc = task.exception() if not task.cancelled() else None
                log.error("LPR worker for camera %s stopped (%r); restarting", camera_id, exc)
                self.restarts += 1
                await self._stop(camera_id)
        for camera_id, camera in wanted.items():
            if camera_id not in self.workers:
                worker = CameraWorker(camera, self.engine, self.spool, self.status, self.options)
                task = asyncio.create_task(worker.run(), name=f"lpr-{camera_id}")
                self.workers[camera_id] = (camera, worker, task)

    async def _stop(self, camera_id: uuid.UUID) -> None:
        _, _, task = self.workers.pop(camera_id)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        self.status.forget(camera_id)

    async def _stop_all(self) -> None:
        """Together: each may wait for its reader to leave a blocking open (up to its timeout),
        and a shutdown must not take that times the number of cameras."""
        await asyncio.gather(*(self._stop(camera_id) for camera_id in list(self.workers)))

    async def _release_all(self) -> None:
        async with self.db.session(Scope.all_tenants()) as session:
            await leases.release_all(session, self.instance_id)
