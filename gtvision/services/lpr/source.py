"""Frames from a camera for the LPR worker: RTSP decoded by PyAV in a thread, at a set rate.

Only the newest frame waits for the worker (a one-slot mailbox): when inference falls behind,
old frames are dropped and counted rather than queued, so a read is never about the past.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import av
import numpy as np
import numpy.typing as npt

from gtvision.redaction import redacted

_OPEN_TIMEOUT_S = 10.0
_READ_TIMEOUT_S = 10.0


class SourceError(Exception):
    """The camera could not be opened or stopped sending; the message is for the operator."""

    def __init__(self, message: str, status: str = "offline") -> None:
        super().__init__(message)
        self.status = status  # a camera status: offline, or unauthorized


@dataclass(frozen=True, slots=True)
class Frame:
    t: float  # monotonic
    at: datetime
    image: npt.NDArray[np.uint8]  # BGR


def describe(exc: BaseException, url: str) -> str:
    if isinstance(exc, av.error.HTTPUnauthorizedError):
        return "the camera refused the credentials (401)"
    text = str(exc).replace(url, redacted(url))  # FFmpeg quotes the URL, password too
    return f"cannot read the stream: {text}"


def source_error(exc: BaseException, url: str) -> SourceError:
    """What a failure of the camera's stream means to the operator, and the camera's status."""
    status = "unauthorized" if isinstance(exc, av.error.HTTPUnauthorizedError) else "offline"
    return SourceError(describe(exc, url), status)


class FrameSource:
    def __init__(self, url: str, fps: float, on_drop: Callable[[], None] = lambda: None) -> None:
        self.url = url
        self.interval_s = 1.0 / fps
        self.decoded = 0
        self.dropped = 0
        self._on_drop = on_drop

    async def frames(self) -> AsyncIterator[Frame]:
        """Frames at about ``fps`` until the stream fails (:class:`SourceError`)."""
        loop = asyncio.get_running_loop()
        slot: list[Frame | BaseException | None] = [None]
        ready = asyncio.Event()
        stop = threading.Event()

        def deliver(item: Frame | BaseException) -> None:
            if isinstance(slot[0], Frame):
                self.dropped += 1
                self._on_drop()
            slot[0] = item
            ready.set()

        def pump() -> None:
            try:
                self._pump(stop, lambda item: loop.call_soon_threadsafe(deliver, item))
            except BaseException as exc:
                if not stop.is_set():
                    loop.call_soon_threadsafe(deliver, exc)

        thread = threading.Thread(target=pump, name="lpr-source", daemon=True)
        thread.start()
        try:
            while True:
                await ready.wait()
                ready.clear()
                item, slot[0] = slot[0], None
                if isinstance(item, BaseException):
                    raise source_error(item, self.url) from item
                if item is not None:
                    yield item
        finally:
            stop.set()
            await asyncio.to_thread(thread.join, _READ_TIMEOUT_S + 1)

    def _pump(self, stop: threading.Event, emit: Callable[[Frame], object]) -> None:
        options = {"rtsp_transport": "tcp", "fflags": "nobuffer"}
        with av.open(
            self.url, options=options, timeout=(_OPEN_TIMEOUT_S, _READ_TIMEOUT_S)
        ) as container:
            stream = container.streams.video[0]
            stream.thread_type = "AUTO"
            next_t = 0.0
            for frame in container.decode(stream):
                if stop.is_set():
                    return
                self.decoded += 1
                now = time.monotonic()
                if now < next_t:
                    continue
                next_t = max(next_t + self.interval_s, now - self.interval_s)
                image = np.asarray(frame.to_ndarray(format="bgr24"), np.uint8)
                emit(Frame(now, datetime.now(UTC), image))
        raise EOFError("the stream ended")
