"""Walk every route of the live OpenAPI with tenant A's tokens against tenant B's ids."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import psycopg
import pytest

from tests.conftest import TenantUsers
from tests.helpers.live import LiveService
from tests.helpers.lpr import pending_read, write_reads
from tests.helpers.postgres import PostgresForTests

METHODS = ("get", "put", "patch", "post", "delete")
# A valid body for routes whose body has required fields, so the probe reaches the lookup.
BODIES: dict[str, dict[str, object]] = {
    "/cameras/{camera_id}/ptz": {"action": "stop"},
    "/watchlists/{watchlist_id}/entries": {"pattern": "ABC1D23"},
    "/alerts/{alert_id}/acknowledge": {"comment": "visto"},
    "/cameras/{camera_id}/bookmarks": {
        "starts_at": "2026-11-01T10:00:00Z",
        "ends_at": "2026-11-01T10:01:00Z",
        "label": "ocorrência",
    },
}
# Routes authorised by something other than the caller's tenant, tested on their own.
NOT_BY_TENANT = {
    "/api/v1/objects/{key}": "a signed link: tests/services/test_lpr_api.py",
    "/api/v1/cameras/{camera_id}/recordings/play": "a signed link: test_recordings.py",
}


@pytest.fixture
def b_ids(
    service: LiveService, other_tenant: TenantUsers, postgres: PostgresForTests, tmp_path: Path
) -> dict[str, str]:
    with other_tenant.client(service) as b:
        zone = b.post("/zones", json={"name": "zona-secreta-b"}).json()
        camera = b.post(
            "/cameras",
            json={"name": "camera-secreta-b", "zone_id": zone["id"], "password": "pw-b-123"},
        ).json()
        view = b.post(
            "/views", json={"name": "vista-secreta-b", "layout": "2x2", "cameras": [camera["id"]]}
        ).json()
        watchlist = b.post("/watchlists", json={"name": "lista-secreta-b", "category": "stolen"})
        entry = b.post(f"/watchlists/{watchlist.json()['id']}/entries", json={"pattern": "SEC1234"})
        webhook = b.post(
            "/webhooks", json={"url": "http://127.0.0.1:9/b", "secret": "segredo-b-0123456789"}
        )
        bookmark = b.post(
            f"/cameras/{camera['id']}/bookmarks",
            json={**BODIES["/cameras/{camera_id}/bookmarks"], "label": "marcador-secreto-b"},
        )
    export_id = uuid.uuid4()
    with psycopg.connect(postgres.url.replace("+asyncpg", ""), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO streaming.exports (id, tenant_id, camera_id, starts_at, ends_at, status,"
            " error, requested_by, version) VALUES (%s, %s, %s, now() - interval '1 minute',"
            " now(), 'failed', 'nada gravado', 'b-admin', 1)",
            (export_id, other_tenant.tenant_id, camera["id"]),
        )
    read = pending_read(other_tenant.tenant_id, camera["id"], "SEC1234")
    assert write_reads(postgres.url, tmp_path, [read]) == [True]
    with other_tenant.client(service) as b:
        alert = b.get("/alerts").json()["items"][0]
    return {
        "tenant_id": other_tenant.tenant_id,
        "user_id": other_tenant.user_ids["viewer"],
        "zone_id": zone["id"],
        "camera_id": camera["id"],
        "view_id": view["id"],
        "watchlist_id": watchlist.json()["id"],
        "entry_id": entry.json()["id"],
        "detection_id": str(read.id),
        "kind": "crop",
        "alert_id": alert["id"],
        "webhook_id": webhook.json()["id"],
        "bookmark_id": bookmark.json()["id"],
        "export_id": str(export_id),
    }


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_no_route_reaches_another_tenants_rows(
    service: LiveService,
    tenant: TenantUsers,
    other_tenant: TenantUsers,
    b_ids: dict[str, str],
    role: str,
) -> None:
    with service.client() as anonymous:
        spec = anonymous.get("/openapi.json").json()
    names = [
        "zona-secreta-b",
        "camera-secreta-b",
        "vista-secreta-b",
        "lista-secreta-b",
        "marcador-secreto-b",
        "SEC1234",
        other_tenant.slug,
    ]
    secrets = [*(v for k, v in b_ids.items() if k != "kind"), *names]
    probed = 0
    with tenant.client(service, role) as a:
        for path, operations in spec["paths"].items():
            if path in NOT_BY_TENANT:
                continue
            relative = path.removeprefix("/api/v1")
            params = re.findall(r"{(\w+)}", path)
            for method in METHODS:
                if method not in operations:
                    continue
                if not params:
                    if method == "get":
                        listed = a.get(relative)
                        # A's own audit log names the ids A probed: refusals are audited.
                        own_trail = relative in ("/audit", "/audit/export")
                        hidden = names if own_trail else secrets
                        assert not any(s in listed.text for s in hidden), (path, listed.text)
                    continue
                unknown = [p for p in params if p not in b_ids]
                assert not unknown, f"teach this test the ids for {unknown} in {path}"
                url = relative.format(**b_ids)
                body = BODIES.get(relative, {}) if method in ("patch", "put", "post") else None
                response = a.request(method.upper(), url, json=body)
                assert response.status_code == 404, (
                    method,
                    path,
                    response.status_code,
                    response.text,
                )
                # The 404 may repeat the id the caller sent, nothing else of B's.
                leaked = [s for s in secrets if s in response.text and s not in url]
                assert not leaked, (method, path, leaked)
                probed += 1
    assert probed >= 12  # GET, PATCH, DELETE on tenants, users, zones, cameras
    # And B's rows are still there, untouched.
    with other_tenant.client(service) as b:
        assert b.get(f"/cameras/{b_ids['camera_id']}").json()["version"] == 1
        assert b.get(f"/zones/{b_ids['zone_id']}").json()["version"] == 1
