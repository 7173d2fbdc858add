"""Frames from a camera for the LPR worker: its stream read by :mod:`gtvision.streams` on a
thread, at a set rate, reopened by itself for as long as the worker runs.

Only the newest frame waits for the worker (a one-slot mailbox): when inference falls behind,
old frames are dropped and counted rather than queued, so a read is never about the past.
Changes of state (live, or an outage worth reporting) queue in order and are never dropped.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from collections.abc import AsyncGenerator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import numpy.typing as npt

from gtvision.streams import Outage, StreamError, StreamReader, StreamStats, Tuning, follow

_STOP_WAIT_S = 12.0  # the longest a blocked read takes to notice the stop (read timeout + 2)


TUNING = Tuning(probe_s=0.5)  # a reconnect is blindness: the first picture as soon as can be


@dataclass(frozen=True, slots=True)
class Frame:
    t: float  # monotonic
    at: datetime
    image: npt.NDArray[np.uint8]  # BGR


@dataclass(frozen=True, slots=True)
class SourceState:
    """The camera as the reader sees it: ``online``, or ``offline``/``unauthorized`` and why."""

    status: str
    reason: str | None = None


def state_of(error: StreamError | None) -> SourceState:
    return SourceState("online") if error is None else SourceState(error.status, error.message)


class FrameSource:
    def __init__(
        self,
        url: str,
        fps: float,
        on_drop: Callable[[], None] = lambda: None,
        *,
        outage: Outage | None = None,
        tuning: Tuning = TUNING,
    ) -> None:
        self.url = url
        self.tuning = tuning
        self.interval_s = 1.0 / fps
        self.stats = StreamStats()
        self.dropped = 0
        self.outage = outage or Outage()
        self._on_drop = on_drop

    @property
    def decoded(self) -> int:
        return self.stats.frames

    async def frames(self) -> AsyncGenerator[Frame | SourceState, None]:
        """Frames at about ``fps``, and the camera's state when it changes; never ends by
        itself (a crash of the reading thread is raised)."""
        loop = asyncio.get_running_loop()
        slot: list[Frame | None] = [None]
        states: deque[SourceState | BaseException] = deque()
        ready = asyncio.Event()
        stop = threading.Event()

        def deliver(item: Frame | SourceState | BaseException) -> None:
            if isinstance(item, Frame):
                if slot[0] is not None:
                    self.dropped += 1
                    self._on_drop()
                slot[0] = item
            else:
                states.append(item)
            ready.set()

        def send(item: Frame | SourceState | BaseException) -> None:
            loop.call_soon_threadsafe(deliver, item)

        def pump() -> None:
            try:
                follow(self.url, lambda reader: self._pace(reader, stop, send), stop,
                       tuning=self.tuning, outage=self.outage, stats=self.stats,
                       on_state=lambda error: send(state_of(error)))  # fmt: skip
            except BaseException as exc:
                if not stop.is_set():
                    send(exc)

        thread = threading.Thread(target=pump, name="lpr-source", daemon=True)
        thread.start()
        try:
            while True:
                await ready.wait()
                ready.clear()
                while states:
                    state = states.popleft()
                    if isinstance(state, BaseException):
                        raise state
                    yield state
                frame, slot[0] = slot[0], None
                if frame is not None:
                    yield frame
        finally:
            stop.set()
            await asyncio.to_thread(thread.join, _STOP_WAIT_S)

    def _pace(
        self, reader: StreamReader, stop: threading.Event, send: Callable[[Frame], None]
    ) -> None:
        next_t = 0.0
        for frame in reader.frames(stop):
            now = time.monotonic()
            if now < next_t:
                continue
            next_t = max(next_t + self.interval_s, now - self.interval_s)
            image = np.asarray(frame.to_ndarray(format="bgr24"), np.uint8)
            send(Frame(now, datetime.now(UTC), image))
