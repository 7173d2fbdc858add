"""Prometheus metrics of one app instance (own registry, so tests can run several apps)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.pool import QueuePool

from gtvision.services.background import Supervisor
from gtvision.services.lpr.runtime import LprRuntime
from gtvision.services.recordings.runtime import RecordingRuntime
from gtvision.services.store.db import Database

_LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class _PoolCollector(Collector):
    def __init__(self, database: Callable[[], Database | None]) -> None:
        self._database = database

    def collect(self) -> Iterable[GaugeMetricFamily]:
        db = self._database()
        pool = db.engine.pool if db is not None else None
        if not isinstance(pool, QueuePool):
            return
        size = GaugeMetricFamily("gtv_db_pool_size", "Connections the pool keeps open.")
        size.add_metric([], pool.size())
        used = GaugeMetricFamily("gtv_db_pool_checked_out", "Connections in use.")
        used.add_metric([], pool.checkedout())
        overflow = GaugeMetricFamily("gtv_db_pool_overflow", "Connections above the pool size.")
        overflow.add_metric([], max(0, pool.overflow()))
        yield from (size, used, overflow)


class _CameraCollector(Collector):
    def __init__(self, counts: Callable[[], dict[str, int] | None]) -> None:
        self._counts = counts

    def collect(self) -> Iterable[GaugeMetricFamily]:
        counts = self._counts()
        if counts is None:
            return
        cameras = GaugeMetricFamily(
            "gtv_cameras", "Enabled cameras by stream status (from MediaMTX).", labels=["status"]
        )
        for status, count in sorted(counts.items()):
            cameras.add_metric([status], count)
        yield cameras


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


class _LprCollector(Collector):
    """Plate reading and the durable queue, read from the running LPR parts at scrape time."""

    def __init__(self, lpr: Callable[[], LprRuntime | None]) -> None:
        self._lpr = lpr

    def collect(self) -> Iterable[Metric]:
        lpr = self._lpr()
        if lpr is None:
            return
        writer = lpr.writer.stats
        backlog = GaugeMetricFamily(
            "gtv_storage_backlog", "Plate reads waiting on disk to be stored (database or S3 down)."
        )
        backlog.add_metric([], len(lpr.spool))
        reads = CounterMetricFamily("gtv_lpr_reads", "Plate reads stored (one per vehicle pass).")
        reads.add_metric([], writer.written)
        alerts = CounterMetricFamily("gtv_lpr_alerts", "Watch-list alerts raised.")
        alerts.add_metric([], writer.alerts)
        retries = CounterMetricFamily("gtv_storage_retries", "Failed attempts to store a read.")
        retries.add_metric([], writer.retries)
        yield from (backlog, reads, alerts, retries)
        if lpr.engine is None or lpr.manager is None:
            return
        stats = lpr.engine.stats
        cameras = GaugeMetricFamily("gtv_lpr_cameras", "Cameras this instance reads plates on.")
        cameras.add_metric([], len(lpr.manager.workers))
        frames = CounterMetricFamily("gtv_lpr_frames", "Frames run through plate recognition.")
        frames.add_metric([], stats.frames)
        dropped = CounterMetricFamily(
            "gtv_lpr_frames_dropped", "Frames skipped because inference was behind."
        )
        dropped.add_metric([], stats.dropped)
        depth = GaugeMetricFamily("gtv_lpr_queue_depth", "Frames waiting for inference.")
        depth.add_metric([], lpr.engine.queue_depth)
        restarts = CounterMetricFamily("gtv_lpr_worker_restarts", "Crashed workers restarted.")
        restarts.add_metric([], lpr.manager.restarts)
        yield from (cameras, frames, dropped, depth, restarts)
        infer = GaugeMetricFamily(
            "gtv_lpr_inference_ms",
            "Inference time per batch over the last 1000 batches.",
            labels=["backend", "device", "quantile"],
        )
        recent = list(stats.infer_ms)
        reader = lpr.engine.reader
        if recent and reader is not None:  # declared empty until a model has run
            for q in (0.5, 0.95):
                infer.add_metric([reader.backend.KEY, reader.device, str(q)], _quantile(recent, q))
        yield infer


class _RecordingCollector(Collector):
    def __init__(self, recording: Callable[[], RecordingRuntime | None]) -> None:
        self._recording = recording

    def collect(self) -> Iterable[Metric]:
        recording = self._recording()
        if recording is None:
            return
        stats = recording.archiver.stats
        waiting = GaugeMetricFamily(
            "gtv_recording_backlog", "Finished segments waiting on local disk to be archived."
        )
        waiting.add_metric([], stats.waiting)
        yield waiting
        for name, help_, value in (
            ("gtv_recording_segments", "Segments archived to object storage.", stats.archived),
            ("gtv_recording_bytes", "Bytes of segments archived.", stats.bytes),
            (
                "gtv_recording_dropped",
                "Segments dropped (events mode, nothing near).",
                stats.dropped,
            ),
            ("gtv_recording_bad", "Unreadable segments set aside.", stats.bad),
            ("gtv_recording_errors", "Archive passes that hit an outage.", stats.errors),
            ("gtv_exports", "Clips exported.", recording.exports.made),
        ):
            counter = CounterMetricFamily(name, help_)
            counter.add_metric([], value)
            yield counter
        if recording.recorder is not None:
            recorders = GaugeMetricFamily(
                "gtv_recording_cameras", "Cameras this instance records itself."
            )
            recorders.add_metric([], len(recording.recorder.recorders))
            yield recorders


class _TaskCollector(Collector):
    def __init__(self, supervisor: Callable[[], Supervisor | None]) -> None:
        self._supervisor = supervisor

    def collect(self) -> Iterable[Metric]:
        supervisor = self._supervisor()
        if supervisor is None:
            return
        crashes = CounterMetricFamily(
            "gtv_task_crashes", "Background tasks that crashed and were restarted.", labels=["task"]
        )
        failing = GaugeMetricFamily(
            "gtv_task_failing", "1 while a background task keeps crashing.", labels=["task"]
        )
        down = supervisor.failing()
        for name, health in sorted(supervisor.tasks.items()):
            crashes.add_metric([name], health.crashes)
            failing.add_metric([name], 1 if name in down else 0)
        yield from (crashes, failing)


class ApiMetrics:
    def __init__(
        self,
        database: Callable[[], Database | None],
        camera_counts: Callable[[], dict[str, int] | None] = lambda: None,
        lpr: Callable[[], LprRuntime | None] = lambda: None,
        recording: Callable[[], RecordingRuntime | None] = lambda: None,
        supervisor: Callable[[], Supervisor | None] = lambda: None,
    ) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "gtv_http_requests",
            "HTTP requests by route template, method and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "gtv_http_request_duration_seconds",
            "Time from request to the end of the response body.",
            ["method", "route"],
            buckets=_LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(_PoolCollector(database))
        self.registry.register(_CameraCollector(camera_counts))
        self.registry.register(_LprCollector(lpr))
        self.registry.register(_RecordingCollector(recording))
        self.registry.register(_TaskCollector(supervisor))
