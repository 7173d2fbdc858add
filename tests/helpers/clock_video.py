"""Test video: reading the wall-clock barcode that ``rtsp_server.py`` (``RTSP_CLOCK=1``) paints
on frames, and making fMP4 segments like a recorder's."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from fractions import Fraction

import av
import numpy as np

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


def clock_segment(start: datetime, seconds: float, size: tuple[int, int] = (320, 240)) -> bytes:
    """A recorded segment whose frames show their own wall-clock time (10 fps, from ``start``),
    the same barcode as the test camera's, for tests that bypass the camera."""
    width, height = size
    block = width // CLOCK_BITS
    frames = []
    for i in range(round(seconds * 10)):
        value = round(start.timestamp() * 10) + i
        bits = [(value >> (CLOCK_BITS - 1 - b)) & 1 for b in range(CLOCK_BITS)]
        row = np.full(width, 128, np.uint8)
        for b, bit in enumerate(bits):
            row[b * block : (b + 1) * block] = 255 if bit else 0
        frames.append(np.repeat(np.tile(row, (height, 1))[:, :, None], 3, axis=2))
    return _encode(frames, 10, "libx264", crf="10")


def noisy_segment(
    seconds: float, size: tuple[int, int] = (64, 48), fps: int = 10, codec: str = "libx264"
) -> bytes:
    """An fMP4 segment as a recorder writes it, keyframe every second; noise makes it as large
    as real footage of that size."""
    width, height = size
    rng = np.random.default_rng(0)
    count = round(seconds * fps)
    frames = [rng.integers(0, 256, (height, width, 3), dtype=np.uint8) for _ in range(count)]
    return _encode(frames, fps, codec, crf="18")


def _encode(images: list[np.ndarray], fps: int, codec: str, crf: str) -> bytes:
    height, width = images[0].shape[:2]
    out = io.BytesIO()
    with av.open(out, "w", format="mp4", options={"movflags": "frag_keyframe+empty_moov"}) as c:
        stream = c.add_stream(codec, rate=fps)
        assert isinstance(stream, av.VideoStream)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.codec_context.gop_size = fps
        if codec == "libx264":
            stream.codec_context.options = {"bf": "0", "preset": "ultrafast", "crf": crf}
        for i, image in enumerate(images):
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts, frame.time_base = i, Fraction(1, fps)
            for packet in stream.encode(frame):
                c.mux(packet)
        for packet in stream.encode(None):
            c.mux(packet)
    return out.getvalue()
