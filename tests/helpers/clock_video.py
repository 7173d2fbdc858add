"""Reading the wall-clock barcode that ``rtsp_server.py`` (``RTSP_CLOCK=1``) paints on frames."""

from __future__ import annotations

from datetime import UTC, datetime

import av

CLOCK_BITS = 40  # as in tests/helpers/rtsp_server.py


def read_clock(frame: av.VideoFrame) -> datetime:
    """When the frame was made, to a tenth of a second."""
    gray = frame.to_ndarray(format="gray")
    height, width = gray.shape
    block = width // CLOCK_BITS
    row = gray[height // 4 : 3 * height // 4].mean(axis=0)
    bits = [int(row[i * block + block // 2] > 128) for i in range(CLOCK_BITS)]
    value = int("".join(map(str, bits)), 2)
    return datetime.fromtimestamp(value / 10, UTC)


def clock_times(source: str | object, limit: int = 1_000_000) -> list[datetime]:
    """The clock of every decoded frame of a file, URL or file-like object."""
    times: list[datetime] = []
    with av.open(source, "r") as container:
        for frame in container.decode(video=0):
            times.append(read_clock(frame))
            if len(times) >= limit:
                break
    return times
