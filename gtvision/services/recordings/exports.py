"""Making exported clips: pending exports claimed one at a time (``SKIP LOCKED``, so several
instances share the work), remuxed to a temporary file, uploaded to the ``exports`` bucket.

A clip that cannot be made (no frames in the range) fails with the reason; a store or database
outage leaves it pending for the next attempt; ``export.ready`` / ``export.failed`` events tell
the console without polling.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from pathlib import Path

import av
from sqlalchemy.exc import DBAPIError, InterfaceError

from gtvision.retry import Backoff
from gtvision.services.background import woken_or_after
from gtvision.services.events.bus import publish
from gtvision.services.objects import ObjectStore, ObjectStoreUnavailableError
from gtvision.services.recordings.remux import ClipError, ClipMuxer
from gtvision.services.store import recordings as sql
from gtvision.services.store.db import Database
from gtvision.services.store.models import Export
from gtvision.services.store.tenancy import Scope

log = logging.getLogger(__name__)
MAX_SEGMENTS = 400


def export_key(export: Export) -> str:
    return f"{export.tenant_id}/{export.camera_id}/{export.id}.mp4"


class ExportWorker:
    def __init__(
        self,
        db: Database,
        recordings: ObjectStore,
        exports: ObjectStore,
        workdir: Path,
        *,
        poll_s: float = 10.0,
    ) -> None:
        self.db, self.recordings, self.exports = db, recordings, exports
        self.workdir = workdir
        self.poll_s = poll_s
        self.made = 0
        self._wake = asyncio.Event()

    def trigger(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        backoff, attempt = Backoff(initial_s=1.0, max_s=60.0), 0
        self.workdir.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(DBAPIError, InterfaceError, OSError):
            async with self.db.session(Scope.all_tenants()) as session:
                await sql.requeue_running(session)
        while True:
            try:
                async with self.db.session(Scope.all_tenants()) as session:
                    job = await sql.claim_export(session)
                    job_id = job.id if job is not None else None
                if job_id is None:
                    self._wake.clear()
                    await woken_or_after(self._wake, self.poll_s)
                    continue
                await self.make(job_id)
                attempt = 0
            except (ObjectStoreUnavailableError, DBAPIError, InterfaceError, OSError) as exc:
                attempt += 1
                log.warning("exports wait (%s: %s)", type(exc).__name__, exc)
                await asyncio.sleep(backoff.delay(attempt))

    async def make(self, export_id: uuid.UUID) -> None:
        async with self.db.read_session(Scope.all_tenants()) as session:
            job = await session.get(Export, export_id)
            if job is None:
                return  # deleted meanwhile (its camera or tenant was)
            rows = await sql.segment_list(
                session, job.camera_id, job.starts_at, job.ends_at, MAX_SEGMENTS
            )
        target = self.workdir / f"{export_id}.mp4"
        try:
            muxer = ClipMuxer(str(target), job.starts_at, job.ends_at, fragmented=False)
            try:
                for row in rows:
                    data = await self.recordings.get(row.key)
                    await asyncio.to_thread(muxer.add, row.started_at, data)
                    if muxer.done:
                        break
                await asyncio.to_thread(muxer.close)
            except ClipError as exc:
                await self._finish(export_id, error=str(exc))
                return
            except KeyError as exc:
                await self._finish(export_id, error=f"segment missing from storage: {exc}")
                return
            except av.error.FFmpegError as exc:  # a damaged segment: say so, keep the worker
                log.exception("export %s", export_id)
                await self._finish(export_id, error=f"a recorded segment is damaged: {exc}")
                return
            except ObjectStoreUnavailableError:
                await self._requeue(export_id)
                raise
            key = export_key(job)
            size = target.stat().st_size
            try:
                await self.exports.put_file(key, target, "video/mp4")
            except ObjectStoreUnavailableError:
                await self._requeue(export_id)
                raise
            await self._finish(export_id, key=key, size=size)
            self.made += 1
        finally:
            target.unlink(missing_ok=True)

    async def _requeue(self, export_id: uuid.UUID) -> None:
        async with self.db.session(Scope.all_tenants()) as session:
            job = await session.get(Export, export_id)
            if job is not None:
                job.status = "pending"

    async def _finish(
        self,
        export_id: uuid.UUID,
        *,
        key: str | None = None,
        size: int | None = None,
        error: str | None = None,
    ) -> None:
        async with self.db.session(Scope.all_tenants()) as session:
            job = await session.get(Export, export_id)
            if job is None:
                return  # deleted meanwhile (its camera or tenant was)
            job.status = "failed" if error else "ready"
            job.key, job.size, job.error = key, size, error
            await publish(
                session,
                job.tenant_id,
                "export.failed" if error else "export.ready",
                {"export_id": str(job.id), "error": error, "size": size},
                camera_id=job.camera_id,
            )
