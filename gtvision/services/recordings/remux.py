"""Archived segments → one MP4 over a time range, packets copied (never re-encoded).

Used for playback (fragmented MP4 streamed as it is made, like MediaMTX's playback server) and
for exported clips (a plain MP4 with its index in front). The clip starts on the last keyframe
at or before the requested start, so its first frame decodes; each packet keeps its wall-clock
position, so a gap in the recording stays a gap in time rather than being squeezed out. The
wall-clock time of the first frame is written in the file (``creation_time``, to the second, and
``comment`` as ``recorded-from=<ISO 8601>``, to the microsecond), so a player can label every
frame with the time it was recorded.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from fractions import Fraction
from typing import Any

import av

from gtvision.services.recordings.recorder import FMP4

_OUT_TIME_BASE = Fraction(1, 90_000)
RECORDED_FROM = "recorded-from="


class ClipError(Exception):
    """Nothing to put in the clip (no frames in the range)."""


class ClipMuxer:
    """Feed segments oldest first with :meth:`add`; stops taking packets after ``end``."""

    def __init__(self, target: Any, start: datetime, end: datetime, *, fragmented: bool) -> None:
        self.target = target
        self.start, self.end = start, end
        self.fragmented = fragmented
        self.first_at: datetime | None = None
        self.packets = 0
        self.done = False
        self._out: Any = None
        self._stream: Any = None
        self._codec: str | None = None
        self._gop: list[tuple[datetime, av.Packet[Any], Fraction]] = []
        self._last_dts = -1

    def add(self, started_at: datetime, data: bytes) -> None:
        if self.done:
            return
        with av.open(io.BytesIO(data), "r") as container:
            stream = container.streams.video[0]
            if self._codec is not None and stream.codec_context.name != self._codec:
                self.done = True  # the camera changed codec: the clip ends where it did
                return
            time_base = stream.time_base
            assert time_base is not None
            origin: int | None = None
            for packet in container.demux(stream):
                if packet.dts is None or packet.size == 0:
                    continue
                origin = packet.dts if origin is None else origin
                at = started_at + timedelta(seconds=float((packet.dts - origin) * time_base))
                if at >= self.end:
                    self.done = True
                    return
                if self._out is None:
                    self._before_start(stream, at, packet, time_base)
                else:
                    self._mux(at, packet, time_base)

    def _before_start(
        self, stream: Any, at: datetime, packet: av.Packet[Any], time_base: Fraction
    ) -> None:
        """Keep the group of pictures in progress until the start is reached."""
        if packet.is_keyframe:
            self._gop = []
        if not self._gop and not packet.is_keyframe:
            return  # cannot decode without the keyframe before it
        self._gop.append((at, packet, time_base))
        if at < self.start:
            return
        self._open(stream, self._gop[0][0])
        for gop_at, gop_packet, gop_base in self._gop:
            self._mux(gop_at, gop_packet, gop_base)
        self._gop = []

    def _open(self, template: Any, first_at: datetime) -> None:
        self.first_at = first_at
        self._codec = template.codec_context.name
        options = FMP4 if self.fragmented else {"movflags": "+faststart"}
        self._out = av.open(self.target, "w", format="mp4", options=options)
        self._out.metadata["creation_time"] = first_at.isoformat()
        self._out.metadata["comment"] = f"{RECORDED_FROM}{first_at.isoformat()}"
        self._stream = self._out.add_stream_from_template(template)
        self._stream.time_base = _OUT_TIME_BASE

    def _mux(self, at: datetime, packet: av.Packet[Any], time_base: Fraction) -> None:
        assert self.first_at is not None
        assert packet.dts is not None
        dts = round((at - self.first_at).total_seconds() / _OUT_TIME_BASE)
        delay = (packet.pts - packet.dts) if packet.pts is not None else 0
        pts = dts + round(delay * time_base / _OUT_TIME_BASE)
        if dts <= self._last_dts:
            pts += self._last_dts + 1 - dts
            dts = self._last_dts + 1
        self._last_dts = dts
        packet.dts, packet.pts = dts, pts
        packet.duration = 0
        packet.time_base = _OUT_TIME_BASE
        packet.stream = self._stream
        self._out.mux(packet)
        self.packets += 1

    def close(self) -> datetime:
        """Finish the file; the wall-clock time of its first frame."""
        if self._out is None or self.first_at is None:
            raise ClipError("no recorded frames in that range")
        self._out.close()
        return self.first_at
