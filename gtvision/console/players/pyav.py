"""RTSP, HLS and files through PyAV (FFmpeg), decoded on a thread of its own per tile.

Streams are read by :mod:`gtvision.streams`, as the service reads them (damaged packets cost a
frame, pictures start at a key frame). Live tiles are tuned for latency, not smoothness: no
input buffering, RTSP over TCP (city networks drop UDP), and HLS from the newest segment rather
than three back, which is what puts other players ~7 s behind live.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from typing import ClassVar

from gtvision.console.players.base import Deliver, Player, PlayerError, register, to_frame
from gtvision.streams import StreamError, StreamReader, Tuning

_OPEN_TIMEOUT_S = 8.0
_READ_TIMEOUT_S = 5.0


class _PyAvPlayer(Player):
    OPTIONS: ClassVar[dict[str, str]] = {}
    LOW_LATENCY: ClassVar[bool] = False  # FFmpeg's no-buffering input options (live tiles)
    PACED: ClassVar[bool] = False  # deliver by timestamps (HLS arrives a segment at a time)

    async def play(self, deliver: Deliver) -> None:
        loop = asyncio.get_running_loop()
        finished: asyncio.Future[None] = loop.create_future()
        stop = threading.Event()

        def settle(error: BaseException | None) -> None:
            if finished.done():
                return
            if error is None:
                finished.set_result(None)
            else:
                finished.set_exception(error)

        def report(error: BaseException | None) -> None:
            # A player cancelled as its loop shuts down (the application quitting) leaves its
            # thread to finish the read in progress: by then nobody waits for the outcome.
            with contextlib.suppress(RuntimeError):  # "Event loop is closed"
                loop.call_soon_threadsafe(settle, error)

        def run() -> None:
            try:
                self._decode(deliver, stop)
            except BaseException as exc:
                report(exc)
            else:
                report(None)

        # A thread per tile, not the default executor: 16 tiles would starve its few workers.
        threading.Thread(target=run, name=f"{self.KEY}-player", daemon=True).start()
        try:
            await finished
        finally:
            stop.set()  # the thread leaves at its next frame or read timeout

    def _decode(self, deliver: Deliver, stop: threading.Event) -> None:
        tuning = Tuning(
            low_latency=self.LOW_LATENCY, open_timeout_s=_OPEN_TIMEOUT_S,
            read_timeout_s=_READ_TIMEOUT_S, headers=self.source.headers or {}, extra=self.OPTIONS,
        )  # fmt: skip
        clock = _PlaybackClock(self.source.rate) if self.PACED else None
        try:
            with StreamReader(self.source.url, tuning) as reader:
                for frame in reader.frames(stop):
                    if clock is not None and stop.wait(clock.wait_s(frame.time)):
                        return
                    deliver(to_frame(frame))
        except StreamError as exc:
            if exc.kind == "unauthorized":
                raise PlayerError("the stream refused our credentials") from exc
            if exc.kind == "ended":
                return  # a file or a clip played to its end; a live tile reconnects
            raise PlayerError(exc.message) from exc


class _PlaybackClock:
    """Maps stream time to wall time from the first frame on, so frames that arrive in a burst
    (a whole HLS segment at once) are shown at their own rate, not as one jump per segment."""

    RESYNC_S = 3.0  # further off than this (a gap, a seek, a stall): start the mapping again

    def __init__(self, rate: float = 1.0) -> None:
        self.rate = rate  # 2.0 shows two seconds of stream per second
        self._origin: tuple[float, float] | None = None  # (wall, stream) time

    def wait_s(self, stream_time: float | None) -> float:
        now = time.monotonic()
        if stream_time is None:
            return 0.0
        if self._origin is None:
            self._origin = (now, stream_time)
        wall, stream = self._origin
        delay = wall + (stream_time - stream) / self.rate - now
        if abs(delay) > self.RESYNC_S:
            self._origin = (now, stream_time)
            return 0.0
        return max(0.0, delay)


@register
class RtspPlayer(_PyAvPlayer):
    KEY = "rtsp"
    LOW_LATENCY = True


@register
class HlsPlayer(_PyAvPlayer):
    KEY = "hls"
    PACED = True
    LOW_LATENCY = True
    OPTIONS: ClassVar[dict[str, str]] = {"live_start_index": "-1"}


@register
class ArchivePlayer(_PyAvPlayer):
    """Recorded footage: the service's playback stream (fragmented MP4 over HTTP), shown at
    its own pace times the chosen speed. A recording's gap is a jump in its timestamps, which
    the clock takes as a resync: the picture waits on the last frame, then goes on."""

    KEY = "archive"
    PACED = True


@register
class FilePlayer(_PyAvPlayer):
    """A video file at its own pace: recorded evidence and the console's self-test."""

    KEY = "file"
    PACED = True
