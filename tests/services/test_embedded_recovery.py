"""The embedded PostgreSQL after ``kill -9``: of the postmaster (the service starts it again and
recovers by itself), and of the service (the next start adopts the server and stops it cleanly).
Real processes: the service is ``gtvision-service run`` with its embedded defaults."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import psutil
import pytest

from tests.helpers.waiting import eventually


@dataclass
class Service:
    data_dir: Path
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def postmaster_pid(self) -> int:
        return int((self.data_dir / "postgres" / "postmaster.pid").read_text().split()[0])

    def start(self) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("GTV_")}
        env["GTV_EMBEDDED_WATCH_S"] = "0.5"
        command = [sys.executable, "-m", "gtvision.services.cli", "--data-dir", str(self.data_dir),
                   "run", "--port", str(self.port)]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
        eventually(lambda: self.status("/readyz") == 200, timeout_s=60, what=self.log.read_text())

    def status(self, path: str) -> int | None:
        assert self.process is not None
        assert self.process.poll() is None, self.log.read_text()
        try:
            return httpx.get(self.url + path, timeout=2).status_code
        except httpx.HTTPError:
            return None


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Service]:
    data_dir = Path(tempfile.mkdtemp(prefix="gtv-crash-"))  # under /tmp: see PostgresForTests
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    service = Service(data_dir, port, tmp_path / "service.log")
    yield service
    if service.process is not None and service.process.poll() is None:
        service.process.send_signal(signal.SIGTERM)
        service.process.wait(timeout=30)
    pid_file = data_dir / "postgres" / "postmaster.pid"
    if pid_file.exists():  # never leave a server behind, whatever the test did
        subprocess.run(["pkill", "-KILL", "-f", str(data_dir)], check=False)
    shutil.rmtree(data_dir, ignore_errors=True)


def test_a_killed_postmaster_is_started_again_and_the_service_recovers(service: Service) -> None:
    service.start()
    first = service.postmaster_pid
    os.kill(first, signal.SIGKILL)
    eventually(lambda: service.status("/readyz") == 503, timeout_s=20, what="outage seen")
    assert service.status("/healthz") == 200  # down for a while, but recovering
    eventually(lambda: service.status("/readyz") == 200, timeout_s=60, what=service.log.read_text())
    assert service.postmaster_pid != first
    eventually(lambda: b"started again" in service.log.read_bytes(), what="the restart logged")
    assert b"unexpected database error" not in service.log.read_bytes()  # 503s, never a 500


def test_a_server_left_by_a_killed_service_is_adopted_then_stopped(service: Service) -> None:
    service.start()
    assert service.process is not None
    service.process.kill()  # the service dies without stopping its PostgreSQL
    service.process.wait(timeout=10)
    left = service.postmaster_pid
    assert psutil.pid_exists(left)
    service.start()  # adopts the running server
    assert service.postmaster_pid == left
    service.process.send_signal(signal.SIGTERM)
    service.process.wait(timeout=30)
    eventually(lambda: not psutil.pid_exists(left), timeout_s=15, what="the server stopped")
    assert not (service.data_dir / "postgres" / "postmaster.pid").exists()


def test_healthz_fails_while_the_database_cannot_be_started_and_recovers_after(
    service: Service,
) -> None:
    service.start()
    conf = service.data_dir / "postgres" / "postgresql.conf"
    good = conf.read_bytes()
    conf.write_bytes(good + b"\nthis is not a setting\n")  # as a broken disk or a bad edit would
    os.kill(service.postmaster_pid, signal.SIGKILL)
    eventually(lambda: service.status("/healthz") == 503, timeout_s=30, what="healthz failing")
    body = httpx.get(service.url + "/healthz", timeout=2).json()
    assert "does not start again" in body["reason"]
    conf.write_bytes(good)
    eventually(lambda: service.status("/readyz") == 200, timeout_s=60, what="recovered")
    # /healthz clears once the restart routine returns, a moment after the server answers.
    eventually(lambda: service.status("/healthz") == 200, timeout_s=30, what="healthz back")
