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
