"""What the API does with recordings: availability, playback, bookmarks, clip exports.

Everything is scoped to the caller's tenant; asking for another tenant's camera is a 404 like
any unknown id, and is audited as a refusal. Listing, playing and exporting are audited too:
footage of people is personal data (LGPD).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from gtvision.contract import (
    API_PREFIX,
    BookmarkCreate,
    ExportCreate,
    RecordingAvailability,
    Role,
    TimeRange,
)
from gtvision.contract import Bookmark as BookmarkOut
from gtvision.contract import Export as ExportOut
from gtvision.services.audit.service import AuditEvent, record, record_alone
from gtvision.services.context import Caller, Runtime
from gtvision.services.errors import ForbiddenError, InvalidInputError, NotFoundError
from gtvision.services.media.tokens import (
    InvalidStreamTokenError,
    StreamGrant,
    issue_stream_token,
    new_token_id,
    verify_stream_token,
)
from gtvision.services.recordings.remux import ClipError, ClipMuxer
from gtvision.services.recordings.threads import Pipe, fail, resolve
from gtvision.services.store import recordings as sql
from gtvision.services.store.models import Camera, Export, RecordingLock
from gtvision.services.store.paging import fetch_page
from gtvision.services.store.rows import get_or_404, to_model
from gtvision.services.store.tenancy import Scope

log = logging.getLogger(__name__)

MAX_WINDOW = timedelta(days=31)
MAX_SEGMENTS = 10_000  # a month of one-minute segments is 44,640: ask by day for more
MAX_PLAY_S = 3600
MAX_PLAY_SEGMENTS = 1000  # an hour of the shortest segments allowed (5 s), and then some
MAX_EXPORT = timedelta(hours=1)
GAP_S = 2.0  # segments closer than this are one range (the recorder's keyframe spacing)


def merge_ranges(
    segments: Sequence[tuple[datetime, datetime]], gap_s: float = GAP_S
) -> list[TimeRange]:
    """Continuous footage from segment times (sorted by start)."""
    ranges: list[TimeRange] = []
    for start, end in segments:
        if ranges and (start - ranges[-1].end).total_seconds() <= gap_s:
            ranges[-1].end = max(ranges[-1].end, end)
        else:
            ranges.append(TimeRange(start=start, end=end))
    return ranges


async def _camera(caller: Caller, camera_id: uuid.UUID, action: str) -> Camera:
    """The caller's camera, or a 404 that is audited as a refusal."""
    async with caller.read_session() as session:
        try:
            return await get_or_404(session, Camera, camera_id)
        except NotFoundError:
            pass
    principal = caller.principal
    await record_alone(
        caller.runtime.db,
        AuditEvent(action, "denied", "camera", camera_id, {"reason": "no such camera"}),
        tenant_id=principal.tenant_id,
        user_id=principal.user_id,
        username=principal.username,
        source_ip=caller.source_ip,
    )
    raise NotFoundError(f"camera {camera_id} not found")


def _window(since: datetime | None, until: datetime | None) -> tuple[datetime, datetime]:
    until = until or datetime.now(UTC)
    since = since or until - timedelta(days=1)
    if since >= until:
        raise InvalidInputError("from must be before to")
    if until - since > MAX_WINDOW:
        raise InvalidInputError(f"ask at most {MAX_WINDOW.days} days at a time")
    return since, until


def to_bookmark(lock: RecordingLock) -> BookmarkOut:
    return to_model(BookmarkOut, lock)


async def availability(
    caller: Caller, camera_id: uuid.UUID, since: datetime | None, until: datetime | None
) -> RecordingAvailability:
    since, until = _window(since, until)
    camera = await _camera(caller, camera_id, "recording.list")
    async with caller.session() as session:
        rows = await sql.segment_list(session, camera.id, since, until, MAX_SEGMENTS + 1)
        locks = await sql.locks(session, camera.id, since, until)
        detail = {"from": since.isoformat(), "to": until.isoformat()}
        record(
            session, caller, AuditEvent("recording.list", "success", "camera", camera.id, detail)
        )
    truncated = len(rows) > MAX_SEGMENTS
    rows = rows[:MAX_SEGMENTS]
    url = expires = None
    if rows:
        url, expires = _playback_url(caller, camera)
    return RecordingAvailability(
        camera_id=camera.id,
        since=since,
        until=until,
        ranges=merge_ranges([(r.started_at, r.ended_at) for r in rows]),
        segments=len(rows),
        truncated=truncated,
        playback_url=url,
        expires_at=expires,
        bookmarks=[to_bookmark(lock) for lock in locks],
    )


