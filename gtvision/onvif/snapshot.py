"""One JPEG from a camera: its ONVIF snapshot URI, else a frame grabbed from its RTSP stream.

Failures come back as :class:`SnapshotError` with a kind an installer understands
(``unauthorized``, ``unreachable``, ``no_source``, ``bad_reply``), never as a library's error.
"""

from __future__ import annotations

import asyncio
import threading
from fractions import Fraction
from typing import Literal

import av
import httpx

from gtvision.onvif.uris import redacted
from gtvision.streams import StreamError, StreamReader, Tuning

Kind = Literal["unauthorized", "unreachable", "no_source", "bad_reply"]


class SnapshotError(Exception):
    def __init__(self, kind: Kind, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail


def _is_jpeg(data: bytes) -> bool:
    return data[:3] == b"\xff\xd8\xff"


async def http_snapshot(
    uri: str, username: str | None, password: str | None, timeout_s: float = 5.0
) -> bytes:
    """GET the camera's snapshot URI; Digest first (what ONVIF cameras use), then Basic."""
    auths: list[httpx.Auth | None] = [None]
    if username:
        auths = [
            httpx.DigestAuth(username, password or ""),
            httpx.BasicAuth(username, password or ""),
        ]
    async with httpx.AsyncClient(timeout=timeout_s, follow_redirects=True) as client:
        response = None
        for auth in auths:
            try:
                response = await client.get(uri, auth=auth) if auth else await client.get(uri)
            except httpx.HTTPError as exc:
                raise SnapshotError("unreachable", f"{redacted(uri)}: {exc!r}") from exc
            if response.status_code != 401:
                break
    assert response is not None
    if response.status_code == 401:
        raise SnapshotError("unauthorized", f"{redacted(uri)}: the camera refused the credentials")
    if response.status_code != 200 or not _is_jpeg(response.content):
        raise SnapshotError(
            "bad_reply", f"{redacted(uri)}: HTTP {response.status_code}, not a JPEG"
        )
    return response.content


_KINDS: dict[str, Kind] = {"unauthorized": "unauthorized", "unreachable": "unreachable"}


def _grab(uri: str, timeout_s: float) -> bytes:
    """The first picture of the stream (the reader starts at a key frame, so it is whole)."""
    tuning = Tuning(open_timeout_s=timeout_s, read_timeout_s=timeout_s, probe_s=0.5)
    try:
        with StreamReader(uri, tuning) as reader:
            for frame in reader.frames(threading.Event()):
                return _jpeg(frame)
    except StreamError as exc:
        kind = _KINDS.get(exc.kind, "bad_reply")
        raise SnapshotError(kind, f"RTSP: {exc.message}") from exc
    raise SnapshotError("bad_reply", "the stream ended before a picture arrived")


def _jpeg(frame: av.VideoFrame) -> bytes:
    encoder = av.CodecContext.create("mjpeg", "w")
    encoder.width, encoder.height = frame.width, frame.height
    encoder.pix_fmt = "yuvj420p"
    encoder.time_base = Fraction(1, 25)
    packets = [*encoder.encode(frame.reformat(format="yuvj420p")), *encoder.encode(None)]
    return bytes(packets[0])


async def rtsp_snapshot(uri: str, timeout_s: float = 8.0) -> bytes:
    """Decode the first key frame of the stream and encode it as JPEG (off the event loop)."""
    return await asyncio.to_thread(_grab, uri, timeout_s)
