"""Prometheus metrics of one app instance (own registry, so tests can run several apps)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.pool import QueuePool

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


class ApiMetrics:
    def __init__(
        self,
        database: Callable[[], Database | None],
        camera_counts: Callable[[], dict[str, int] | None] = lambda: None,
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
