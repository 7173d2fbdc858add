"""A sliding-window request counter, pure and clock-injected so tests need no sleeping.

It is per process: with several service instances behind HAProxy, each allows the configured
rate, and HAProxy's own stick-table limits cap the total (see packaging/).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field


@dataclass(slots=True)
class _Window:
    start: float
    current: int = 0
    previous: int = 0


@dataclass(slots=True)
class SlidingWindowLimiter:
    """At most ``limit`` hits per ``period`` seconds per key (two-bucket sliding estimate)."""

    limit: int
    period: float = 60.0
    max_keys: int = 100_000
    _windows: dict[str, _Window] = field(default_factory=dict)

    def hit(self, key: str, now: float) -> float | None:
        """Count one request; ``None`` if allowed, else seconds until one would be."""
        start = now - (now % self.period)
        window = self._windows.get(key)
        if window is None:
            if len(self._windows) >= self.max_keys:
                self._evict(start)
            window = self._windows[key] = _Window(start=start)
        elif window.start != start:
            elapsed_windows = (start - window.start) / self.period
            window.previous = window.current if elapsed_windows == 1 else 0
            window.current = 0
            window.start = start
        weight = 1.0 - (now - start) / self.period
        estimate = window.previous * weight + window.current
        if estimate + 1 > self.limit:
            return self._retry_after(window, now, start)
        window.current += 1
        return None

    def _retry_after(self, window: _Window, now: float, start: float) -> float:
        if window.current + 1 > self.limit or window.previous == 0:
            return max(1.0, start + self.period - now)
        # The previous window's share shrinks linearly: wait until it has shrunk enough.
        needed = window.previous + window.current + 1 - self.limit
        wait = needed / window.previous * self.period - (now - start)
        return float(max(1, math.ceil(wait)))

    def _evict(self, start: float) -> None:
        stale = [key for key, w in self._windows.items() if w.start < start - self.period]
        for key in stale or list(self._windows)[: self.max_keys // 10]:
            del self._windows[key]
