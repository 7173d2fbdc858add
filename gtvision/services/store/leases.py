"""The SQL of LPR leases (see :mod:`gtvision.services.lpr.manager` for the policy)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.services.store.models import Camera, LprInstance, LprLease


async def heartbeat(
    session: AsyncSession, instance_id: str, lease: timedelta
) -> tuple[datetime, int]:
    """Say this instance is alive; forget long-dead ones. Returns the database's now and the
    number of instances alive within one lease."""
    now = await session.scalar(select(func.now()))
    assert now is not None
    await session.execute(
        insert(LprInstance)
        .values(id=instance_id, heartbeat_at=now)
        .on_conflict_do_update(index_elements=["id"], set_={"heartbeat_at": now})
    )
    await session.execute(delete(LprInstance).where(LprInstance.heartbeat_at < now - 3 * lease))
    live = await session.scalar(
        select(func.count()).select_from(LprInstance).where(LprInstance.heartbeat_at >= now - lease)
    )
    return now, int(live or 1)


async def lpr_cameras(session: AsyncSession) -> Sequence[Camera]:
    return (await session.scalars(select(Camera).where(Camera.enabled, Camera.lpr_enabled))).all()


async def renew(session: AsyncSession, instance_id: str, until: datetime) -> list[uuid.UUID]:
    held = await session.scalars(
        update(LprLease)
        .where(LprLease.instance_id == instance_id)
        .values(expires_at=until)
        .returning(LprLease.camera_id)
    )
    return list(held)


async def release(session: AsyncSession, camera_ids: Sequence[uuid.UUID]) -> None:
    await session.execute(delete(LprLease).where(LprLease.camera_id.in_(camera_ids)))


async def taken(session: AsyncSession, now: datetime) -> set[uuid.UUID]:
    return set(await session.scalars(select(LprLease.camera_id).where(LprLease.expires_at >= now)))


async def claim(
    session: AsyncSession, camera_id: uuid.UUID, instance_id: str, now: datetime, until: datetime
) -> bool:
    """Take a camera that nobody holds, or whose holder let the lease run out; one statement,
    so two instances can never both succeed."""
    got = await session.scalar(
        insert(LprLease)
        .values(camera_id=camera_id, instance_id=instance_id, expires_at=until)
        .on_conflict_do_update(
            index_elements=["camera_id"],
            set_={"instance_id": instance_id, "expires_at": until},
            where=LprLease.expires_at < now,
        )
        .returning(LprLease.camera_id)
    )
    return got is not None


async def release_all(session: AsyncSession, instance_id: str) -> None:
    await session.execute(delete(LprLease).where(LprLease.instance_id == instance_id))
    await session.execute(delete(LprInstance).where(LprInstance.id == instance_id))
