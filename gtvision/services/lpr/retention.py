"""LGPD retention: plate reads and their images are kept only as long as each city decided.

Run daily by the service (and on demand by ``gtvision-service retention``). Whole months older
than every tenant's retention are dropped as partitions — instant, no bloat; inside the months
still kept, a tenant with a shorter retention has its older rows deleted. Crops past the crop
retention are deleted from object storage and unlinked from their rows, in bounded batches.
Alerts and the event stream name plates too: alerts go with their reads; plate events are
kept for clients to resume (a week at most), other events for the dashboards' longest period.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Delete
from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.services.objects import ObjectStore
from gtvision.services.store import queries
from gtvision.services.store.db import Database
from gtvision.services.store.partitions import drop_partitions_before, ensure_partition, next_month
from gtvision.services.store.tenancy import Scope

log = logging.getLogger(__name__)
BATCH = 1000
DELIVERIES_KEPT = timedelta(days=7)  # finished webhook deliveries, for "did they get it?"
# Events that carry a plate: only for a console or app to resume its stream after a weekend
# offline (and never past the city's read retention).
PLATE_EVENTS = ("plate.read", "alert.raised", "alert.updated", "alert.reannounced",
                "alert.acknowledged")  # fmt: skip
PLATE_EVENTS_KEPT = timedelta(days=7)
# The rest (camera status, directory changes): the dashboard's longest period by the day.
EVENTS_KEPT = timedelta(days=400)


@dataclass
class RetentionReport:
    partitions_dropped: list[str] = field(default_factory=list)
    detections_deleted: int = 0
    images_deleted: int = 0
    alerts_deleted: int = 0
    events_deleted: int = 0


async def enforce(db: Database, store: ObjectStore, now: datetime | None = None) -> RetentionReport:
    now = now or datetime.now(UTC)
    report = RetentionReport()
    async with db.session(Scope.all_tenants()) as session:
        tenants = await queries.retention_settings(session)
    # Images first, while their rows still say where they are.
    for tenant_id, detection_days, crop_days in tenants:
        cutoff = now - timedelta(days=min(crop_days, detection_days))
        report.images_deleted += await _forget_images(db, store, tenant_id, cutoff)
    async with db.session(Scope.all_tenants()) as session:
        longest = max((days for _, days, _ in tenants), default=0)
        if tenants:
            report.partitions_dropped = await drop_partitions_before(
                session, now - timedelta(days=longest)
            )
        # The next month's partition exists before the first read of that month arrives.
        await ensure_partition(session, now)
        await ensure_partition(session, next_month(now.replace(day=1)))
        await session.execute(queries.old_deliveries(now - DELIVERIES_KEPT))
    for tenant_id, detection_days, _ in tenants:
        reads_kept = timedelta(days=detection_days)
        async with db.session(Scope.tenant(tenant_id)) as session:
            report.detections_deleted += await _deleted(
                session, queries.expired_detections(tenant_id, now - reads_kept)
            )
            report.alerts_deleted += await _deleted(
                session, queries.expired_alerts(tenant_id, now - reads_kept)
            )
            plates_cutoff = now - min(reads_kept, PLATE_EVENTS_KEPT)
            report.events_deleted += await _deleted(
                session, queries.expired_events(tenant_id, plates_cutoff, PLATE_EVENTS)
            )
            report.events_deleted += await _deleted(
                session, queries.expired_events(tenant_id, now - EVENTS_KEPT)
            )
    log.info(
        "retention: %d partitions dropped, %d reads, %d images, %d alerts, %d events deleted",
        len(report.partitions_dropped), report.detections_deleted, report.images_deleted,
        report.alerts_deleted, report.events_deleted,
    )  # fmt: skip
    return report


async def _deleted(session: AsyncSession, statement: Delete) -> int:
    result = cast(CursorResult[Any], await session.execute(statement))
    return result.rowcount or 0


async def _forget_images(
    db: Database, store: ObjectStore, tenant_id: uuid.UUID, cutoff: datetime
) -> int:
    deleted = 0
    while True:
        async with db.session(Scope.tenant(tenant_id)) as session:
            rows = (await session.execute(queries.crops_to_forget(tenant_id, cutoff, BATCH))).all()
            if not rows:
                return deleted
            keys = [k for _, _, crop, frame in rows for k in (crop, frame) if k]
            await store.delete(keys)  # before unlinking: a failure leaves them to the next run
            await session.execute(queries.forget_crops([r[0] for r in rows]))
            deleted += len(keys)


async def run_daily(jobs: Sequence[Callable[[], Awaitable[object]]], hour_utc: int = 6) -> None:
    """Once at start-up, then every day at ``hour_utc`` (06:00 UTC = 03:00 in Brasília)."""
    while True:
        for job in jobs:
            try:
                await job()
            except Exception:
                log.exception("retention run failed")
        now = datetime.now(UTC)
        next_run = now.replace(hour=hour_utc, minute=0, second=0, microsecond=0)
        if next_run <= now:
            next_run += timedelta(days=1)
        await asyncio.sleep((next_run - now).total_seconds())
