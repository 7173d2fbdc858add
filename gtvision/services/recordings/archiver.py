"""Finished segments from local disk into object storage, indexed in PostgreSQL, then deleted.

Each segment goes: probe (a torn file is set aside under ``.bad/``, never uploaded) → the
camera's mode decides (``continuous`` keeps all; ``events`` keeps a segment only if a plate was
read within ``pre``/``post`` seconds of it, and drops it once no later read can want it) →
upload under a key derived from camera and start → one transaction inserts the row (id derived
the same way, ``ON CONFLICT DO NOTHING``) and publishes ``recording.completed`` → the local file
is deleted. A crash anywhere replays to the same key and row, so no segment is lost or stored
twice; while the store or the database is down, segments simply wait on disk.

A segment is finished when a newer one exists for its path or it has not grown for
``stale_s`` and reads as a whole file (MediaMTX flushes a part every second; our recorder
renames ``.part`` files; FFmpeg's segment muxer writes a segment only when it closes it).
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import DBAPIError, InterfaceError
from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.retry import Backoff
from gtvision.services.events.bus import publish
from gtvision.services.objects import ObjectStore, ObjectStoreUnavailableError
from gtvision.services.recordings.segments import (
    PARTIAL,
    BadSegmentError,
    LocalSegment,
    SegmentInfo,
    object_key,
    probe,
    recording_id,
    scan,
)
from gtvision.services.store import recordings as sql
from gtvision.services.store.db import Database
from gtvision.services.store.models import Camera
from gtvision.services.store.tenancy import Scope

log = logging.getLogger(__name__)
ABANDONED_S = 3600.0


@dataclass
class ArchiverStats:
    archived: int = 0
    dropped: int = 0  # events mode, no read near it; or its camera is gone
    bad: int = 0
    waiting: int = 0  # finished segments still on disk after the last pass
    bytes: int = 0
    errors: int = 0


class Archiver:
    def __init__(
        self,
        db: Database,
        store: ObjectStore,
        root: Path,
        *,
        stale_s: float = 15.0,
        event_margin_s: float = 60.0,
        poll_s: float = 2.0,
    ) -> None:
        self.db, self.store, self.root = db, store, root
        self.stale_s = stale_s
        self.event_margin = timedelta(seconds=event_margin_s)
        self.poll_s = poll_s
        self.stats = ArchiverStats()
        self._probed: dict[Path, tuple[float, SegmentInfo]] = {}

    async def run(self) -> None:
        """Forever; one archiver per recordings directory (a file lock keeps others waiting)."""
        self.root.mkdir(parents=True, exist_ok=True)
        with (self.root / ".archiver.lock").open("w") as lock:
            while True:
                try:
                    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    await asyncio.sleep(5 * self.poll_s)
            backoff, attempt = Backoff(initial_s=self.poll_s, max_s=60.0), 0
            while True:
                try:
                    await self.pass_once()
                    attempt = 0
                    await asyncio.sleep(self.poll_s)
                except (ObjectStoreUnavailableError, DBAPIError, InterfaceError, OSError) as exc:
                    self.stats.errors += 1
                    attempt += 1
                    log.warning("recordings wait on disk (%s: %s)", type(exc).__name__, exc)
                    await asyncio.sleep(backoff.delay(attempt))

    async def pass_once(self, now: datetime | None = None) -> int:
        """Handle every finished segment once; returns how many left the disk."""
        now = now or datetime.now(UTC)
        found = await asyncio.to_thread(scan, self.root)
        handled = waiting = 0
        for segments, partial in found.values():
            for path in partial:
                if self._quiet(path, 2 * self.stale_s):
                    # Left by a recorder that died mid-segment; its fragments up to then play.
                    path.replace(path.with_name(path.name.removesuffix(PARTIAL)))
                    handled += 1
            for i, segment in enumerate(segments):
                newest = i == len(segments) - 1
                if newest and not partial and not self._quiet(segment.path):
                    continue  # MediaMTX may still be writing it
                if await self._handle(segment, now, newest=newest):
                    handled += 1
                else:
                    waiting += 1
        self.stats.waiting = waiting
        return handled

    def _quiet(self, path: Path, quiet_s: float | None = None) -> bool:
        try:
            return time.time() - path.stat().st_mtime >= (quiet_s or self.stale_s)
        except FileNotFoundError:
            return False

    async def _info(self, segment: LocalSegment) -> SegmentInfo:
        mtime = segment.path.stat().st_mtime
        cached = self._probed.get(segment.path)
        if cached is None or cached[0] != mtime:
            info = await asyncio.to_thread(probe, segment.path, segment.started_at)
            self._probed[segment.path] = (mtime, info)
            cached = (mtime, info)
        return cached[1]

    def _forget(self, segment: LocalSegment) -> None:
        self._probed.pop(segment.path, None)
        segment.path.unlink(missing_ok=True)

    async def _handle(self, segment: LocalSegment, now: datetime, *, newest: bool) -> bool:
        try:
            info = await self._info(segment)
        except BadSegmentError as exc:
            # A recorder may hold the newest file's bytes until it closes it (FFmpeg's segment
            # muxer does): unreadable is "not yet" there, unless it was abandoned long ago.
            if newest and not self._quiet(segment.path, ABANDONED_S):
                return False
            self._set_aside(segment, str(exc))
            return True
        except FileNotFoundError:
            return True  # another pass (or MediaMTX's recordDeleteAfter) took it
        name = segment.name
        async with self.db.read_session(Scope.tenant(name.tenant_id)) as session:
            camera = await sql.camera(session, name.tenant_id, name.camera_id)
            wanted = camera is not None and await self._wanted(session, camera, info)
        if camera is None or camera.recording_mode == "off":
            self._forget(segment)
            self.stats.dropped += 1
            return True
        if not wanted:
            if info.ended_at + timedelta(seconds=camera.recording_pre_s) + self.event_margin < now:
                self._forget(segment)  # no read can come for it any more
                self.stats.dropped += 1
                return True
            return False
        await self._archive(segment, camera, info)
        return True

    async def _wanted(self, session: AsyncSession, camera: Camera, info: SegmentInfo) -> bool:
        if camera.recording_mode != "events":
            return True
        return await sql.has_reads(
            session,
            camera.id,
            info.started_at - timedelta(seconds=camera.recording_post_s),
            info.ended_at + timedelta(seconds=camera.recording_pre_s),
        )

    async def _archive(self, segment: LocalSegment, camera: Camera, info: SegmentInfo) -> None:
        key = object_key(camera.tenant_id, camera.id, info.started_at)
        await self.store.put_file(key, segment.path, "video/mp4")
        async with self.db.session(Scope.tenant(camera.tenant_id)) as session:
            new = await sql.insert_recording(
                session,
                id=recording_id(camera.id, info.started_at),
                tenant_id=camera.tenant_id,
                camera_id=camera.id,
                started_at=info.started_at,
                ended_at=info.ended_at,
                key=key,
                size=info.size,
                codec=info.codec,
            )
            if new:
                await publish(
                    session,
                    camera.tenant_id,
                    "recording.completed",
                    {
                        "camera_id": str(camera.id),
                        "started_at": info.started_at.isoformat(),
                        "ended_at": info.ended_at.isoformat(),
                        "size": info.size,
                    },
                    camera_id=camera.id,
                )
        self._forget(segment)
        self.stats.archived += 1
        self.stats.bytes += info.size

    def _set_aside(self, segment: LocalSegment, reason: str) -> None:
        if not self._quiet(segment.path):
            return  # a torn file still growing is a file being written: look again later
        self._probed.pop(segment.path, None)
        target = self.root / ".bad" / segment.path.parent.name
        target.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            segment.path.replace(target / segment.path.name)
            log.error("recording segment %s set aside: %s", segment.path.name, reason)
            self.stats.bad += 1