def _playback_url(caller: Caller, camera: Camera) -> tuple[str, datetime]:
    runtime = caller.runtime
    grant = StreamGrant(
        tenant_id=camera.tenant_id,
        camera_id=camera.id,
        user_id=caller.principal.user_id,
        username=caller.principal.username,
        token_id=new_token_id(),
    )
    token, expires = issue_stream_token(
        grant, runtime.keys.stream_key, max(runtime.settings.stream_token_ttl_s, 3600)
    )
    base = runtime.settings.public_url or f"http://{runtime.settings.host}:{runtime.settings.port}"
    query = urlencode({"token": token})
    return f"{base.rstrip('/')}{API_PREFIX}/cameras/{camera.id}/recordings/play?{query}", expires


# Playback ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Clip:
    first_at: datetime
    chunks: AsyncIterator[bytes]


class _Sink:
    """Where the muxer (in a thread) writes: chunks into a ``Pipe`` to the event loop.

    ``on_first`` runs before the first chunk is queued: the request learns the clip's start
    (for its headers) before the queue can fill, or the producer would wait on a reader that
    is itself waiting for that start. (No ``closed`` attribute: PyAV reads a file object's
    ``closed`` and would skip its last flush.)
    """

    def __init__(self, pipe: Pipe[bytes], on_first: Callable[[], None]) -> None:
        self.pipe = pipe
        self._on_first: Callable[[], None] | None = on_first

    def write(self, data: Any) -> int:
        if self._on_first is not None:
            self._on_first()
            self._on_first = None
        chunk = bytes(data)
        self.pipe.put(chunk)
        return len(chunk)


async def play(
    runtime: Runtime, camera_id: uuid.UUID, token: str, start: datetime, duration_s: float
) -> Clip:
    """A fragmented MP4 from the keyframe before ``start``; 404 when nothing was recorded."""
    try:
        grant = verify_stream_token(token, runtime.keys.stream_key)
    except InvalidStreamTokenError as exc:
        raise ForbiddenError("the playback link is invalid or has expired") from exc
    if grant.camera_id != camera_id:
        raise ForbiddenError("the playback link is for another camera")
    end = start + timedelta(seconds=duration_s)
    async with runtime.db.read_session(Scope.tenant(grant.tenant_id)) as session:
        # From a bit before: the keyframe that starts the clip may be in the previous segment.
        rows = await sql.segment_list(
            session, camera_id, start - timedelta(seconds=5), end, MAX_PLAY_SEGMENTS
        )
    if not rows or rows[-1].ended_at <= start:
        raise NotFoundError("nothing was recorded in that time")
    await record_alone(
        runtime.db,
        AuditEvent("recording.play", "success", "camera", camera_id, {"start": start.isoformat()}),
        tenant_id=grant.tenant_id,
        user_id=grant.user_id,
        username=grant.username,
        source_ip=None,
    )
    loop = asyncio.get_running_loop()
    pipe: Pipe[bytes] = Pipe(loop)
    started: asyncio.Future[datetime] = loop.create_future()

    def announce() -> None:
        assert muxer.first_at is not None  # set before the muxer writes its first byte
        loop.call_soon_threadsafe(resolve, started, muxer.first_at)

    muxer = ClipMuxer(_Sink(pipe, announce), start, end, fragmented=True)

    def produce() -> None:
        try:
            for row in rows:
                data = asyncio.run_coroutine_threadsafe(
                    runtime.recordings.get(row.key), loop
                ).result()
                muxer.add(row.started_at, data)
                if muxer.done:
                    break
            muxer.close()
        except BaseException as exc:
            loop.call_soon_threadsafe(fail, started, exc)  # before the first chunk: the answer
            pipe.fail(exc)  # after it: the stream breaks off, it does not end as if whole
        else:
            pipe.close()

    threading.Thread(target=produce, name=f"play-{camera_id}", daemon=True).start()
    try:
        first_at = await started
    except ClipError as exc:
        raise NotFoundError(str(exc)) from None

    async def chunks() -> AsyncIterator[bytes]:
        try:
            async for chunk in pipe:
                yield chunk
        except BrokenPipeError:
            raise
        except Exception as exc:
            log.error("playback of camera %s broke off: %s: %s", camera_id,
                      type(exc).__name__, exc)  # fmt: skip
            raise

    return Clip(first_at, chunks())


