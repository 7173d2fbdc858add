"""Sign-in, lock-out, refresh rotation and revocation against the live service."""

from __future__ import annotations

import logging
import uuid

import httpx
import pytest
from websockets.sync.client import connect

from tests.conftest import PASSWORD, TenantUsers
from tests.helpers.live import LiveService, service_settings
from tests.helpers.lpr import pending_read, write_reads
from tests.helpers.postgres import PostgresForTests


def _login(service: LiveService, username: str, password: str) -> tuple[int, dict[str, object]]:
    with service.client() as client:
        response = client.post("/auth/token", data={"username": username, "password": password})
    return response.status_code, {**response.json(), "_headers": dict(response.headers)}


def test_login_returns_tokens_that_work(service: LiveService, tenant: TenantUsers) -> None:
    status, body = _login(service, f"operator-{tenant.slug}", PASSWORD)
    assert status == 200
    assert body["token_type"] == "bearer"
    assert int(str(body["expires_in"])) > 0
    with service.client(str(body["access_token"])) as client:
        me = client.get("/auth/me").json()
    assert me["username"] == f"operator-{tenant.slug}"
    assert me["tenant_id"] == tenant.tenant_id


def test_wrong_password_and_unknown_user_look_the_same(
    service: LiveService, tenant: TenantUsers
) -> None:
    wrong = _login(service, f"viewer-{tenant.slug}", "wrong-password!")
    unknown = _login(service, "nobody-at-all", "wrong-password!")
    assert wrong[0] == unknown[0] == 401
    assert wrong[1]["detail"] == unknown[1]["detail"]


def test_bad_tokens_are_401(service: LiveService) -> None:
    for token in ("garbage", "a.b.c"):
        with service.client(token) as client:
            response = client.get("/cameras")
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"


def test_repeated_failures_lock_the_account(service: LiveService, tenant: TenantUsers) -> None:
    username = f"viewer-{tenant.slug}"
    limit = service.settings.login_max_failures
    for _ in range(limit):
        assert _login(service, username, "not-the-password")[0] == 401
    status, body = _login(service, username, PASSWORD)  # right password, but locked
    assert status == 429
    headers = body["_headers"]
    assert isinstance(headers, dict)
    assert 0 < int(headers["retry-after"]) <= service.settings.login_lockout_s
    # An admin resetting the password lifts the lock.
    with tenant.client(service) as admin:
        reset = admin.patch(f"/users/{tenant.user_ids['viewer']}", json={"password": PASSWORD})
        assert reset.status_code == 200
    assert _login(service, username, PASSWORD)[0] == 200


def test_refresh_rotates_and_detects_reuse(service: LiveService, tenant: TenantUsers) -> None:
    first = service.login(f"operator-{tenant.slug}", PASSWORD)
    with service.client() as client:
        second = client.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert second.status_code == 200, second.text
        second_tokens = second.json()
        assert second_tokens["refresh_token"] != first["refresh_token"]
        # The first token was single-use: presenting it again is theft...
        replay = client.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})
        assert replay.status_code == 401
        # ...so the whole family is revoked, the legitimate newer token included.
        legit = client.post("/auth/refresh", json={"refresh_token": second_tokens["refresh_token"]})
        assert legit.status_code == 401


def test_logout_revokes_the_refresh_token(service: LiveService, tenant: TenantUsers) -> None:
    tokens = service.login(f"operator-{tenant.slug}", PASSWORD)
    with service.client() as client:
        assert (
            client.post("/auth/logout", json={"refresh_token": tokens["refresh_token"]}).status_code
            == 204
        )
        again = client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert again.status_code == 401


def test_password_change_ends_other_sessions(service: LiveService, tenant: TenantUsers) -> None:
    tokens = service.login(f"operator-{tenant.slug}", PASSWORD)
    mine = f"/users/{tenant.user_ids['operator']}"
    with service.client(tokens["access_token"]) as me:
        # Changing one's own password takes the current one: a stolen session cannot.
        missing = me.patch(mine, json={"password": PASSWORD + "-new"})
        assert missing.status_code == 422
        assert "current_password" in missing.json()["detail"]
        wrong = me.patch(mine, json={"password": PASSWORD + "-new", "current_password": "guess"})
        assert wrong.status_code == 403
        changed = me.patch(mine, json={"password": PASSWORD + "-new", "current_password": PASSWORD})
        assert changed.status_code == 200
    with service.client() as client:
        stale = client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
        assert stale.status_code == 401
    assert _login(service, f"operator-{tenant.slug}", PASSWORD + "-new")[0] == 200


