"""Draining the spool into the stores, exactly once and in order.

For each pending read: the crop and context frame go to object storage under keys derived
from the read's id (a retry overwrites, never duplicates); then one transaction inserts the
detection (``ON CONFLICT DO NOTHING`` on its id), publishes ``plate.read``, and matches the
tenant's watch lists, creating alerts and ``alert.raised`` events. Only a read that was new
publishes anything, so a retry after a crash between commit and spool deletion is harmless.
While PostgreSQL or the object store is down the writer waits with backoff on the same read;
everything behind it stays safely on disk.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.exc import DataError, DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.contract import API_PREFIX, priority_name
from gtvision.retry import Backoff
from gtvision.services.events.bus import publish
from gtvision.services.lpr.plates import plate_key
from gtvision.services.lpr.spool import PendingRead, Spool
from gtvision.services.objects import ObjectStore, ObjectStoreUnavailableError
from gtvision.services.store import queries
from gtvision.services.store.db import Database
from gtvision.services.store.models import Alert
from gtvision.services.store.partitions import ensure_partition, month_start
from gtvision.services.store.tenancy import Scope

log = logging.getLogger(__name__)

_DB_DOWN = (DBAPIError, OSError, ConnectionError, TimeoutError)  # worth waiting for
_NEVER = (IntegrityError, DataError)  # DBAPIErrors too, but waiting will not help


def object_keys(read: PendingRead) -> tuple[str, str]:
    day = read.at.strftime("%Y/%m/%d")
    base = f"{read.tenant_id.hex}/{day}/{read.id}.jpg"
    return f"crops/{base}", f"frames/{base}"


def crop_path(detection_id: uuid.UUID) -> str:
    """Where an API client fetches a read's crop (redirects to a signed URL)."""
    return f"{API_PREFIX}/detections/{detection_id}/crop"


@dataclass
class WriterStats:
    written: int = 0
    duplicates: int = 0
    alerts: int = 0
    retries: int = 0
    set_aside: int = 0


class DetectionWriter:
    def __init__(
        self,
        db: Database,
        store: ObjectStore,
        spool: Spool,
        *,
        repeat_window_s: float = 300.0,
    ) -> None:
        self.db, self.store, self.spool = db, store, spool
        self.repeat_window_s = repeat_window_s
        self.stats = WriterStats()
        self.backlog_since: float | None = None
        self._months: set[datetime] = set()

    async def run(self) -> None:
        backoff, attempt = Backoff(initial_s=0.1, max_s=5.0), 0
        while True:
            path, read = await self.spool.next()
            try:
                await self.write(read)
            except _NEVER:
                self._set_aside(path, read)
                continue
            except (ObjectStoreUnavailableError, *_DB_DOWN) as exc:
                if self.backlog_since is None:
                    self.backlog_since = time.monotonic()
                    log.warning("storing plate reads paused (%s: %s); they wait on disk",
                                type(exc).__name__, exc)  # fmt: skip
                self.stats.retries += 1
                await asyncio.sleep(backoff.delay(attempt))
                attempt += 1
                continue
            except Exception:
                # E.g. its tenant was deleted meanwhile (an integrity error): kept for a human.
                log.exception("plate read %s cannot be stored; set aside as %s", read.id,
                              self.spool.set_aside(path).name)  # fmt: skip
                self.stats.set_aside += 1
                continue
            if self.backlog_since is not None:
                log.info("storing plate reads resumed; %d waiting", len(self.spool))
                self.backlog_since = None
            attempt = 0
            self.spool.done(path)

    def _set_aside(self, path: Path, read: PendingRead) -> None:
        """E.g. the read's tenant was deleted meanwhile: kept on disk for a human, not retried."""
        log.exception("plate read %s cannot be stored; set aside as %s", read.id,
                      self.spool.set_aside(path).name)  # fmt: skip
        self.stats.set_aside += 1

    async def write(self, read: PendingRead) -> bool:
        """Store one read; ``False`` when it was already stored (a replay)."""
        crop_key, frame_key = object_keys(read)
        if read.crop:
            await self.store.put(crop_key, read.crop, "image/jpeg")
        if read.frame:
            await self.store.put(frame_key, read.frame, "image/jpeg")
        month = month_start(read.at)
        if month not in self._months:
            async with self.db.session(Scope.all_tenants()) as session:
                await ensure_partition(session, read.at)
            self._months.add(month)
        async with self.db.session(Scope.tenant(read.tenant_id)) as session:
            inserted = await queries.insert_detection(
                session,
                id=read.id, at=read.at, tenant_id=read.tenant_id, camera_id=read.camera_id,
                camera_name=read.camera_name, plate=read.plate, plate_key=plate_key(read.plate),
                confidence=read.confidence, char_confidences=read.char_confidences,
                format=read.format, box=read.box, frames=read.frames,
                crop_key=crop_key if read.crop else None,
                frame_key=frame_key if read.frame else None,
            )  # fmt: skip
            if not inserted:
                self.stats.duplicates += 1
                return False
            await publish(session, read.tenant_id, "plate.read", plate_event(read),
                          camera_id=read.camera_id)  # fmt: skip
            self.stats.alerts += await raise_alerts(
                session, read, crop_key if read.crop else None, self.repeat_window_s
            )
        self.stats.written += 1
        log.debug("stored plate read %s (%s) of camera %s", read.id, read.plate, read.camera_id)
        return True


