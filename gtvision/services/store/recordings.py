"""The SQL of recordings: the segment index, bookmarks and evidence locks, clip exports."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy import Select, delete, exists, func, select, text, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from gtvision.services.store.db import Database
from gtvision.services.store.models import (
    Camera,
    Detection,
    Export,
    Recording,
    RecordingLock,
    Tenant,
)

_RECORDER_LOCK = 0x67747672  # "gtvr": one built-in recorder for the whole installation


async def recording_cameras(session: AsyncSession) -> Sequence[Camera]:
    return (
        await session.scalars(select(Camera).where(Camera.enabled, Camera.recording_mode != "off"))
    ).all()


async def camera(
    session: AsyncSession, tenant_id: uuid.UUID, camera_id: uuid.UUID
) -> Camera | None:
    return await session.scalar(
        select(Camera).where(Camera.id == camera_id, Camera.tenant_id == tenant_id)
    )


async def has_reads(
    session: AsyncSession, camera_id: uuid.UUID, since: datetime, until: datetime
) -> bool:
    """Whether a plate was read at the camera in the window (alerts always come with one)."""
    found = await session.scalar(
        select(
            exists().where(
                Detection.camera_id == camera_id, Detection.at >= since, Detection.at < until
            )
        )
    )
    return bool(found)


async def insert_recording(session: AsyncSession, **values: object) -> bool:
    """``False`` when the segment was indexed already (a replay after a crash)."""
    inserted = await session.scalar(
        insert(Recording).values(**values).on_conflict_do_nothing().returning(Recording.id)
    )
    return inserted is not None


def segments(camera_id: uuid.UUID, since: datetime, until: datetime) -> Select[Recording]:
    """Segments overlapping ``[since, until)``, oldest first (tenant filter added by tenancy)."""
    return (
        select(Recording)
        .where(
            Recording.camera_id == camera_id,
            Recording.started_at < until,
            Recording.ended_at > since,
        )
        .order_by(Recording.started_at)
    )


async def segment_list(
    session: AsyncSession, camera_id: uuid.UUID, since: datetime, until: datetime, limit: int
) -> Sequence[Recording]:
    return (await session.scalars(segments(camera_id, since, until).limit(limit))).all()


async def locks(
    session: AsyncSession, camera_id: uuid.UUID, since: datetime, until: datetime
) -> Sequence[RecordingLock]:
    return (
        await session.scalars(
            select(RecordingLock)
            .where(
                RecordingLock.camera_id == camera_id,
                RecordingLock.starts_at < until,
                RecordingLock.ends_at > since,
            )
            .order_by(RecordingLock.starts_at)
        )
    ).all()


async def retention_settings(session: AsyncSession) -> list[tuple[uuid.UUID, uuid.UUID, int]]:
    """(tenant, camera, days) for every camera with recordings, the camera's days winning."""
    rows = await session.execute(
        select(
            Camera.tenant_id,
            Camera.id,
            func.coalesce(Camera.recording_retention_days, Tenant.recording_retention_days),
        )
        .join(Tenant, Tenant.id == Camera.tenant_id)
        .where(exists().where(Recording.camera_id == Camera.id))
    )
    return [(t, c, int(d)) for t, c, d in rows.all()]


async def expired_segments(
    session: AsyncSession, camera_id: uuid.UUID, cutoff: datetime, limit: int
) -> Sequence[tuple[uuid.UUID, str]]:
    """Segments ended before ``cutoff`` that no evidence lock covers."""
    locked = exists().where(
        RecordingLock.camera_id == Recording.camera_id,
        RecordingLock.protect,
        RecordingLock.starts_at < Recording.ended_at,
        RecordingLock.ends_at > Recording.started_at,
    )
    rows = await session.execute(
        select(Recording.id, Recording.key)
        .where(Recording.camera_id == camera_id, Recording.ended_at < cutoff, ~locked)
        .order_by(Recording.ended_at)
        .limit(limit)
    )
    return [(i, k) for i, k in rows.all()]


async def delete_recordings(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    await session.execute(delete(Recording).where(Recording.id.in_(ids)))


def bookmarks(*, camera_id: uuid.UUID) -> Select[RecordingLock]:
    return select(RecordingLock).where(RecordingLock.camera_id == camera_id)


def exports() -> Select[Export]:
    return select(Export)


async def claim_export(session: AsyncSession) -> Export | None:
    """The oldest pending export, marked running; ``SKIP LOCKED`` lets instances share."""
    job = await session.scalar(
        select(Export)
        .where(Export.status == "pending")
        .order_by(Export.created_at)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if job is not None:
        job.status = "running"
    return job


async def requeue_running(session: AsyncSession) -> None:
    """At start-up: exports an earlier run was making when it stopped are made again."""
    await session.execute(update(Export).where(Export.status == "running").values(status="pending"))


async def expired_exports(
    session: AsyncSession, cutoff: datetime, limit: int
) -> Sequence[tuple[uuid.UUID, str | None]]:
    rows = await session.execute(
        select(Export.id, Export.key).where(Export.created_at < cutoff).limit(limit)
    )
    return [(i, k) for i, k in rows.all()]


async def delete_exports(session: AsyncSession, ids: Sequence[uuid.UUID]) -> None:
    await session.execute(delete(Export).where(Export.id.in_(ids)))


@asynccontextmanager
async def recorder_lock(db: Database) -> AsyncIterator[tuple[AsyncConnection, bool]]:
    """A session-level advisory lock on a connection of its own, held while it stays open."""
    async with db.engine.connect() as conn:
        conn = await conn.execution_options(isolation_level="AUTOCOMMIT")
        got = bool(
            await conn.scalar(text("SELECT pg_try_advisory_lock(:k)"), {"k": _RECORDER_LOCK})
        )
        yield conn, got


async def still_connected(conn: AsyncConnection) -> None:
    await conn.execute(text("SELECT 1"))
