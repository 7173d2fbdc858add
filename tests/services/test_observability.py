"""Request ids, JSON logs, Prometheus metrics, health endpoints and the OpenAPI document."""

from __future__ import annotations

import json
import logging

import httpx
import pytest

from gtvision.services.logs import configure_logging
from tests.conftest import TenantUsers
from tests.helpers.live import LiveService, service_settings
from tests.helpers.postgres import PostgresForTests


def test_request_id_is_echoed_or_made(service: LiveService, tenant: TenantUsers) -> None:
    with tenant.client(service) as admin:
        given = admin.get("/cameras", headers={"X-Request-ID": "wall-7.req-42"})
        assert given.headers["x-request-id"] == "wall-7.req-42"
        made = admin.get("/cameras", headers={"X-Request-ID": "bad id with spaces"})
        assert len(made.headers["x-request-id"]) == 32


def test_json_log_lines_carry_the_request_id(
    service: LiveService, tenant: TenantUsers, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging("INFO")
    try:
        with tenant.client(service) as admin:
            admin.get("/zones", headers={"X-Request-ID": "trace-me-123"})
    finally:
        logging.getLogger().handlers[:] = []
    lines = [
        json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")
    ]
    access = [line for line in lines if line.get("request_id") == "trace-me-123"]
    assert access, lines
    assert access[0]["logger"] == "gtvision.access"
    assert access[0]["status"] == 200
    assert access[0]["route"] == "/api/v1/zones"


def test_metrics_count_requests_by_route_template(
    service: LiveService, tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin:
        camera = admin.post("/cameras", json={"name": "medida"}).json()
        admin.get(f"/cameras/{camera['id']}")
    text = httpx.get(service.url + "/metrics").text
    assert (
        'gtv_http_requests_total{method="GET",route="/api/v1/cameras/{camera_id}",status="200"}'
        in text
    )
    assert "gtv_http_request_duration_seconds_bucket" in text
    assert "gtv_db_pool_size" in text
    assert "gtv_storage_backlog 0.0" in text  # nothing waiting to be stored
    assert "gtv_lpr_cameras 0.0" in text
    assert camera["id"] not in text  # templates, not raw paths


def test_health_and_docs(service: LiveService) -> None:
    assert httpx.get(service.url + "/healthz").json() == {"status": "ok"}
    assert httpx.get(service.url + "/readyz").json()["checks"]["database"] == "ok"
    assert httpx.get(service.url + "/api/v1/docs").status_code == 200
    spec = httpx.get(service.url + "/api/v1/openapi.json").json()
    assert spec["components"]["securitySchemes"]["OAuth2PasswordBearer"]["type"] == "oauth2"


def test_cors_preflight_for_configured_origins(
    postgres: PostgresForTests, tmp_path_factory: pytest.TempPathFactory
) -> None:
    settings = service_settings(
        postgres.url,
        tmp_path_factory.mktemp("cors"),
        cors_origins=["https://painel.example.gov.br"],
    )
    with LiveService(settings) as live:
        allowed = httpx.options(
            live.url + "/api/v1/cameras",
            headers={
                "Origin": "https://painel.example.gov.br",
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "authorization",
            },
        )
        assert allowed.status_code == 200
        assert allowed.headers["access-control-allow-origin"] == "https://painel.example.gov.br"
        other = httpx.options(
            live.url + "/api/v1/cameras",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"},
        )
        assert "access-control-allow-origin" not in other.headers
