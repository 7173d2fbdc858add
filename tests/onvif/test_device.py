"""The ONVIF boundary against a real virtual camera (ipycam) in its own network namespace."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from gtvision.onvif.device import OnvifDevice, describe, parse_address
from gtvision.onvif.errors import (
    CameraUnreachableError,
    ClockSkewError,
    NotOnvifError,
    WrongCredentialsError,
)
from gtvision.onvif.models import PtzCapabilities
from tests.helpers.media_peers import VirtualCamera, free_port


@pytest.fixture(scope="module")
def camera() -> Iterator[VirtualCamera]:
    with VirtualCamera(password="cam-secret", name="Av. Brasil 1200") as cam:
        yield cam


def test_parse_address() -> None:
    assert parse_address("198.18.0.2") == ("198.18.0.2", 80)
    assert parse_address("cam.local:8080") == ("cam.local", 8080)
    assert parse_address("http://[::1]:81/onvif/device_service") == ("::1", 81)
    with pytest.raises(ValueError, match="not a camera address"):
        parse_address("http://")


def test_describe_gives_device_profiles_and_uris(camera: VirtualCamera) -> None:
    found = asyncio.run(describe(camera.address, "admin", "cam-secret"))
    assert found.device.manufacturer == "GT-Vision Labs"
    assert found.device.model == "Virtual-ONVIF"
    assert found.main is not None
    assert found.sub is not None
    assert (found.main.width, found.main.height) == (640, 360)
    assert (found.sub.width, found.sub.height) == (320, 180)
    assert found.main.codec == "H264"
    assert found.main.stream_uri == f"rtsp://{camera.netns.ip}:8554/video_main"
    assert found.sub.stream_uri == f"rtsp://{camera.netns.ip}:8554/video_sub"
    assert found.snapshot_uri == f"http://{camera.netns.ip}:8080/snapshot.jpg"
    assert abs(found.clock_offset_s) < 5  # same machine, same clock


def test_errors_say_what_went_wrong(camera: VirtualCamera) -> None:
    with pytest.raises(WrongCredentialsError) as wrong:
        asyncio.run(describe(camera.address, "admin", "not-it"))
    assert wrong.value.address == camera.address
    with pytest.raises(CameraUnreachableError):
        asyncio.run(describe(f"127.0.0.1:{free_port()}", "admin", "x"))

    class NotACamera(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self._page()

        def do_POST(self) -> None:
            self._page()

        def _page(self) -> None:
            body = b"<html><body>router admin page</body></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), NotACamera)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with pytest.raises(NotOnvifError):
            asyncio.run(describe(f"127.0.0.1:{server.server_port}", "admin", "x"))
    finally:
        server.shutdown()
        server.server_close()


def test_ptz_capabilities_are_flags(camera: VirtualCamera) -> None:
    async def probe(address: str) -> PtzCapabilities:
        async with OnvifDevice(address, "admin", "cam-secret") as device:
            return await device.ptz_capabilities()

    assert asyncio.run(probe(camera.address)) == PtzCapabilities(
        supported=True, continuous=True, relative=True, absolute=True, presets=True, home=True
    )


def test_a_camera_with_a_wrong_clock_still_authenticates() -> None:
    """WS-UsernameToken is time-stamped: we sign with the camera's time, not ours."""
    with VirtualCamera(password="clock-pass", clock_offset_s=7200) as skewed:
        found = asyncio.run(describe(skewed.address, "admin", "clock-pass"))
        assert 7190 < found.clock_offset_s < 7210
        assert found.main is not None
        with pytest.raises(ClockSkewError, match=r"\+7[12]\d\d s off") as refused:
            asyncio.run(describe(skewed.address, "admin", "wrong-pass"))
        assert refused.value.address == skewed.address
