"""Real media peers for tests, started as processes on 127.0.0.1."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path
from types import TracebackType

import pytest

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, which has the GStreamer GObject bindings
_SERVER = Path(__file__).with_name("rtsp_server.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class GstRtspServer:
    """``rtsp://127.0.0.1:<port>/main`` and ``/sub`` from gst-rtsp-server (scripts/bootstrap.sh
    installs it from Debian's packages)."""

    def __init__(self, size: str = "320x240", credentials: str = "") -> None:
        self.port = free_port()
        self.url = f"rtsp://127.0.0.1:{self.port}"
        self._args = [SYSTEM_PYTHON, str(_SERVER), str(self.port), size]
        if credentials:
            self._args.append(credentials)
        self._process: subprocess.Popen[str] | None = None

    def __enter__(self) -> GstRtspServer:
        self._process = subprocess.Popen(
            self._args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if line.strip() != "READY":
            self._process.kill()
            _, err = self._process.communicate()
            pytest.fail(f"gst-rtsp-server did not start (run scripts/bootstrap.sh dev): {err}")
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.communicate(timeout=10)


class VirtualCamera:
    """An ipycam virtual ONVIF camera in its own network namespace."""

    def __init__(
        self,
        username: str = "admin",
        password: str = "cam-secret",
        name: str = "",
        fps: int = 10,
        clock_offset_s: float = 0.0,
    ) -> None:
        from tests.helpers.netns import NetworkNamespace

        self.netns = NetworkNamespace()
        self.username, self.password = username, password
        self.name = name or "Virtual Camera"
        self.fps = fps
        self.clock_offset_s = clock_offset_s
        self._process: subprocess.Popen[str] | None = None

    @property
    def address(self) -> str:
        return f"{self.netns.ip}:8080"

    def __enter__(self) -> VirtualCamera:
        self.netns.__enter__()
        try:
            self.start_process()
        except BaseException:
            self.netns.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop_process()
        self.netns.__exit__(None, None, None)

    def start_process(self) -> None:
        """Start the camera in its (already created) namespace; returns once it serves."""
        import sys

        script = Path(__file__).with_name("virtual_camera.py")
        self._process = self.netns.popen(
            [
                sys.executable,
                str(script),
                "--ip",
                self.netns.ip,
                "--user",
                self.username,
                "--password",
                self.password,
                "--name",
                self.name,
                "--fps",
                str(self.fps),
                "--clock-offset",
                str(self.clock_offset_s),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self._process.stdout is not None
        if self._process.stdout.readline().strip() != "READY":
            self._process.kill()
            _, err = self._process.communicate()
            pytest.fail(f"the virtual camera did not start: {err}")

    def stop_process(self) -> None:
        """Stop the camera cleanly (it says Bye on the way out)."""
        if self._process is None:
            return
        self._process.terminate()
        try:
            self._process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.communicate()
        self._process = None
