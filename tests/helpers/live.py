"""The real service, served by uvicorn on 127.0.0.1 in a background thread."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import uvicorn

from gtvision.contract import API_PREFIX
from gtvision.services.api.app import create_app
from gtvision.services.settings import Settings

TEST_SECRET = "test-secret-key-0123456789abcdef-0123456789"


def service_settings(database_url: str, data_dir: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "database_url": database_url,
        "data_dir": data_dir,
        "secret_key": TEST_SECRET,
        "rate_limit_ip_per_min": 1_000_000,
        "rate_limit_user_per_min": 1_000_000,
        "db_timeout_s": 2.0,
        "db_startup_timeout_s": 10.0,
        "webhook_retry_initial_s": 0.2,  # a refused delivery is retried within the test
        "webhook_allowed_networks": ["127.0.0.1/32"],  # the tests' receivers
    }
    values.update(overrides)
    return Settings(**values)


class LiveService:
    """``with LiveService(settings) as svc: httpx.get(svc.url + "/healthz")``."""

    def __init__(self, settings: Settings) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.port = self._sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        if settings.public_url is None:  # signed links must name the port really listened on
            settings = settings.model_copy(update={"public_url": self.url})
        self.settings = settings
        self.app = create_app(settings)
        config = uvicorn.Config(
            self.app, log_config=None, lifespan="on", access_log=False, proxy_headers=False
        )  # as ``gtvision-service run``: forwarded headers are the app's trusted_proxies' call
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True
        )

    def __enter__(self) -> LiveService:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the service did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *_: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=60)
        if self._thread.is_alive():  # its tasks would outlive the database and the test
            raise RuntimeError("the service did not stop within 60 s")
        self._sock.close()

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url + API_PREFIX, headers=headers, timeout=15)

    def login(self, username: str, password: str) -> dict[str, Any]:
        with self.client() as client:
            response = client.post("/auth/token", data={"username": username, "password": password})
        response.raise_for_status()
        tokens: dict[str, Any] = response.json()
        return tokens


def scrape_metrics(service: LiveService) -> dict[str, float]:
    """``/metrics`` as name (with labels) → value."""
    return {
        name: float(value)
        for line in httpx.get(service.url + "/metrics").text.splitlines()
        if line and not line.startswith("#")
        for name, _, value in [line.rpartition(" ")]
    }
