"""Dashboard figures for the caller's tenant. Reads and alerts are grouped by PostgreSQL;
camera health over time is replayed from the cameras' status changes. Asking is audited like
a search (who looked at the city's traffic, and for when)."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from gtvision.contract import (
    AlertGroup,
    AlertStats,
    CameraStats,
    CameraStatus,
    CountAt,
    LprCameraLoad,
    LprModels,
    LprStats,
    ReadSeries,
    ReadStats,
    Role,
    StatusCounts,
)
from gtvision.contract._stats import Bucket
from gtvision.services.audit.service import AuditEvent, record
from gtvision.services.context import Caller
from gtvision.services.errors import InvalidInputError
from gtvision.services.lpr.runtime import LprRuntime
from gtvision.services.store import stats as queries

_STEP = {"hour": timedelta(hours=1), "day": timedelta(days=1)}
_STATUSES = frozenset(CameraStatus)
_MOST_BUCKETS = 400  # 16 days by the hour, a year and a month by the day


@dataclass(frozen=True, slots=True)
class Period:
    since: datetime
    until: datetime
    bucket: Bucket
    timezone: ZoneInfo

    @classmethod
    def checked(
        cls, since: datetime | None, until: datetime | None, bucket: Bucket, timezone: str
    ) -> Period:
        """The last day by default; a period that would draw more than 400 buckets is a 422."""
        try:
            zone = ZoneInfo(timezone)
        except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
            raise InvalidInputError(f"tz: unknown time zone {timezone!r}") from None
        until = until or datetime.now(zone)
        since = since or until - timedelta(days=1)
        if since >= until:
            raise InvalidInputError("from must be before to")
        if (until - since) / _STEP[bucket] > _MOST_BUCKETS:
            raise InvalidInputError(
                f"at most {_MOST_BUCKETS} buckets: a shorter period, or bucket=day"
            )
        return cls(since, until, bucket, zone)

    def edges(self) -> list[datetime]:
        """Ends of the buckets (local hours or midnights), the last one at ``until``."""
        start = self.since.astimezone(self.timezone)
        if self.bucket == "day":
            start = start.replace(hour=0, minute=0, second=0, microsecond=0)
        else:
            start = start.replace(minute=0, second=0, microsecond=0)
        edges: list[datetime] = []
        edge = start
        while True:
            # Wall-clock steps (a 23-hour day exists), normalised through UTC.
            edge = _next(edge, self.bucket, self.timezone)
            if edge >= self.until:
                return [*edges, self.until.astimezone(self.timezone)]
            edges.append(edge)

    def audit(self, caller: Caller, what: str) -> AuditEvent:
        detail = {"since": self.since.isoformat(), "until": self.until.isoformat(),
                  "bucket": self.bucket}  # fmt: skip
        return AuditEvent(f"stats.{what}", detail=detail)


def _next(edge: datetime, bucket: Bucket, zone: ZoneInfo) -> datetime:
    if bucket == "hour":
        return (edge.astimezone(ZoneInfo("UTC")) + _STEP["hour"]).astimezone(zone)
    return (edge.replace(tzinfo=None) + _STEP["day"]).replace(tzinfo=zone)


async def reads(caller: Caller, period: Period) -> ReadStats:
    caller.tenant()
    caller.require(Role.OPERATOR)
    async with caller.session() as session:
        rows = await queries.reads_per_bucket(
            session, period.since, period.until, period.bucket, period.timezone.key
        )
        names = await queries.camera_names(session)
        record(session, caller, period.audit(caller, "reads"))
    series: dict[uuid.UUID | None, list[CountAt]] = {}
    for camera_id, start, count, name_then in rows:
        at = start.astimezone(period.timezone)  # local hours and midnights, offsets shown
        series.setdefault(camera_id, []).append(CountAt(at=at, count=count))
        if camera_id and camera_id not in names and name_then:  # removed since
            names[camera_id] = name_then
    cameras = [
        ReadSeries(
            camera_id=camera_id,
            camera_name=names.get(camera_id, "—") if camera_id else "—",
            total=sum(p.count for p in points),
            points=points,
        )
        for camera_id, points in series.items()
    ]
    cameras.sort(key=lambda s: (-s.total, s.camera_name))
    return ReadStats(
        since=period.since, until=period.until, bucket=period.bucket,
        total=sum(s.total for s in cameras), cameras=cameras,
    )  # fmt: skip


async def alerts(caller: Caller, period: Period) -> AlertStats:
    caller.tenant()
    caller.require(Role.OPERATOR)
    async with caller.session() as session:
        rows = await queries.alerts_by_list(session, period.since, period.until)
        record(session, caller, period.audit(caller, "alerts"))
    groups = [
        AlertGroup(
            watchlist_id=watchlist_id,
            watchlist_name=name or "—",
            priority=priority,
            open=open_,
            acknowledged=acknowledged,
        )
        for watchlist_id, name, priority, open_, acknowledged in rows
    ]
    groups.sort(key=lambda g: (-g.priority, -(g.open + g.acknowledged), g.watchlist_name))
    total = sum(g.open + g.acknowledged for g in groups)
    return AlertStats(since=period.since, until=period.until, total=total, groups=groups)


def _counts(at: datetime, statuses: dict[uuid.UUID, str]) -> StatusCounts:
    tally = Counter(s if s in _STATUSES else "unknown" for s in statuses.values())
    return StatusCounts(at=at, **tally)


async def cameras(caller: Caller, period: Period) -> CameraStats:
    caller.tenant()
    caller.require(Role.OPERATOR)
    async with caller.session() as session:
        now = await queries.enabled_camera_status(session)
        initial, changes = await queries.status_changes(session, period.since, period.until)
        record(session, caller, period.audit(caller, "cameras"))
    points: list[StatusCounts] = []
    # Enabled cameras only; one that never reported a status counts as unknown.
    standing = {camera: initial.get(camera, "unknown") for camera in now}
    pending = iter(changes)
    change = next(pending, None)
    for edge in period.edges():
        while change is not None and change[1] < edge:
            camera_id, _, status = change
            if camera_id in now:
                standing[camera_id] = status
            change = next(pending, None)
        points.append(_counts(edge, standing))
    return CameraStats(
        since=period.since, until=period.until, bucket=period.bucket,
        now=_counts(period.until, now), points=points,
    )  # fmt: skip


def _quantile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def lpr(caller: Caller, runtime: LprRuntime | None, instance: str) -> LprStats:
    """This instance's plate reading for the caller's tenant; nothing is queried."""
    tenant_id = caller.tenant()
    caller.require(Role.ADMIN)
    loads: list[LprCameraLoad] = []
    if runtime is not None and runtime.manager is not None:
        for camera, worker, _ in runtime.manager.workers.values():
            if camera.tenant_id != tenant_id:
                continue
            loads.append(LprCameraLoad(
                camera_id=camera.camera_id, camera_name=camera.name, fps=camera.fps,
                frames=worker.frames, passes=worker.passes,
                dropped=worker.source.dropped if worker.source else 0,
            ))  # fmt: skip
    loads.sort(key=lambda load: load.camera_name)
    engine = runtime.engine if runtime is not None else None
    recent = list(engine.stats.infer_ms) if engine is not None else []
    reader = engine.reader if engine is not None else None
    models = None
    if reader is not None:
        models = LprModels(backend=reader.backend.KEY, device=reader.device,
                           detector=reader.detector_path.name,
                           recognizer=reader.recognizer_model.name)  # fmt: skip
    return LprStats(
        instance=instance, models=models, cameras=loads,
        queue_depth=engine.queue_depth if engine is not None else 0,
        inference_p50_ms=_quantile(recent, 0.5), inference_p95_ms=_quantile(recent, 0.95),
        storage_backlog=len(runtime.spool) if runtime is not None else 0,
    )  # fmt: skip