def test_logs_never_contain_passwords_or_tokens(
    service: LiveService, tenant: TenantUsers, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    tokens = service.login(f"admin-{tenant.slug}", PASSWORD)
    _login(service, f"admin-{tenant.slug}", "Wr0ng-Secret-Value")
    with service.client(tokens["access_token"]) as admin:
        admin.post("/cameras", json={"name": "logcam", "password": "Camera-Secret-77"})
        admin.get("/cameras", params={"q": "x"})
    with service.client() as client:
        client.post("/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    # Browsers put a WebSocket's token in the query; uvicorn logs the URL it accepted.
    ws_url = service.url.replace("http", "ws") + "/api/v1/events"
    with connect(f"{ws_url}?types=camera.status&token={tokens['access_token']}"):
        pass
    clients = ("websockets.client", "httpx", "httpcore")  # the test's own side of the wire
    text = "\n".join(
        r.getMessage() + str(r.__dict__) for r in caplog.records if not r.name.startswith(clients)
    )
    assert "token=***" in text  # the WebSocket's acceptance was logged, without its token
    assert "gtvision.access" in {r.name for r in caplog.records}  # the logs were captured
    for secret in (
        PASSWORD,
        "Wr0ng-Secret-Value",
        "Camera-Secret-77",
        tokens["access_token"],
        tokens["refresh_token"],
    ):
        assert secret not in text


def test_rate_limits_answer_429_with_retry_after(
    postgres: PostgresForTests, tenant: TenantUsers, tmp_path_factory: pytest.TempPathFactory
) -> None:
    settings = service_settings(
        postgres.url,
        tmp_path_factory.mktemp("limited"),
        rate_limit_user_per_min=5,
        rate_limit_ip_per_min=12,
    )
    with LiveService(settings) as limited:
        with limited.client(tenant.tokens["viewer"]) as viewer:
            statuses = [viewer.get("/cameras").status_code for _ in range(6)]
            assert statuses == [200] * 5 + [429]
            refused = viewer.get("/cameras")
            assert int(refused.headers["retry-after"]) >= 1
            assert "user" in refused.json()["detail"]
        with limited.client() as anonymous:
            statuses = [anonymous.get("/auth/me").status_code for _ in range(6)]
            # 7 + 6 requests from one address against a limit of 12 per minute.
            assert statuses[-1] == 429
            assert "address" in anonymous.get("/auth/me").json()["detail"]
            assert anonymous.get(limited.url + "/healthz").status_code == 200  # never limited


def test_signed_crop_links_have_their_own_budget(
    postgres: PostgresForTests, tenant: TenantUsers, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A console showing a busy street fetches many crops: the signed links were paid for by
    the authorised requests that issued them, and never trip the per-address limit."""
    settings = service_settings(
        postgres.url, tmp_path_factory.mktemp("links"), rate_limit_ip_per_min=10
    )
    with LiveService(settings) as limited:
        with limited.client(tenant.tokens["admin"]) as admin:
            camera = admin.post("/cameras", json={"name": f"Links {uuid.uuid4().hex[:4]}"})
        read = pending_read(tenant.tenant_id, camera.json()["id"], "LNK1A23")
        write_reads(postgres.url, limited.settings.data_dir / "objects", [read])
        with limited.client(tenant.tokens["viewer"]) as viewer:
            issued = viewer.get(f"/detections/{read.id}/crop", follow_redirects=False)
        assert issued.status_code in (302, 307), issued.text
        link = issued.headers["location"]
        with httpx.Client() as browser:
            fetched = [browser.get(link).status_code for _ in range(30)]  # 3x the address's limit
            assert fetched == [200] * 30
            forged = link.replace("sig=", "sig=x")
            statuses = [browser.get(forged).status_code for _ in range(12)]
            assert statuses[:8] == [403] * 8, "a forged link is refused…"
            assert statuses[-1] == 429, "…and counts against the address, like any request"


def test_signing_in_does_not_make_an_admins_edit_of_the_account_stale(
    service: LiveService, tenant: TenantUsers
) -> None:
    """Last sign-in, failures and locks are bookkeeping, not changes to the account: an admin
    who opened it before the user signed in (or mistyped) can still save."""
    operator_id = tenant.user_ids["operator"]
    with tenant.client(service) as admin:
        opened = admin.get(f"/users/{operator_id}")
        assert opened.status_code == 200, opened.text
        with service.client() as anonymous:
            wrong = {"username": f"operator-{tenant.slug}", "password": "not-the-password"}
            assert anonymous.post("/auth/token", data=wrong).status_code == 401
        service.login(f"operator-{tenant.slug}", PASSWORD)
        after = admin.get(f"/users/{operator_id}").json()
        assert after["last_login_at"] is not None  # recorded…
        assert admin.get(f"/users/{operator_id}").headers["etag"] == opened.headers["etag"]
        saved = admin.patch(f"/users/{operator_id}", json={"full_name": "Ana Lima"},
                            headers={"If-Match": opened.headers["etag"]})  # fmt: skip
        assert saved.status_code == 200, saved.text  # …and the admin's edit still applies
