"""Tenants, users, zones and cameras through the real HTTP API on a real PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import text

from gtvision.services.auth.keys import Keys
from gtvision.services.store.db import Database
from tests.conftest import PASSWORD, TenantUsers
from tests.helpers.live import TEST_SECRET, LiveService

CAMERA = {
    "name": "Av. Paulista x Consolação",
    "manufacturer": "Hikvision",
    "model": "DS-2CD2T47G2",
    "onvif_url": "http://127.0.0.1:8000/onvif/device_service",
    "main_profile": {
        "stream_uri": "rtsp://127.0.0.1:8554/main",
        "codec": "H264",
        "width": 2560,
        "height": 1440,
        "fps": 25,
    },
    "sub_profile": {"stream_uri": "rtsp://127.0.0.1:8554/sub", "width": 640, "height": 360},
    "ptz_capable": True,
    "username": "admin",
    "password": "cam-secret-123",
    "latitude": -23.5614,
    "longitude": -46.6559,
}


def _problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, object] = response.json()
    assert body["status"] == status
    return body


def test_camera_lifecycle_with_etags(service: LiveService, tenant: TenantUsers) -> None:
    with tenant.client(service) as admin:
        zone = admin.post(
            "/zones", json={"name": "Centro", "latitude": -23.55, "longitude": -46.63}
        )
        assert zone.status_code == 201, zone.text
        created = admin.post("/cameras", json={**CAMERA, "zone_id": zone.json()["id"]})
        assert created.status_code == 201, created.text
        camera = created.json()
        assert camera["has_password"] is True
        assert "password" not in camera
        assert "password_encrypted" not in camera
        assert camera["main_profile"]["width"] == 2560
        assert camera["status"] == "unknown"
        etag = created.headers["ETag"]

        fetched = admin.get(f"/cameras/{camera['id']}")
        assert fetched.json() == camera
        assert fetched.headers["ETag"] == etag

        patched = admin.patch(
            f"/cameras/{camera['id']}", json={"enabled": False}, headers={"If-Match": etag}
        )
        assert patched.status_code == 200, patched.text
        assert patched.json()["enabled"] is False
        assert patched.headers["ETag"] != etag

        stale = admin.patch(
            f"/cameras/{camera['id']}", json={"enabled": True}, headers={"If-Match": etag}
        )
        _problem(stale, 412)
        # A bare version number is taken as the ETag it stands for (clients that drop quotes).
        version = str(patched.json()["version"])
        bare = admin.patch(
            f"/cameras/{camera['id']}", json={"enabled": True}, headers={"If-Match": version}
        )
        assert bare.status_code == 200, bare.text
        path = f"/cameras/{camera['id']}"
        _problem(admin.patch(path, json={}, headers={"If-Match": version}), 412)  # now stale
        _problem(admin.patch(path, json={}, headers={"If-Match": "v1"}), 422)

        assert admin.delete(f"/cameras/{camera['id']}").status_code == 204
        _problem(admin.get(f"/cameras/{camera['id']}"), 404)


def test_camera_password_is_encrypted_at_rest(service: LiveService, tenant: TenantUsers) -> None:
    with tenant.client(service) as admin:
        camera = admin.post("/cameras", json={**CAMERA, "name": "cofre"}).json()

    async def stored() -> bytes:
        assert service.settings.database_url is not None
        db = Database(service.settings.database_url.get_secret_value())
        try:
            async with db.engine.connect() as conn:
                value: bytes = await conn.scalar(
                    text("SELECT password_encrypted FROM streaming.cameras WHERE id = :id"),
                    {"id": uuid.UUID(camera["id"])},
                )
                return value
        finally:
            await db.dispose()

    sealed = asyncio.run(stored())
    assert b"cam-secret-123" not in sealed
    assert Keys(TEST_SECRET.encode()).decrypt(sealed) == "cam-secret-123"


def test_pagination_walks_every_camera_once(service: LiveService, tenant: TenantUsers) -> None:
    with tenant.client(service) as admin:
        names = {f"cam-{i:03d}" for i in range(23)}
        for name in names:
            assert admin.post("/cameras", json={"name": name}).status_code == 201
        seen: list[str] = []
        cursor = None
        pages = 0
        while True:
            params: dict[str, str | int] = {"limit": 5}
            if cursor:
                params["cursor"] = cursor
            page = admin.get("/cameras", params=params).json()
            seen += [c["name"] for c in page["items"]]
            pages += 1
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert pages == 5
        assert sorted(seen) == sorted(names)
        filtered = admin.get("/cameras", params={"q": "cam-00"}).json()["items"]
        assert sorted(c["name"] for c in filtered) == [f"cam-00{i}" for i in range(10)]
        _problem(admin.get("/cameras", params={"cursor": "garbage"}), 422)


def test_filters_by_zone_and_flags(service: LiveService, tenant: TenantUsers) -> None:
    with tenant.client(service) as admin:
        zone_id = admin.post("/zones", json={"name": "Norte"}).json()["id"]
        admin.post("/cameras", json={"name": "n1", "zone_id": zone_id, "ptz_capable": True})
        admin.post("/cameras", json={"name": "s1", "enabled": False})
        in_zone = admin.get("/cameras", params={"zone_id": zone_id}).json()["items"]
        assert [c["name"] for c in in_zone] == ["n1"]
        disabled = admin.get("/cameras", params={"enabled": "false"}).json()["items"]
        assert [c["name"] for c in disabled] == ["s1"]
        ptz = admin.get("/cameras", params={"ptz_capable": "true"}).json()["items"]
        assert [c["name"] for c in ptz] == ["n1"]


def test_invalid_and_unknown_fields_are_422_naming_them(
    service: LiveService, tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin:
        bad = admin.post("/cameras", json={"name": "x", "latitude": 123, "colour": "red"})
        body = _problem(bad, 422)
        assert "latitude" in str(body["detail"])
        assert "colour" in str(body["detail"])
        errors = body["errors"]
        assert isinstance(errors, list)
        locs = {tuple(e["loc"]) for e in errors}
        assert ("body", "latitude") in locs
        assert ("body", "colour") in locs
        null_name = admin.post("/zones", json={"name": "z-null"}).json()
        _problem(admin.patch(f"/zones/{null_name['id']}", json={"name": None}), 422)
        _problem(
            admin.post(
                "/cameras", content=b"{not json", headers={"content-type": "application/json"}
            ),
            422,
        )


def test_oversized_body_is_413(service: LiveService, tenant: TenantUsers) -> None:
    with tenant.client(service) as admin:
        huge = {"name": "big", "description": "x" * (service.settings.max_body_bytes + 10)}
        _problem(admin.post("/cameras", json=huge), 413)

        def chunks() -> Iterator[bytes]:
            for _ in range(service.settings.max_body_bytes // 65536 + 2):
                yield b" " * 65536

        streamed = admin.post(
            "/zones", content=chunks(), headers={"content-type": "application/json"}
        )
        _problem(streamed, 413)


def test_duplicate_names_conflict(service: LiveService, tenant: TenantUsers) -> None:
    with tenant.client(service) as admin:
        assert admin.post("/zones", json={"name": "Sul"}).status_code == 201
        _problem(admin.post("/zones", json={"name": "Sul"}), 409)


def test_zone_of_another_tenant_cannot_be_assigned(
    service: LiveService, tenant: TenantUsers, other_tenant: TenantUsers
) -> None:
    with other_tenant.client(service) as other:
        foreign_zone = other.post("/zones", json={"name": "Alheia"}).json()["id"]
    with tenant.client(service) as admin:
        body = _problem(admin.post("/cameras", json={"name": "c", "zone_id": foreign_zone}), 422)
        assert "zone_id" in str(body["detail"])


@pytest.mark.parametrize("role", ["operator", "viewer"])
def test_roles_below_admin_read_but_do_not_write(
    service: LiveService, tenant: TenantUsers, role: str
) -> None:
    with tenant.client(service) as admin:
        camera_id = admin.post("/cameras", json={"name": f"ro-{role}"}).json()["id"]
    with tenant.client(service, role) as client:
        assert client.get(f"/cameras/{camera_id}").status_code == 200
        assert client.get("/cameras").status_code == 200
        _problem(client.patch(f"/cameras/{camera_id}", json={"enabled": False}), 403)
        _problem(client.post("/cameras", json={"name": "nope"}), 403)
        _problem(client.delete(f"/cameras/{camera_id}"), 403)
        _problem(client.get("/users"), 403)
        _problem(client.get("/audit"), 403)


def test_user_management_rules(service: LiveService, tenant: TenantUsers) -> None:
    with tenant.client(service) as admin:
        _problem(
            admin.post(
                "/users", json={"username": "boss", "password": PASSWORD, "role": "superadmin"}
            ),
            403,
        )
        made = admin.post(
            "/users",
            json={
                "username": f"op2-{tenant.slug}",
                "password": PASSWORD,
                "role": "operator",
                "full_name": "Operadora Dois",
            },
        )
        assert made.status_code == 201, made.text
        assert made.json()["tenant_id"] == tenant.tenant_id
        assert "password" not in made.text
        assert "argon2" not in made.text
        _problem(
            admin.post(
                "/users",
                json={"username": f"op2-{tenant.slug}", "password": PASSWORD, "role": "viewer"},
            ),
            409,
        )
        _problem(
            admin.post("/users", json={"username": "short", "password": "123", "role": "viewer"}),
            422,
        )
        _problem(admin.delete(f"/users/{tenant.user_ids['admin']}"), 409)
        listed = admin.get("/users", params={"role": "operator"}).json()["items"]
        assert {u["username"] for u in listed} == {f"operator-{tenant.slug}", f"op2-{tenant.slug}"}
    with tenant.client(service, "viewer") as viewer:
        me = viewer.get(f"/users/{tenant.user_ids['viewer']}")
        assert me.status_code == 200
        _problem(viewer.patch(f"/users/{tenant.user_ids['viewer']}", json={"role": "admin"}), 403)
        renamed = viewer.patch(f"/users/{tenant.user_ids['viewer']}", json={"full_name": "Vi"})
        assert renamed.status_code == 200
        assert renamed.json()["full_name"] == "Vi"
        _problem(viewer.get(f"/users/{tenant.user_ids['admin']}"), 403)


def test_tenant_rules(service: LiveService, tenant: TenantUsers, superadmin_token: str) -> None:
    with tenant.client(service) as admin:
        mine = admin.get("/tenants").json()["items"]
        assert [t["id"] for t in mine] == [tenant.tenant_id]
        _problem(admin.patch(f"/tenants/{tenant.tenant_id}", json={"name": "x"}), 403)
        _problem(admin.post("/tenants", json={"slug": "nova", "name": "Nova"}), 403)
    with service.client(superadmin_token) as root:
        updated = root.patch(
            f"/tenants/{tenant.tenant_id}",
            json={"city": "Campinas", "state": "SP", "ibge_code": "3509502"},
        )
        assert updated.status_code == 200, updated.text
        assert updated.json()["ibge_code"] == "3509502"
        _problem(root.patch(f"/tenants/{tenant.tenant_id}", json={"ibge_code": "35"}), 422)
        _problem(root.get("/cameras"), 403)  # superadmins have no tenant


def test_disabling_a_tenant_locks_its_users_out(
    service: LiveService, tenant: TenantUsers, superadmin_token: str
) -> None:
    with service.client(superadmin_token) as root:
        assert root.patch(f"/tenants/{tenant.tenant_id}", json={"active": False}).status_code == 200
    with service.client() as anonymous:
        refused = anonymous.post(
            "/auth/token", data={"username": f"admin-{tenant.slug}", "password": PASSWORD}
        )
        _problem(refused, 401)


def test_directory_changes_are_published_as_typed_events(
    service: LiveService, tenant: TenantUsers, other_tenant: TenantUsers
) -> None:
    """Every console follows a camera, zone or watch list added, changed or removed; no other
    city hears."""
    from websockets.sync.client import connect

    from gtvision.contract import DirectoryChange

    types = ",".join(
        f"{kind}.{change}"
        for kind in ("camera", "zone", "watchlist")
        for change in ("created", "updated", "deleted")
    )
    ws_url = service.url.replace("http", "ws") + f"/api/v1/events?types={types}"
    with (
        connect(f"{ws_url}&token={tenant.tokens['viewer']}") as ws,
        connect(f"{ws_url}&token={other_tenant.tokens['viewer']}") as elsewhere,
    ):
        with tenant.client(service) as admin:
            zone = admin.post("/zones", json={"name": f"Zona {uuid.uuid4().hex[:4]}"}).json()
            camera = admin.post("/cameras", json={"name": "Cam Diretório"})
            moved = admin.patch(f"/cameras/{camera.json()['id']}", json={"zone_id": zone["id"]},
                                headers={"If-Match": camera.headers["etag"]})  # fmt: skip
            assert moved.status_code == 200, moved.text
            gone = admin.delete(f"/cameras/{camera.json()['id']}",
                                headers={"If-Match": moved.headers["etag"]})  # fmt: skip
            assert gone.status_code == 204
            listed = admin.post("/watchlists", json={"name": f"Roubados {uuid.uuid4().hex[:4]}",
                                                     "category": "stolen"})  # fmt: skip
            assert listed.status_code == 201, listed.text
            entries = f"/watchlists/{listed.json()['id']}/entries"
            assert admin.post(entries, json={"pattern": "ABC1D23"}).status_code == 201
            gone = admin.delete(f"/watchlists/{listed.json()['id']}",
                                headers={"If-Match": listed.headers["etag"]})  # fmt: skip
            assert gone.status_code == 204, gone.text
        received = [json.loads(ws.recv(timeout=10)) for _ in range(7)]
        with pytest.raises(TimeoutError):
            elsewhere.recv(timeout=1)
    assert [m["type"] for m in received] == [
        "zone.created", "camera.created", "camera.updated", "camera.deleted",
        "watchlist.created", "watchlist.updated", "watchlist.deleted",
    ]  # fmt: skip
    changes = [DirectoryChange.model_validate(m["data"]) for m in received]
    assert changes[1].name == "Cam Diretório"
    assert changes[2].zone_id == uuid.UUID(zone["id"])
    assert changes[2].fields == ["zone_id"]
    assert received[3]["camera_id"] == camera.json()["id"]
    assert changes[5].kind == "watchlist"
    assert changes[5].fields == ["entries"]