def plate_event(read: PendingRead) -> dict[str, object]:
    return {
        "detection_id": str(read.id),
        "plate": read.plate,
        "confidence": round(read.confidence, 4),
        "format": read.format,
        "camera_name": read.camera_name,
        "read_at": read.at.isoformat(),
        "frames": read.frames,
        "crop": crop_path(read.id) if read.crop else None,
    }


def alert_event(alert: Alert, camera_name: str | None, category: str | None) -> dict[str, object]:
    """The data of ``alert.raised|updated|reannounced``, from the alert as it stands."""
    return {
        "alert_id": str(alert.id),
        "detection_id": str(alert.last_detection_id),
        "plate": alert.plate,
        "camera_name": camera_name,
        "watchlist": alert.watchlist_name,
        "category": category,
        "pattern": alert.pattern,
        "reason": alert.reason,
        "priority": alert.priority,
        "priority_name": priority_name(alert.priority),
        "sightings": alert.sightings,
        "read_at": alert.last_seen_at.isoformat(),
        "first_seen_at": alert.detection_at.isoformat(),
        "crop": crop_path(alert.last_detection_id) if alert.crop_key else None,
    }


async def raise_alerts(
    session: AsyncSession, read: PendingRead, crop_key: str | None, repeat_window_s: float = 300.0
) -> int:
    """An alert per matching entry; the same plate at the same camera while that alert is open
    and last seen within ``repeat_window_s`` updates it (``alert.updated``) instead. Returns
    the alerts raised."""
    raised = 0
    for entry, watchlist in await queries.matching_entries(session, read.plate):
        since = read.at - timedelta(seconds=repeat_window_s)
        alert = (
            await queries.open_alert_to_update(session, read.camera_id, entry.id, since)
            if repeat_window_s > 0
            else None
        )
        if alert is not None:
            alert.sightings += 1
            alert.last_seen_at = max(alert.last_seen_at, read.at)
            alert.last_detection_id = read.id
            alert.crop_key = crop_key or alert.crop_key
            await session.flush()
            data = alert_event(alert, read.camera_name, watchlist.category)
            await publish(session, read.tenant_id, "alert.updated", data, camera_id=read.camera_id)
            continue
        alert = Alert(
            detection_id=read.id, detection_at=read.at, camera_id=read.camera_id,
            camera_name=read.camera_name, plate=read.plate, watchlist_id=watchlist.id,
            entry_id=entry.id, pattern=entry.pattern, reason=entry.reason,
            priority=entry.priority, crop_key=crop_key, sightings=1, last_seen_at=read.at,
            last_detection_id=read.id, watchlist_name=watchlist.name,
        )  # fmt: skip
        session.add(alert)
        await session.flush()
        data = alert_event(alert, read.camera_name, watchlist.category)
        await publish(session, read.tenant_id, "alert.raised", data, camera_id=read.camera_id)
        raised += 1
    return raised
