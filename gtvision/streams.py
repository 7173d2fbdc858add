"""One way to read a camera's stream, shared by every consumer: the LPR source, the built-in
recorder, the snapshot grabber and the console's PyAV players.

Real cameras send damage: slices lost at a scene change, a stream joined mid-GOP, parameter
sets only in the SDP. So packets are demuxed and decoded one at a time, and a packet that does
not decode costs a frame, not the stream (counted; only a long run of nothing decodable gives
up). Nothing is handed on before the first key frame of a connection. Sessions end too — some
cameras drop every RTSP session after a minute —, so :func:`follow` reopens a stream that ended
at once, and :class:`Outage` says when an interruption is long enough to report (a blip under
``blip_s`` is not an outage). FFmpeg keeps the RTSP session alive itself (``GET_PARAMETER`` or
``OPTIONS`` every half session timeout).

Errors come out as :class:`StreamError` with a kind an installer understands and a message
that never carries the camera's password. Everything here blocks: run it on a thread.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any, Literal

import av
import av.error

from gtvision.redaction import redacted
from gtvision.retry import Backoff

log = logging.getLogger(__name__)

Kind = Literal["unauthorized", "unreachable", "no_video", "undecodable", "ended", "broken"]

_LOW_LATENCY = {
    "fflags": "nobuffer",
    "flags": "low_delay",
    "max_delay": "500000",
    "probesize": "65536",
    "analyzeduration": "500000",
}


class StreamError(Exception):
    """Why a stream could not be read; the message is for the operator, without secrets."""

    def __init__(self, kind: Kind, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    @property
    def status(self) -> Literal["unauthorized", "offline"]:
        """The camera status this means."""
        return "unauthorized" if self.kind == "unauthorized" else "offline"


@dataclass(frozen=True, slots=True)
class Tuning:
    """How one consumer opens streams. Low-latency input options only where they were measured
    to help (a live tile); they make FFmpeg give up on streams whose parameters come late."""

    transport: Literal["tcp", "udp"] = "tcp"  # city networks drop UDP: TCP unless asked
    low_latency: bool = False
    # How much of the stream FFmpeg studies before the first packet; None: FFmpeg's own (up to
    # 5 s, ~3 s on a 10 fps camera). 0.5 s puts the first picture of a reconnect ~1.7 s
    # sooner (bench/streams.py).
    probe_s: float | None = None
    # A consumer that copies the stream (a recorder) needs its every parameter (picture size)
    # for the file header; where a short probe did not find them (parameter sets only with
    # key frames, none within the probe), the stream is opened again with FFmpeg's full probe.
    complete: bool = False
    open_timeout_s: float = 10.0
    read_timeout_s: float = 10.0
    max_undecodable: int = 250  # packets in a row: ~10 s of video at 25 fps
    headers: Mapping[str, str] = field(default_factory=dict)
    extra: Mapping[str, str] = field(default_factory=dict)  # FFmpeg options of one protocol

    def options(self, url: str) -> dict[str, str]:
        options = dict(_LOW_LATENCY) if self.low_latency else {}
        if self.probe_s is not None:
            options["analyzeduration"] = str(round(self.probe_s * 1_000_000))
        if url.lower().startswith(("rtsp://", "rtsps://")):
            options["rtsp_transport"] = self.transport
        if self.headers:
            options["headers"] = "".join(f"{k}: {v}\r\n" for k, v in self.headers.items())
        return options | dict(self.extra)


@dataclass(slots=True)
class StreamStats:
    """Counters over every connection of one consumer, for status and metrics."""

    attempts: int = 0  # opens tried
    connections: int = 0  # opens that worked
    packets: int = 0
    frames: int = 0
    damaged: int = 0  # packets that did not decode
    before_key: int = 0  # packets dropped while waiting for the first key frame
    reopened: int = 0  # sessions that ended and were reopened at once


def _error(exc: BaseException, url: str, when: Literal["open", "read"]) -> StreamError:
    if isinstance(exc, av.error.HTTPUnauthorizedError):
        return StreamError("unauthorized", "the camera refused the credentials (401)")
    text = str(exc).replace(url, redacted(url))  # FFmpeg quotes the URL, password included
    if when == "open":
        return StreamError("unreachable", f"cannot open the stream: {text}")
    return StreamError("broken", f"the stream broke: {text}")


class StreamReader:
    """One connection to one stream; use as a context manager (opening it may raise)."""

    def __init__(
        self,
        url: str,
        tuning: Tuning = Tuning(),
        stats: StreamStats | None = None,
        on_live: Callable[[], None] = lambda: None,
    ) -> None:
        self.url = url
        self.tuning = tuning
        self.stats = stats if stats is not None else StreamStats()
        self._on_live = on_live  # called once, when the first usable packet arrives
        self._container: Any = None

    def __enter__(self) -> StreamReader:
        self._container = self._open(self.tuning)
        if (
            self.tuning.complete
            and self.tuning.probe_s is not None
            and not self.video.codec_context.width
        ):
            self._container.close()
            self._container = self._open(replace(self.tuning, probe_s=None))
        return self

    def _open(self, tuning: Tuning) -> Any:
        timeout = (tuning.open_timeout_s, tuning.read_timeout_s)
        self.stats.attempts += 1
        try:
            container = av.open(self.url, options=tuning.options(self.url), timeout=timeout)
        except (av.error.FFmpegError, OSError) as exc:
            raise _error(exc, self.url, "open") from exc
        self.stats.connections += 1
        if not container.streams.video:
            container.close()
            raise StreamError("no_video", f"{redacted(self.url)} has no video track")
        return container

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._container.close()

    @property
    def video(self) -> Any:
        """The video stream (its codec context decodes; a recorder copies it as a template)."""
        return self._container.streams.video[0]

    def packets(self, stop: threading.Event) -> Iterator[av.Packet[Any]]:
        """Video packets from the first key frame on; raises ``ended`` when the server ends
        the stream. A camera that never marks a key frame (intra refresh) is let through after
        ``max_undecodable`` packets rather than refused."""
        waiting, skipped = True, 0
        try:
            for packet in self._container.demux(self.video):
                if stop.is_set():
                    return
                if packet.dts is None or packet.size == 0:
                    continue  # FFmpeg's end-of-stream flush packet, or nothing
                if waiting:
                    if not packet.is_keyframe and skipped < self.tuning.max_undecodable:
                        skipped += 1
                        self.stats.before_key += 1
                        continue
                    waiting = False
                    self._on_live()
                self.stats.packets += 1
                yield packet
        except (av.error.FFmpegError, OSError) as exc:
            raise _error(exc, self.url, "read") from exc
        raise StreamError("ended", "the camera ended the stream")

    def frames(self, stop: threading.Event) -> Iterator[av.VideoFrame]:
        """Decoded pictures; a packet that does not decode is counted and skipped."""
        stream = self.video
        stream.thread_type = "SLICE"  # frame threads would add a frame of delay each
        run = 0
        for packet in self.packets(stop):
            try:
                decoded = packet.decode()
            except av.error.FFmpegError:  # whatever one packet's decoding says: that packet
                self.stats.damaged += 1
                run += 1
                if run > self.tuning.max_undecodable:
                    raise StreamError(
                        "undecodable", f"the camera sent {run} packets in a row that do not decode"
                    ) from None
                continue
            run = 0
            for frame in decoded:
                self.stats.frames += 1
                yield frame


class Outage:
    """When to reopen a stream that stopped, and whether that is worth reporting yet.

    A session that ended after it delivered is reopened at once; an interruption is reported
    only once it has lasted ``blip_s`` (credentials refused: at once), and from then on the
    stream is retried with backoff.
    """

    def __init__(self, blip_s: float = 5.0, backoff: Backoff | None = None) -> None:
        self.blip_s = blip_s
        self.backoff = backoff or Backoff(initial_s=1.0, max_s=30.0, deadline_s=math.inf)
        self._since: float | None = None
        self._attempt = 0
        self._was_live = False
        self._told: str | None = None

    @property
    def reported(self) -> bool:
        """An outage has been told since the stream was last live."""
        return self._told is not None

    def live(self) -> None:
        self._since, self._attempt, self._was_live = None, 0, True
        self._told = None

    def down(self, error: StreamError) -> tuple[float, bool]:
        """(seconds to wait before reopening, whether to report ``error`` now)."""
        now = time.monotonic()
        if self._since is None:
            self._since = now
        elapsed = now - self._since
        first_after_live, self._was_live = self._was_live, False
        if error.kind == "unauthorized":
            report = True
        elif first_after_live:
            return 0.0, False
        else:
            report = elapsed >= self.blip_s
        delay = self.backoff.delay(self._attempt)
        self._attempt += 1
        if not report:
            delay = min(delay, self.blip_s - elapsed)  # report on time if it is not a blip
        report = report and error.message != self._told  # once per reason, not per retry
        if report:
            self._told = error.message
        return delay, report


def follow(
    url: str,
    consume: Callable[[StreamReader], None],
    stop: threading.Event,
    *,
    tuning: Tuning = Tuning(),
    outage: Outage | None = None,
    stats: StreamStats | None = None,
    on_state: Callable[[StreamError | None], None] = lambda error: None,
) -> None:
    """Read ``url`` until ``stop``: ``consume(reader)`` for each connection, reopening after
    every end or failure as :class:`Outage` says. ``on_state(None)`` when the stream is live
    (first time, and after a reported outage), ``on_state(error)`` when an outage is reported.
    ``consume`` may raise :class:`StreamError`; anything else ends :func:`follow`."""
    outage = outage or Outage()
    stats = stats if stats is not None else StreamStats()
    announced: list[bool] = [False]

    def live() -> None:
        was_reported = outage.reported
        outage.live()
        if was_reported or not announced[0]:
            announced[0] = True
            on_state(None)

    while not stop.is_set():
        try:
            with StreamReader(url, tuning, stats, live) as reader:
                consume(reader)
            if stop.is_set():
                return
            raise StreamError("ended", "the camera ended the stream")
        except StreamError as exc:
            if stop.is_set():
                return
            delay, report = outage.down(exc)
            if delay == 0.0:
                stats.reopened += 1
                log.info("%s: %s; reopening", redacted(url), exc)
            if report:
                on_state(exc)
            stop.wait(delay)
