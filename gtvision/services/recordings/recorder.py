"""The service's own recorder, for installations without MediaMTX: RTSP copied into fMP4 segments.

Packets are copied, never decoded or re-encoded (one camera costs a few percent of a core).
A segment starts on a keyframe once ``segment_s`` has passed, so every segment plays on its own.
It is written as ``….mp4.part`` and renamed when closed, so the archiver never uploads a file
being written; fragments are flushed every second, so a crash loses at most the last one.
Where MediaMTX runs, it records instead (see :func:`gtvision.services.media.paths.desired_paths`)
into the same layout, and this module is not used.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import av

from gtvision.redaction import redacted
from gtvision.services.recordings.segments import PARTIAL, file_name
from gtvision.streams import Outage, StreamError, StreamReader, StreamStats, Tuning, follow

log = logging.getLogger(__name__)

TUNING = Tuning(probe_s=0.5, complete=True)  # the file header needs every stream parameter
FMP4 = {"movflags": "frag_keyframe+empty_moov+default_base_moof", "frag_duration": "1000000"}


class SegmentWriter:
    """One segment file: packets in, timestamps rebased to start at zero.

    Its start time is settled when it closes: packets arrive late in bursts (at connection,
    after a network stall), so each packet's arrival minus its stream time over-estimates the
    clock offset, and the smallest over the segment is the closest to the truth.
    """

    def __init__(self, directory: Path, template: Any) -> None:
        self.directory = directory
        self.partial = directory / (file_name(datetime.now(UTC)) + PARTIAL)
        self.started = time.monotonic()
        self._out = av.open(str(self.partial), "w", format="mp4", options=FMP4)
        self._stream = self._out.add_stream_from_template(template)
        self._offset: int | None = None
        self._first_s = 0.0
        self._clock_offset_s = float("inf")
        self._last_dts = -1

    def write(self, packet: av.Packet[Any]) -> None:
        assert packet.dts is not None
        assert packet.time_base is not None
        stream_s = float(packet.dts * packet.time_base)
        self._clock_offset_s = min(self._clock_offset_s, time.time() - stream_s)
        if self._offset is None:
            self._offset = packet.dts
            self._first_s = stream_s
        dts = packet.dts - self._offset
        pts = (packet.pts if packet.pts is not None else packet.dts) - self._offset
        if dts <= self._last_dts:  # cameras do repeat timestamps; the muxer refuses them
            pts += self._last_dts + 1 - dts
            dts = self._last_dts + 1
        self._last_dts = dts
        packet.dts, packet.pts = dts, pts
        packet.stream = self._stream
        self._out.mux(packet)

    def close(self) -> Path:
        self._out.close()
        started = datetime.fromtimestamp(self._first_s + self._clock_offset_s, UTC)
        final = self.directory / file_name(started)
        self.partial.replace(final)
        return final


class Recorder:
    """Records one camera until :meth:`stop`, reopening its stream whenever it ends or fails
    (see :func:`gtvision.streams.follow`); each connection's packets go to segments of their
    own, since a new session starts its timestamps again."""

    def __init__(
        self,
        url: str,
        directory: Path,
        segment_s: float,
        outage: Outage | None = None,
        tuning: Tuning = TUNING,
    ) -> None:
        self.url = url
        self.tuning = tuning
        self.directory = directory
        self.segment_s = segment_s
        self.segments = 0
        self.stats = StreamStats()
        self.outage = outage or Outage()
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        """Blocking, until :meth:`stop`; run it in a thread. Only a failure that is not the
        camera's (a full disk) is raised."""
        self.directory.mkdir(parents=True, exist_ok=True)
        follow(self.url, self._record, self._stop, tuning=self.tuning, outage=self.outage,
               stats=self.stats,
               on_state=self._on_state)  # fmt: skip

    def _on_state(self, error: StreamError | None) -> None:
        if error is not None:
            log.warning("recording %s: %s", redacted(self.url), error)

    def _record(self, reader: StreamReader) -> None:
        writer: SegmentWriter | None = None
        try:
            for packet in reader.packets(self._stop):
                if writer is None or (
                    packet.is_keyframe and time.monotonic() - writer.started >= self.segment_s
                ):
                    if writer is not None:
                        writer.close()
                        self.segments += 1
                    writer = SegmentWriter(self.directory, reader.video)
                writer.write(packet)
        finally:
            if writer is not None:
                try:
                    writer.close()
                    self.segments += 1
                except (av.error.FFmpegError, OSError):
                    log.exception("closing segment of %s", redacted(self.url))
