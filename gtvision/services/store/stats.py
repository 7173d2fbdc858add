"""Aggregate queries for dashboards: counts grouped in SQL, never rows fetched to be counted.

Like :mod:`.queries`, the tenant filter is added by :mod:`.tenancy` when a statement runs.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import distinct_on
from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.services.store.models import Alert, Camera, Detection, Event

STATUS_EVENT = "camera.status"


async def reads_per_bucket(
    session: AsyncSession, since: datetime, until: datetime, bucket: str, timezone: str
) -> Sequence[tuple[uuid.UUID | None, datetime, int, str | None]]:
    """(camera, bucket start, reads, the camera's name then); buckets cut at local
    midnight/hour of ``timezone``."""
    start = func.date_trunc(bucket, Detection.at, timezone).label("start")
    stmt = (
        select(Detection.camera_id, start, func.count(), func.max(Detection.camera_name))
        .where(Detection.at >= since, Detection.at < until)
        .group_by(Detection.camera_id, start)
        .order_by(start)
    )
    return [
        (camera, start, count, name) for camera, start, count, name in await session.execute(stmt)
    ]


async def camera_names(session: AsyncSession) -> dict[uuid.UUID, str]:
    rows = await session.execute(select(Camera.id, Camera.name))
    return dict(rows.all())


async def alerts_by_list(
    session: AsyncSession, since: datetime, until: datetime
) -> Sequence[tuple[uuid.UUID | None, str | None, int, int, int]]:
    """(watch list, its name then, priority, open, acknowledged) for alerts first seen then."""
    acknowledged = func.count(Alert.acknowledged_at)
    stmt = (
        select(
            Alert.watchlist_id,
            func.max(Alert.watchlist_name),
            Alert.priority,
            func.count() - acknowledged,
            acknowledged,
        )
        .where(Alert.detection_at >= since, Alert.detection_at < until)
        .group_by(Alert.watchlist_id, Alert.priority)
    )
    return [(w, name, p, o, a) for w, name, p, o, a in await session.execute(stmt)]


async def enabled_camera_status(session: AsyncSession) -> dict[uuid.UUID, str]:
    stmt = select(Camera.id, Camera.status).where(Camera.enabled)
    return {camera: str(status) for camera, status in await session.execute(stmt)}


async def status_changes(
    session: AsyncSession, since: datetime, until: datetime
) -> tuple[dict[uuid.UUID, str], Sequence[tuple[uuid.UUID, datetime, str]]]:
    """Each camera's status as ``since`` began (its last change before), and every change
    between, oldest first."""
    status: Any = Event.data["status"].astext
    before = (
        select(Event.camera_id, status)
        .where(Event.type == STATUS_EVENT, Event.at < since, Event.camera_id.is_not(None))
        .ext(distinct_on(Event.camera_id))
        .order_by(Event.camera_id, Event.at.desc())
    )
    during = (
        select(Event.camera_id, Event.at, status)
        .where(Event.type == STATUS_EVENT, Event.at >= since, Event.at < until)
        .where(Event.camera_id.is_not(None))
        .order_by(Event.at)
    )
    initial = {c: str(s) for c, s in await session.execute(before) if c is not None}
    changes = [(c, at, str(s)) for c, at, s in await session.execute(during) if c is not None]
    return initial, changes
