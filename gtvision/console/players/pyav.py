"""RTSP, HLS and files through PyAV (FFmpeg), decoded on a thread of its own per tile.

FFmpeg is tuned for live viewing, not for smoothness: no input buffering, RTSP over TCP (city
networks drop UDP), and HLS from the newest segment rather than three back, which is what puts
other players ~7 s behind live.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import ClassVar

import av
import av.error

from gtvision.console.players.base import Deliver, Player, PlayerError, register, to_frame
from gtvision.redaction import redacted

_OPEN_TIMEOUT_S = 8.0
_READ_TIMEOUT_S = 5.0
_MAX_UNDECODABLE = 250  # packets in a row: ~10 s of video at 25 fps


class _PyAvPlayer(Player):
    OPTIONS: ClassVar[dict[str, str]] = {}
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

        def run() -> None:
            try:
                self._decode(deliver, stop)
            except BaseException as exc:
                loop.call_soon_threadsafe(settle, exc)
            else:
                loop.call_soon_threadsafe(settle, None)

        # A thread per tile, not the default executor: 16 tiles would starve its few workers.
        threading.Thread(target=run, name=f"{self.KEY}-player", daemon=True).start()
        try:
            await finished
        finally:
            stop.set()  # the thread leaves at its next frame or read timeout

    def _decode(self, deliver: Deliver, stop: threading.Event) -> None:
        options = dict(self.OPTIONS)
        if self.source.headers:
            options["headers"] = "".join(f"{k}: {v}\r\n" for k, v in self.source.headers.items())
        try:
            container = av.open(
                self.source.url, options=options, timeout=(_OPEN_TIMEOUT_S, _READ_TIMEOUT_S)
            )
        except av.error.HTTPUnauthorizedError as exc:
            raise PlayerError("the stream refused our credentials") from exc
        except (av.error.FFmpegError, OSError) as exc:
            raise PlayerError(f"cannot open {redacted(self.source.url)}: {exc}") from exc
        with container:
            if not container.streams.video:
                raise PlayerError(f"{redacted(self.source.url)} has no video")
            stream = container.streams.video[0]
            stream.thread_type = "SLICE"  # frame threading would add a frame of delay per thread
            undecodable = 0
            clock = _PlaybackClock(self.source.rate) if self.PACED else None
            try:
                for packet in container.demux(stream):
                    if stop.is_set():
                        return
                    try:
                        frames = packet.decode()
                    except av.error.InvalidDataError:
                        # A damaged packet (or one before the first key frame) costs a frame,
                        # not the stream; only a stream of nothing but damage is given up on.
                        undecodable += 1
                        if undecodable > _MAX_UNDECODABLE:
                            raise PlayerError("the stream sends nothing decodable") from None
                        continue
                    undecodable = 0
                    for frame in frames:
                        if clock is not None and stop.wait(clock.wait_s(frame.time)):
                            return
                        deliver(to_frame(frame))
            except (av.error.FFmpegError, OSError) as exc:
                raise PlayerError(f"the stream broke: {exc}") from exc


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
    OPTIONS: ClassVar[dict[str, str]] = {
        "rtsp_transport": "tcp",
        "fflags": "nobuffer",
        "flags": "low_delay",
        "max_delay": "500000",
        "probesize": "65536",
        "analyzeduration": "500000",
    }


@register
class HlsPlayer(_PyAvPlayer):
    KEY = "hls"
    PACED = True
    OPTIONS: ClassVar[dict[str, str]] = {
        "live_start_index": "-1",
        "fflags": "nobuffer",
        "flags": "low_delay",
    }


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
