"""PostgreSQL stops under a running service: 503 with Retry-After, then recovery by itself."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import PASSWORD, create_user_via_cli
from tests.helpers.live import LiveService, service_settings
from tests.helpers.postgres import PostgresForTests
from tests.helpers.waiting import eventually


@pytest.fixture
def own_postgres() -> Iterator[PostgresForTests]:
    server = PostgresForTests(prefix="gtv-pg-outage-")
    server.start()
    yield server
    server.close()


def test_database_outage_and_recovery(
    own_postgres: PostgresForTests, tmp_path_factory: pytest.TempPathFactory
) -> None:
    settings = service_settings(own_postgres.url, tmp_path_factory.mktemp("outage"))
    with LiveService(settings) as live:
        create_user_via_cli(live, "outage-root", "superadmin", None)
        token = live.login("outage-root", PASSWORD)["access_token"]
        with live.client(token) as root, httpx.Client(base_url=live.url, timeout=15) as probe:
            assert root.get("/tenants").status_code == 200
            assert probe.get("/readyz").status_code == 200

            eventually(lambda: live.app.state.events.listening.is_set())
            own_postgres.stop_abruptly()
            eventually(lambda: not live.app.state.events.listening.is_set())

            ready = probe.get("/readyz")
            assert ready.status_code == 503
            assert ready.json()["checks"]["database"] == "unavailable"
            assert int(ready.headers["retry-after"]) > 0
            down = root.get("/tenants")
            assert down.status_code == 503, down.text
            assert int(down.headers["retry-after"]) > 0
            assert down.headers["content-type"].startswith("application/problem+json")
            assert probe.get("/healthz").status_code == 200  # the process is still up

            own_postgres.restart()

            eventually(lambda: probe.get("/readyz").status_code == 200)
            # The event stream's LISTEN connection came back by itself too.
            eventually(lambda: live.app.state.events.listening.is_set())
            eventually(lambda: root.get("/tenants").status_code == 200)
            created = root.post("/tenants", json={"slug": "depois-da-queda", "name": "Depois"})
            assert created.status_code == 201, created.text
