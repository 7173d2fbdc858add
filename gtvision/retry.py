"""One retry helper for everything that can flake: databases, cameras, MediaMTX, storage."""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)
# Jitter from a generator of its own: background retries on other threads never disturb the
# process-wide ``random`` state (which Hypothesis, for one, checks has not moved under it).
_jitter = random.Random()  # noqa: S311 - spreading retries, not cryptography


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff with full jitter, capped, within an overall deadline."""

    initial_s: float = 0.2
    max_s: float = 5.0
    deadline_s: float = 30.0

    def delay(self, attempt: int) -> float:
        return _jitter.uniform(0, min(self.max_s, self.initial_s * 2**attempt))


async def retry(
    operation: Callable[[], Awaitable[T]],
    *,
    retry_on: tuple[type[BaseException], ...],
    backoff: Backoff = Backoff(),
    what: str = "operation",
) -> T:
    """Run ``operation`` until it succeeds, re-raising the last error past the deadline."""
    started = time.monotonic()
    attempt = 0
    while True:
        try:
            return await operation()
        except retry_on as exc:
            elapsed = time.monotonic() - started
            delay = backoff.delay(attempt)
            if elapsed + delay > backoff.deadline_s:
                raise
            log.warning("%s failed (%s), retrying in %.1f s", what, type(exc).__name__, delay)
            await asyncio.sleep(delay)
            attempt += 1
