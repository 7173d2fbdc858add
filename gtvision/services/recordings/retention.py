"""Recording retention: segments older than the camera's (else the tenant's) days are deleted,
except under an evidence lock; exported clips are kept a week (they are copies).

Objects are deleted before their rows, so a failure leaves them to the next run, never orphaned.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from gtvision.services.objects import ObjectStore
from gtvision.services.store import recordings as sql
from gtvision.services.store.db import Database
from gtvision.services.store.tenancy import Scope

log = logging.getLogger(__name__)
BATCH = 1000
EXPORTS_KEPT = timedelta(days=7)


@dataclass
class RecordingRetentionReport:
    segments_deleted: int = 0
    exports_deleted: int = 0


async def enforce(
    db: Database, recordings: ObjectStore, exports: ObjectStore, now: datetime | None = None
) -> RecordingRetentionReport:
    now = now or datetime.now(UTC)
    report = RecordingRetentionReport()
    async with db.read_session(Scope.all_tenants()) as session:
        cameras = await sql.retention_settings(session)
    for tenant_id, camera_id, days in cameras:
        cutoff = now - timedelta(days=days)
        while True:
            async with db.session(Scope.tenant(tenant_id)) as session:
                rows = await sql.expired_segments(session, camera_id, cutoff, BATCH)
                if not rows:
                    break
                await recordings.delete([key for _, key in rows])
                await sql.delete_recordings(session, [i for i, _ in rows])
                report.segments_deleted += len(rows)
    while True:
        async with db.session(Scope.all_tenants()) as session:
            old = await sql.expired_exports(session, now - EXPORTS_KEPT, BATCH)
            if not old:
                break
            await exports.delete([key for _, key in old if key])
            await sql.delete_exports(session, [i for i, _ in old])
            report.exports_deleted += len(old)
    log.info(
        "recording retention: %d segments, %d exports deleted",
        report.segments_deleted,
        report.exports_deleted,
    )
    return report
