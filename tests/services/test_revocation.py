"""Revocation takes effect on the next request: a disabled, deleted or demoted user, a changed
password or a deactivated tenant leaves no token with power (API, WebSocket, stream tokens are in
test_media.py), on this instance and on another that only hears of it through NOTIFY."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import psycopg
import pytest
from websockets.exceptions import ConnectionClosedError
from websockets.sync.client import connect

from gtvision.services.auth.revocation import Revocations
from gtvision.services.store.db import Database
from tests.conftest import PASSWORD, TenantUsers
from tests.helpers.live import LiveService, service_settings
from tests.helpers.postgres import PostgresForTests
from tests.helpers.waiting import eventually

NEW_ADMIN = {"username": "", "password": PASSWORD, "role": "admin"}


def _fresh_token(service: LiveService, tenant: TenantUsers, role: str) -> str:
    token: str = service.login(f"{role}-{tenant.slug}", PASSWORD)["access_token"]
    return token


def _new_admin(client: httpx.Client) -> httpx.Response:
    return client.post("/users", json={**NEW_ADMIN, "username": "adm-" + uuid.uuid4().hex[:8]})


def _denied(response: httpx.Response, why: str) -> None:
    assert response.status_code == 401, response.text
    assert why in response.json()["detail"]


def test_a_disabled_admin_s_token_dies_at_once(service: LiveService, tenant: TenantUsers) -> None:
    old = _fresh_token(service, tenant, "admin")
    with service.client(old) as admin:
        assert _new_admin(admin).status_code == 201  # the token works (and is cached)
    with service.client(tenant.tokens["admin"]) as colleague:
        # A second admin of the city disables the first.
        second = _new_admin(colleague).json()
    second_token = service.login(second["username"], PASSWORD)["access_token"]
    with service.client(second_token) as colleague:
        disabled = colleague.patch(f"/users/{tenant.user_ids['admin']}", json={"active": False})
        assert disabled.status_code == 200, disabled.text
    with service.client(old) as admin:
        _denied(_new_admin(admin), "disabled")
        hook = {"url": "https://hooks.example.org/x", "secret": "a-webhook-secret-123"}
        _denied(admin.post("/webhooks", json=hook), "disabled")
        _denied(admin.get("/cameras"), "disabled")


def test_demotion_and_password_change_end_old_tokens(
    service: LiveService, tenant: TenantUsers
) -> None:
    operator_old = _fresh_token(service, tenant, "operator")
    viewer_old = _fresh_token(service, tenant, "viewer")
    with service.client(tenant.tokens["admin"]) as admin:
        demoted = admin.patch(f"/users/{tenant.user_ids['operator']}", json={"role": "viewer"})
        assert demoted.status_code == 200, demoted.text
        changed = admin.patch(
            f"/users/{tenant.user_ids['viewer']}", json={"password": PASSWORD + "-2"}
        )
        assert changed.status_code == 200, changed.text
    with service.client(operator_old) as operator:
        _denied(operator.get("/cameras"), "changed")
    with service.client(viewer_old) as viewer:
        _denied(viewer.get("/cameras"), "changed")
    # A new sign-in gets a token of the new standing.
    demoted_token = _fresh_token(service, tenant, "operator")
    with service.client(demoted_token) as now_viewer:
        assert now_viewer.get("/auth/me").json()["role"] == "viewer"


def test_a_deleted_user_and_a_deactivated_tenant_leave_no_power(
    service: LiveService, tenant: TenantUsers, superadmin_token: str
) -> None:
    viewer_old = _fresh_token(service, tenant, "viewer")
    admin_old = _fresh_token(service, tenant, "admin")
    with service.client(admin_old) as admin:
        assert admin.delete(f"/users/{tenant.user_ids['viewer']}").status_code == 204
    with service.client(viewer_old) as viewer:
        _denied(viewer.get("/cameras"), "no longer exists")
    with service.client(superadmin_token) as root:
        off = root.patch(f"/tenants/{tenant.tenant_id}", json={"active": False})
        assert off.status_code == 200, off.text
    with service.client(admin_old) as admin:
        _denied(admin.get("/cameras"), "tenant is deactivated")
    with service.client(superadmin_token) as root:
        assert root.patch(f"/tenants/{tenant.tenant_id}", json={"active": True}).status_code == 200
    with service.client(admin_old) as admin:
        assert admin.get("/cameras").status_code == 200


def test_an_open_websocket_is_closed_with_the_reason(
    service: LiveService, tenant: TenantUsers
) -> None:
    ws_url = service.url.replace("http", "ws") + "/api/v1/events"
    token = _fresh_token(service, tenant, "viewer")
    with connect(f"{ws_url}?token={token}") as ws:
        with service.client(tenant.tokens["admin"]) as admin:
            off = admin.patch(f"/users/{tenant.user_ids['viewer']}", json={"active": False})
            assert off.status_code == 200
        with pytest.raises(ConnectionClosedError, match="revoked"):
            ws.recv(timeout=10)
        assert ws.close_code == 1008
    # And a new connection with the old token is refused before it opens.
    with pytest.raises(Exception, match="403"), connect(f"{ws_url}?token={token}") as ws:
        ws.recv(timeout=5)


@pytest.fixture
def second_instance(
    postgres: PostgresForTests, service: LiveService, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveService]:
    """Another instance on the same database, as behind a load balancer."""
    settings = service_settings(
        postgres.url, tmp_path_factory.mktemp("second"), lpr_enabled=False, auth_cache_s=300
    )
    with LiveService(settings) as second:
        yield second


def test_another_instance_hears_of_it_through_notify(
    second_instance: LiveService, tenant: TenantUsers, postgres: PostgresForTests
) -> None:
    revocations: Revocations = second_instance.app.state.revocations
    eventually(revocations.listening.is_set, what="the second instance listening")
    token = tenant.tokens["operator"]
    with second_instance.client(token) as operator:
        assert operator.get("/cameras").status_code == 200
        reads = revocations.reads
        assert operator.get("/cameras").status_code == 200
        assert revocations.reads == reads  # answered from its cache
        # The change comes from outside this process, as from a third instance: only the
        # notification can tell the second instance (its cache would hold for 300 s).
        url = postgres.url.replace("postgresql+asyncpg://", "postgresql://")
        operator_id = tenant.user_ids["operator"]
        with psycopg.connect(url) as conn:
            conn.execute(
                "UPDATE admin.users SET active = false, token_epoch = token_epoch + 1 "
                "WHERE id = %s",
                (operator_id,),
            )
            conn.execute("SELECT pg_notify('gtv_auth', %s)", (f"user:{operator_id}",))
        eventually(lambda: operator.get("/cameras").status_code == 401, what="token refused")


def test_nothing_is_cached_while_the_listener_is_down(
    service: LiveService, tenant: TenantUsers
) -> None:
    revocations: Revocations = service.app.state.revocations
    revocations.listening.clear()  # as when the database link drops
    try:
        with service.client(tenant.tokens["viewer"]) as viewer:
            reads = revocations.reads
            for _ in range(3):
                assert viewer.get("/auth/me").status_code == 200
        assert revocations.reads == reads + 3
    finally:
        revocations.listening.set()


def _claims(token: str) -> dict[str, Any]:
    claims: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return claims


def test_tokens_carry_the_epoch_they_were_issued_under(
    service: LiveService, tenant: TenantUsers
) -> None:
    before = _claims(_fresh_token(service, tenant, "viewer"))["ep"]
    with service.client(tenant.tokens["admin"]) as admin:
        admin.patch(f"/users/{tenant.user_ids['viewer']}", json={"password": PASSWORD})
    assert _claims(_fresh_token(service, tenant, "viewer"))["ep"] == before + 1


def test_a_read_overtaken_by_a_revocation_is_not_cached(
    service: LiveService, tenant: TenantUsers, monkeypatch: pytest.MonkeyPatch
) -> None:
    import asyncio

    from gtvision.services.auth import revocation
    from gtvision.services.store import queries

    user = uuid.UUID(tenant.user_ids["viewer"])
    original = queries.user_standing

    async def scenario() -> int:
        database_url = service.settings.database_url
        assert database_url is not None
        checker = revocation.Revocations(Database(database_url.get_secret_value()), cache_s=300)
        checker.listening.set()

        async def slow_read(session: Any, user_id: uuid.UUID) -> Any:
            row = await original(session, user_id)
            checker.forget([f"user:{user_id}"])  # the revocation lands while we read
            return row

        monkeypatch.setattr(queries, "user_standing", slow_read)
        try:
            await checker.reason(user, 0)
            monkeypatch.setattr(queries, "user_standing", original)
            reads = checker.reads
            await checker.reason(user, 0)  # read again: the first answer was not kept
            return checker.reads - reads
        finally:
            await checker.db.dispose()

    assert asyncio.run(scenario()) == 1
