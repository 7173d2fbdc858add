"""Every long-running task of the service, supervised: nothing in the background dies silently.

A task that crashes is logged with its name, counted, and started again with backoff; one that
keeps crashing is named by ``/readyz`` (503) until it has run for ``healthy_after_s`` again.
Failures that belong to one camera are that camera's (its ``camera.status``), handled inside
the task; what reaches the supervisor is a bug or an outage the task did not expect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from gtvision.retry import Backoff

log = logging.getLogger(__name__)

Work = Callable[[], Coroutine[Any, Any, None]]


@dataclass(slots=True)
class TaskHealth:
    name: str
    crashes: int = 0  # since the service started
    in_a_row: int = 0  # crashes without a healthy run between them
    last_error: str | None = None
    running_since: float | None = None  # monotonic; None while waiting to be restarted


def stop_if_cancelled() -> None:
    """Raise ``CancelledError`` if this task was asked to stop.

    On Python 3.11 ``asyncio.wait_for`` (inside asyncpg and others) may turn a cancellation
    that arrives as its timeout fires into ``TimeoutError`` — an ``OSError``, which a retry
    loop then shrugs off, and the task never stops: a service's shutdown hung on exactly that.
    The request stays counted in ``Task.cancelling()``, so loops check it as they go round.
    """
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


async def woken_or_after(event: asyncio.Event, timeout_s: float) -> bool:
    """Wait for ``event`` at most ``timeout_s``; True if it was set. Where retry loops wait
    between rounds, so it is also where a swallowed cancellation is honoured
    (:func:`stop_if_cancelled`); ``asyncio.timeout``, unlike ``wait_for``, keeps its own
    timeout apart from a cancellation."""
    stop_if_cancelled()
    try:
        async with asyncio.timeout(timeout_s):
            await event.wait()
    except TimeoutError:
        return False
    return True


class Supervisor:
    def __init__(
        self,
        backoff: Backoff = Backoff(initial_s=1.0, max_s=60.0, deadline_s=math.inf),
        *,
        failing_after: int = 3,
        healthy_after_s: float = 60.0,
    ) -> None:
        self.backoff = backoff
        self.failing_after = failing_after
        self.healthy_after_s = healthy_after_s
        self.tasks: dict[str, TaskHealth] = {}

    @contextlib.asynccontextmanager
    async def running(self, name: str, work: Work) -> AsyncIterator[asyncio.Task[None]]:
        """``work()`` supervised for as long as the block; cancelled and awaited on exit."""
        task = asyncio.create_task(self.keep(name, work), name=name)
        try:
            yield task
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def keep(self, name: str, work: Work) -> None:
        """Run ``work()`` until it returns, starting it again whenever it raises."""
        health = self.tasks.setdefault(name, TaskHealth(name))
        attempt = 0
        while True:
            health.running_since = started = time.monotonic()
            try:
                await work()
                return
            except Exception as exc:
                stop_if_cancelled()  # a cancellation a library turned into an error: stop
                healthy = time.monotonic() - started >= self.healthy_after_s
                attempt = 0 if healthy else attempt
                health.in_a_row = 1 if healthy else health.in_a_row + 1
                health.crashes += 1
                health.last_error = f"{type(exc).__name__}: {exc}"
                health.running_since = None
                delay = self.backoff.delay(attempt)
                log.exception("background task %s crashed; starting it again in %.1f s",
                              name, delay)  # fmt: skip
            await asyncio.sleep(delay)
            attempt += 1

    def failing(self) -> dict[str, str]:
        """Tasks that keep crashing, with their last error: what ``/readyz`` names."""
        now = time.monotonic()
        return {
            h.name: h.last_error or "crashed"
            for h in self.tasks.values()
            if h.in_a_row >= self.failing_after
            and (h.running_since is None or now - h.running_since < self.healthy_after_s)
        }
