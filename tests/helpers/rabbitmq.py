"""A real RabbitMQ broker for tests: Debian's ``rabbitmq-server`` as a node of its own.

Its own node name, data and log folders under a temporary directory, AMQP on a free port of
127.0.0.1, Erlang distribution on another, epmd bound to loopback; run as the test's user (root
in CI), not through Debian's service. ``stop()`` then ``start()`` is an outage with the data
kept, as a restarted broker would have it.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from types import TracebackType
from typing import Self

import aio_pika

from tests.helpers.media_peers import free_port

SERVER = Path("/usr/lib/rabbitmq/bin/rabbitmq-server")


class RabbitMq:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="gtv-amqp-"))
        self.port, self.dist_port = free_port(), free_port()
        self.node = f"gtv{uuid.uuid4().hex[:8]}@localhost"
        self.url = f"amqp://guest:guest@127.0.0.1:{self.port}/"
        self._process: subprocess.Popen[bytes] | None = None
        (self.root / "enabled_plugins").write_text("[].\n")
        (self.root / "rabbitmq.conf").write_text(
            f"listeners.tcp.default = 127.0.0.1:{self.port}\n"
            "loopback_users.guest = true\n"
            "log.console = true\nlog.file = false\n"
        )

    def start(self) -> None:
        if not SERVER.exists():
            raise RuntimeError("rabbitmq-server is not installed (run scripts/bootstrap.sh dev)")
        env = {
            **os.environ,
            "HOME": str(self.root),  # the Erlang cookie
            "RABBITMQ_NODENAME": self.node,
            "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1",
            "RABBITMQ_NODE_PORT": str(self.port),
            "RABBITMQ_DIST_PORT": str(self.dist_port),
            "RABBITMQ_CONFIG_FILE": str(self.root / "rabbitmq"),
            "RABBITMQ_ENABLED_PLUGINS_FILE": str(self.root / "enabled_plugins"),
            "RABBITMQ_MNESIA_BASE": str(self.root / "mnesia"),
            "RABBITMQ_LOG_BASE": str(self.root / "log"),
            "RABBITMQ_PID_FILE": str(self.root / "pid"),
            "ERL_EPMD_ADDRESS": "127.0.0.1",
        }
        with (self.root / "broker.log").open("ab") as log:
            self._process = subprocess.Popen(
                [str(SERVER)], env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its Erlang VM and helpers go with the group on stop
            )  # fmt: skip
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"RabbitMQ exited: {self.log_tail()}")
            if asyncio.run(self._answers()):
                return
            time.sleep(0.5)
        raise RuntimeError(f"RabbitMQ did not start: {self.log_tail()}")

    async def _answers(self) -> bool:
        try:
            connection = await aio_pika.connect(self.url, timeout=2)
        except (OSError, aio_pika.exceptions.AMQPError, TimeoutError):
            return False
        await connection.close()
        return True

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
        self._process = None

    def log_tail(self) -> str:
        log = self.root / "broker.log"
        return log.read_text(errors="replace")[-3000:] if log.exists() else ""

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