# Bookmarks -----------------------------------------------------------------------------------


async def list_bookmarks(
    caller: Caller, camera_id: uuid.UUID, cursor: str | None, limit: int
) -> tuple[Sequence[RecordingLock], str | None]:
    camera = await _camera(caller, camera_id, "bookmark.list")
    async with caller.read_session() as session:
        return await fetch_page(
            session, sql.bookmarks(camera_id=camera.id), RecordingLock.id, cursor, limit
        )


async def create_bookmark(
    caller: Caller, camera_id: uuid.UUID, data: BookmarkCreate
) -> RecordingLock:
    camera = await _camera(caller, camera_id, "bookmark.create")  # 404 before 403: no probing
    caller.require(Role.OPERATOR)
    async with caller.session() as session:
        lock = RecordingLock(
            camera_id=camera.id,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            label=data.label,
            protect=data.protect,
            created_by=caller.principal.username,
        )
        session.add(lock)
        await session.flush()
        detail = {
            "from": data.starts_at.isoformat(),
            "to": data.ends_at.isoformat(),
            "protect": data.protect,
        }
        record(
            session, caller, AuditEvent("bookmark.create", "success", "bookmark", lock.id, detail)
        )
    return lock


async def delete_bookmark(caller: Caller, camera_id: uuid.UUID, bookmark_id: uuid.UUID) -> None:
    """Lifting an evidence lock lets retention delete the footage: admins only."""
    async with caller.session() as session:
        lock = await get_or_404(session, RecordingLock, bookmark_id)
        if lock.camera_id != camera_id:
            raise NotFoundError(f"bookmark {bookmark_id} not found")
        if lock.protect or lock.created_by != caller.principal.username:
            caller.require(Role.ADMIN)
        await session.delete(lock)
        record(session, caller, AuditEvent("bookmark.delete", "success", "bookmark", lock.id))


# Exports -------------------------------------------------------------------------------------


async def create_export(caller: Caller, data: ExportCreate) -> Export:
    if data.ends_at - data.starts_at > MAX_EXPORT:
        raise InvalidInputError(f"a clip is at most {MAX_EXPORT.seconds // 60} minutes")
    try:
        camera = await _camera(caller, data.camera_id, "export.create")
    except NotFoundError:  # an id in the body, not in the path: invalid input, like zone_id
        raise InvalidInputError(f"camera_id: no camera {data.camera_id} in this tenant") from None
    caller.require(Role.OPERATOR)
    async with caller.session() as session:
        rows = await sql.segment_list(session, camera.id, data.starts_at, data.ends_at, 1)
        if not rows:
            raise InvalidInputError(
                f"no recording of camera {camera.name!r} between {data.starts_at.isoformat()} "
                f"and {data.ends_at.isoformat()}"
            )
        export = Export(
            camera_id=camera.id,
            starts_at=data.starts_at,
            ends_at=data.ends_at,
            requested_by=caller.principal.username,
        )
        session.add(export)
        await session.flush()
        detail = {"from": data.starts_at.isoformat(), "to": data.ends_at.isoformat()}
        record(session, caller, AuditEvent("export.create", "success", "export", export.id, detail))
    caller.runtime.exports_requested()
    return export


async def list_exports(
    caller: Caller, cursor: str | None, limit: int
) -> tuple[Sequence[Export], str | None]:
    async with caller.read_session() as session:
        return await fetch_page(session, sql.exports(), Export.id, cursor, limit)


async def get_export(caller: Caller, export_id: uuid.UUID) -> Export:
    async with caller.read_session() as session:
        return await get_or_404(session, Export, export_id)


async def to_export(caller: Caller, export: Export) -> ExportOut:
    url = None
    if export.status == "ready" and export.key:
        url = await caller.runtime.exports.url(export.key, caller.runtime.settings.object_url_ttl_s)
    out = ExportOut.model_validate(
        {
            **{c: getattr(export, c) for c in ExportOut.model_fields if c != "download_url"},
            "download_url": url,
        }
    )
    return out
