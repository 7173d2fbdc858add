"""Recording segments on local disk, as MediaMTX (or our own recorder) writes them.

Layout: ``<recordings_dir>/<path name>/<unix seconds>-<microseconds>.mp4``, i.e. MediaMTX's
``recordPath`` ``%path/%s-%f``: the default ``%Y-%m-%d_%H-%M-%S-%f`` is local time with no zone,
which a service in another container would misread. A file whose name does not parse is not
ours and is left alone.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av

from gtvision.services.media.paths import PathName

SUFFIX = ".mp4"
PARTIAL = ".part"  # our recorder's segment in progress; MediaMTX writes the final name at once
_NAME = re.compile(r"^(?P<s>\d{9,11})-(?P<us>\d{6})\.mp4$")
_IDS = uuid.UUID("5b0c7f4e-52b4-4f6e-9a57-6d1f1f0c2a11")  # namespace of recording ids


class BadSegmentError(Exception):
    """The file is not a playable video segment (torn by a crash, empty, another codec)."""


@dataclass(frozen=True, slots=True)
class LocalSegment:
    path: Path
    name: PathName
    started_at: datetime


@dataclass(frozen=True, slots=True)
class SegmentInfo:
    started_at: datetime
    ended_at: datetime
    codec: str
    size: int
    packets: int


def file_name(started_at: datetime) -> str:
    micros = round(started_at.timestamp() * 1_000_000)
    return f"{micros // 1_000_000}-{micros % 1_000_000:06d}{SUFFIX}"


def parse(path: Path) -> LocalSegment | None:
    name = PathName.parse(path.parent.name)
    match = _NAME.match(path.name)
    if name is None or match is None:
        return None
    started = datetime.fromtimestamp(int(match["s"]), UTC) + timedelta(
        microseconds=int(match["us"])
    )
    return LocalSegment(path, name, started)


def scan(root: Path) -> dict[PathName, tuple[list[LocalSegment], list[Path]]]:
    """Per path: its segments, oldest first, and our recorder's partial files."""
    found: dict[PathName, tuple[list[LocalSegment], list[Path]]] = {}
    if not root.is_dir():
        return found
    for directory in root.iterdir():
        name = PathName.parse(directory.name)
        if name is None or not directory.is_dir():
            continue
        segments: list[LocalSegment] = []
        partial: list[Path] = []
        for path in directory.iterdir():
            if path.name.endswith(PARTIAL):
                partial.append(path)
            elif (segment := parse(path)) is not None:
                segments.append(segment)
        segments.sort(key=lambda s: s.started_at)
        found[name] = (segments, partial)
    return found


def probe(path: Path, started_at: datetime) -> SegmentInfo:
    """Read every packet header (no decoding): the true duration, and proof the file plays."""
    try:
        with av.open(str(path)) as container:
            if not container.streams.video:
                raise BadSegmentError("no video stream")
            stream = container.streams.video[0]
            assert stream.time_base is not None
            first: int | None = None
            end = 0
            packets = 0
            for packet in container.demux(stream):
                if packet.pts is None:
                    continue
                first = packet.pts if first is None else min(first, packet.pts)
                end = max(end, packet.pts + (packet.duration or 0))
                packets += 1
            codec = stream.codec_context.name
    except (av.error.FFmpegError, OSError) as exc:
        raise BadSegmentError(str(exc)) from exc
    if first is None:
        raise BadSegmentError("no video packets")
    duration = float((end - first) * stream.time_base)
    return SegmentInfo(
        started_at=started_at,
        ended_at=started_at + timedelta(seconds=duration),
        codec=codec,
        size=path.stat().st_size,
        packets=packets,
    )


def recording_id(camera_id: uuid.UUID, started_at: datetime) -> uuid.UUID:
    """The same segment always gets the same id: indexing it again is a no-op."""
    micros = round(started_at.timestamp() * 1_000_000)
    return uuid.uuid5(_IDS, f"{camera_id}/{micros}")


def object_key(tenant_id: uuid.UUID, camera_id: uuid.UUID, started_at: datetime) -> str:
    day = started_at.astimezone(UTC)
    return f"{tenant_id}/{camera_id}/{day:%Y/%m/%d}/{file_name(started_at)}"
