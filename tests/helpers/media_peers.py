"""Real media peers for tests, started as processes on 127.0.0.1."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import NoReturn, Self

import pytest

from tests.helpers.waiting import eventually

_ROOT = Path(__file__).parents[2]

SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, which has the GStreamer GObject bindings
_SERVER = Path(__file__).with_name("rtsp_server.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class _ReadyProcess:
    """A peer process that prints ``READY`` once it serves; ``what`` names it in a failure."""

    def __init__(self, args: list[str], what: str, *, env: dict[str, str] | None = None) -> None:
        self._args = args
        self._what = what
        self._env = env
        self._process: subprocess.Popen[str] | None = None

    def _popen(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self._args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=self._env
        )

    def __enter__(self) -> Self:
        self._process = self._popen()
        assert self._process.stdout is not None
        if self._process.stdout.readline().strip() != "READY":
            self._process.kill()
            _, err = self._process.communicate()
            self._failed()
            pytest.fail(f"{self._what} did not start: {err}")
        return self

    def _failed(self) -> None:
        """Undo what came before the process (a subclass's namespace)."""

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.communicate(timeout=10)


class GstRtspServer(_ReadyProcess):
    """``rtsp://127.0.0.1:<port>/main`` and ``/sub`` from gst-rtsp-server (scripts/bootstrap.sh
    installs it from Debian's packages). ``variant`` sets the ``RTSP_*`` options of
    ``rtsp_server.py`` that make it behave like one camera or another (codec, parameter sets,
    auth scheme, sessions it ends or times out); it keeps its port across :meth:`restart`."""

    def __init__(
        self,
        size: str = "320x240",
        credentials: str = "",
        fps: int = 10,
        images: str = "",
        image_s: int = 2,
        clock: bool = False,
        variant: dict[str, str] | None = None,
    ) -> None:
        self.port = free_port()
        self.url = f"rtsp://127.0.0.1:{self.port}"
        args = [SYSTEM_PYTHON, str(_SERVER), str(self.port), size]
        if credentials:
            args.append(credentials)
        env = {**os.environ, "RTSP_FPS": str(fps), "RTSP_IMAGES": images,
               "RTSP_IMAGE_S": str(image_s), "RTSP_CLOCK": "1" if clock else "",
               **(variant or {})}  # fmt: skip
        super().__init__(args, "gst-rtsp-server (run scripts/bootstrap.sh dev)", env=env)

    def kill(self) -> None:
        """The camera loses power: no goodbye, sessions cut."""
        if self._process is not None:
            self._process.kill()
            self._process.communicate(timeout=10)
            self._process = None

    def restart(self, down_s: float = 1.0) -> None:
        """The camera reboots: down for ``down_s``, then serving on the same port.

        The successor is started and prepared before the camera goes down, so the outage lasts
        ``down_s`` however long a loaded machine takes to start Python and GStreamer (a CI run
        saw a 1 s reboot take over 5 s, and the test judged an outage it did not mean to make).
        """
        successor = subprocess.Popen(
            self._args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env={**(self._env or os.environ), "RTSP_HOLD": "1"},
        )  # fmt: skip
        assert successor.stdin is not None
        assert successor.stdout is not None
        if successor.stdout.readline().strip() != "PREPARED":
            successor.kill()
            pytest.fail(f"{self._what} did not restart: {successor.communicate()[1]}")
        self.kill()
        time.sleep(down_s)
        successor.stdin.write("GO\n")
        successor.stdin.flush()
        if successor.stdout.readline().strip() != "READY":
            successor.kill()
            pytest.fail(f"{self._what} did not serve again: {successor.communicate()[1]}")
        self._process = successor


def _accepts(host: str, port: int) -> bool:
    try:
        socket.create_connection((host, port), timeout=0.5).close()
    except OSError:
        return False
    return True


class VirtualCamera:
    """An ipycam virtual ONVIF camera in its own network namespace."""

    def __init__(
        self,
        username: str = "admin",
        password: str = "cam-secret",
        name: str = "",
        fps: int = 10,
        clock_offset_s: float = 0.0,
        extra_args: list[str] | None = None,
    ) -> None:
        from tests.helpers.netns import NetworkNamespace

        self.extra_args = extra_args or []  # e.g. ["--size", "1280x720", "--slides", dir]

        self.netns = NetworkNamespace()
        self.username, self.password = username, password
        self.name = name or "Virtual Camera"
        self.fps = fps
        self.clock_offset_s = clock_offset_s
        self._process: subprocess.Popen[str] | None = None
        self._frozen = self._covered = False

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

        self._process = self.netns.popen(
            [
                sys.executable,
                "-m",
                "tests.helpers.virtual_camera",
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
                *self.extra_args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=_ROOT,
        )
        assert self._process.stdout is not None
        if self._process.stdout.readline().strip() != "READY":
            self._fail("did not start")
        # The camera checks its RTSP server exists before READY; this checks it is reachable
        # from the host through the namespace's veth, as every client will need.
        deadline = time.monotonic() + 15
        while not _accepts(self.netns.ip, 8554):
            if time.monotonic() > deadline:
                self._fail("serves ONVIF but its RTSP port does not accept connections")
            time.sleep(0.05)

    def _fail(self, what: str) -> NoReturn:
        """Stop the camera process (no pipe left open) and fail with what it said."""
        assert self._process is not None
        self._process.kill()
        _, err = self._process.communicate()
        self._process = None
        pytest.fail(f"the virtual camera {what}: {err.strip() or 'it said nothing'}")

    def scene(self, *, motion: bool | None = None, covered: bool | None = None) -> None:
        """Change what the camera sees: the bar moving or frozen, the lens covered or not."""
        for wanted, current, sig in (
            (motion, not self._frozen, signal.SIGUSR1),
            (covered, self._covered, signal.SIGUSR2),
        ):
            if wanted is not None and wanted != current:
                assert self._process is not None
                self._process.send_signal(sig)
        if motion is not None:
            self._frozen = not motion
        if covered is not None:
            self._covered = covered

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


class WhepServer(_ReadyProcess):
    """``http://127.0.0.1:<port>/<path>/whep``: an aiortc WebRTC peer (``whep_server.py``)."""

    def __init__(self, token: str = "") -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        script = str(Path(__file__).with_name("whep_server.py"))
        args = [sys.executable, script, str(self.port), *([token] if token else [])]
        super().__init__(args, "the WHEP test server")


class LiveHls:
    """A live HLS stream produced by ffmpeg (1 s segments) and served over HTTP on 127.0.0.1."""

    def __init__(self, directory: Path, size: str = "320x240") -> None:
        self.directory = directory
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/index.m3u8"
        self._ffmpeg_args = [
            "ffmpeg", "-loglevel", "error", "-re", "-f", "lavfi",
            "-i", f"testsrc2=size={size}:rate=25", "-c:v", "libx264", "-preset", "ultrafast",
            "-tune", "zerolatency", "-g", "25", "-muxdelay", "0", "-muxpreload", "0",
            "-f", "hls", "-hls_time", "1",
            "-hls_list_size", "6", "-hls_flags", "delete_segments+independent_segments",
            str(directory / "index.m3u8"),
        ]  # fmt: skip
        self._ffmpeg: subprocess.Popen[bytes] | None = None
        self._http: ThreadingHTTPServer | None = None
        self.started_at = 0.0

    def __enter__(self) -> LiveHls:
        if shutil.which("ffmpeg") is None:
            pytest.fail("ffmpeg is missing (scripts/bootstrap.sh dev installs it)")
        self.started_at = time.monotonic()  # pts 0 is (just after) this instant: -re, no delay
        self._ffmpeg = subprocess.Popen(self._ffmpeg_args, stderr=subprocess.PIPE)
        handler = functools.partial(_QuietFiles, directory=str(self.directory))
        self._http = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        threading.Thread(target=self._http.serve_forever, daemon=True).start()
        playlist = self.directory / "index.m3u8"
        eventually(lambda: playlist.exists() and playlist.read_text().count("#EXTINF") >= 2, 20)
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        if self._http is not None:
            self._http.shutdown()
            self._http.server_close()
        if self._ffmpeg is not None:
            self._ffmpeg.terminate()
            self._ffmpeg.communicate(timeout=10)


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class WebrtcbinWhep(_ReadyProcess):
    """``http://<netns ip>:8889/<path>/whep``: GStreamer's webrtcbin as the WebRTC peer, in a
    network namespace of its own (``webrtcbin_whep.py``); clients gather ICE on ``host_ip``."""

    def __init__(self) -> None:
        from tests.helpers.netns import NetworkNamespace

        self.netns = NetworkNamespace()
        self.url = f"http://{self.netns.ip}:8889"
        script = str(Path(__file__).with_name("webrtcbin_whep.py"))
        args = [SYSTEM_PYTHON, script, self.netns.ip, "8889"]
        super().__init__(args, "the webrtcbin WHEP server")

    def _popen(self) -> subprocess.Popen[str]:
        self.netns.__enter__()
        return self.netns.popen(self._args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def _failed(self) -> None:
        self.netns.__exit__(None, None, None)

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        super().__exit__(*exc)
        self.netns.__exit__(None, None, None)
