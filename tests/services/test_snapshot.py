"""Snapshots from a real RTSP server (gst-rtsp-server) and a real HTTP snapshot endpoint."""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import av
import pytest

from tests.conftest import TenantUsers
from tests.helpers.live import LiveService
from tests.helpers.media_peers import GstRtspServer, free_port


@pytest.fixture(scope="module")
def rtsp() -> Iterator[GstRtspServer]:
    with GstRtspServer(size="320x240", credentials="admin:cam-pass-1") as server:
        yield server


def _size_of(jpeg: bytes) -> tuple[int, int]:
    with av.open(io.BytesIO(jpeg), mode="r") as container:
        frame = next(container.decode(video=0))
        return frame.width, frame.height


def test_snapshot_grabbed_from_the_sub_stream(
    service: LiveService, tenant: TenantUsers, rtsp: GstRtspServer
) -> None:
    with tenant.client(service) as admin:
        camera = admin.post(
            "/cameras",
            json={
                "name": "rtsp-snap",
                "main_profile": {"stream_uri": f"{rtsp.url}/main"},
                "sub_profile": {"stream_uri": f"{rtsp.url}/sub"},
                "username": "admin",
                "password": "cam-pass-1",
            },
        ).json()
    with tenant.client(service, "viewer") as viewer:
        shot = viewer.get(f"/cameras/{camera['id']}/snapshot", timeout=30)
    assert shot.status_code == 200, shot.text
    assert shot.headers["content-type"] == "image/jpeg"
    assert _size_of(shot.content) == (160, 120)  # the sub stream, half of main


def test_wrong_credentials_unreachable_and_no_source_are_told_apart(
    service: LiveService, tenant: TenantUsers, rtsp: GstRtspServer
) -> None:
    with tenant.client(service) as admin:
        wrong = admin.post(
            "/cameras",
            json={
                "name": "wrong-pass",
                "sub_profile": {"stream_uri": f"{rtsp.url}/sub"},
                "username": "admin",
                "password": "nope",
            },
        ).json()
        gone = admin.post(
            "/cameras",
            json={
                "name": "gone",
                "sub_profile": {"stream_uri": f"rtsp://127.0.0.1:{free_port()}/sub"},
                "username": "admin",
                "password": "never-shown-9",
            },
        ).json()
        bare = admin.post("/cameras", json={"name": "bare"}).json()

        refused = admin.get(f"/cameras/{wrong['id']}/snapshot", timeout=30)
        assert refused.status_code == 502
        assert "credentials" in refused.json()["detail"]
        unreachable = admin.get(f"/cameras/{gone['id']}/snapshot", timeout=30)
        assert unreachable.status_code == 504
        assert unreachable.headers["content-type"].startswith("application/problem+json")
        assert "never-shown-9" not in unreachable.text  # FFmpeg quotes the URL; we redact it
        assert admin.get(f"/cameras/{bare['id']}/snapshot").status_code == 422
        shots = admin.get("/audit", params={"action": "camera.snapshot"}).json()["items"]
        assert len(shots) == 3


class _SnapshotHandler(BaseHTTPRequestHandler):
    jpeg = b""
    expected = "Basic " + base64.b64encode(b"admin:http-pass").decode()

    def do_GET(self) -> None:
        if self.headers.get("Authorization") != self.expected:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="camera"')
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "image/jpeg")
        self.send_header("Content-Length", str(len(self.jpeg)))
        self.end_headers()
        self.wfile.write(self.jpeg)

    def log_message(self, *_: object) -> None:
        pass


def test_snapshot_from_the_onvif_snapshot_uri(
    service: LiveService, tenant: TenantUsers, rtsp: GstRtspServer
) -> None:
    # A JPEG made from the RTSP server's picture, served over HTTP with Basic auth.
    with tenant.client(service) as admin:
        source = admin.post(
            "/cameras",
            json={
                "name": "jpeg-source",
                "main_profile": {"stream_uri": f"{rtsp.url}/main"},
                "username": "admin",
                "password": "cam-pass-1",
            },
        ).json()
        _SnapshotHandler.jpeg = admin.get(f"/cameras/{source['id']}/snapshot", timeout=30).content
    server = ThreadingHTTPServer(("127.0.0.1", 0), _SnapshotHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        uri = f"http://127.0.0.1:{server.server_port}/onvif/snapshot.jpg"
        with tenant.client(service) as admin:
            camera = admin.post(
                "/cameras",
                json={
                    "name": "http-snap",
                    "snapshot_uri": uri,
                    "username": "admin",
                    "password": "http-pass",
                },
            ).json()
            shot = admin.get(f"/cameras/{camera['id']}/snapshot")
            assert shot.status_code == 200
            assert shot.content == _SnapshotHandler.jpeg
            assert _size_of(shot.content) == (320, 240)
            admin.patch(f"/cameras/{camera['id']}", json={"password": "wrong"})
            assert admin.get(f"/cameras/{camera['id']}/snapshot").status_code == 502
    finally:
        server.shutdown()
        server.server_close()
