"""What an outside probe found: forwarded headers believed from anyone, webhooks aimed inside
the city's network. Each test failed before its fix."""

from __future__ import annotations

import asyncio
import ipaddress
import json
import stat
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from gtvision.services.webhooks.targets import ForbiddenTargetError, refusal, resolve_target
from tests.conftest import PASSWORD, TenantUsers, make_superadmin, make_tenant
from tests.helpers.live import LiveService, service_settings
from tests.helpers.lpr import pending_read, write_reads
from tests.helpers.postgres import PostgresForTests
from tests.helpers.waiting import eventually
from tests.services.test_webhooks import SECRET, Receiver

FORGED = "203.0.113.77"


def _login_sources(service: LiveService, tenant: TenantUsers, username: str) -> list[str]:
    with tenant.client(service) as admin:
        rows = admin.get("/audit", params={"action": "auth.login", "limit": 100}).json()["items"]
    return [r["source_ip"] for r in rows if r["username"] == username]


def test_forwarded_for_is_not_believed_by_default(
    service: LiveService, tenant: TenantUsers
) -> None:
    username = f"viewer-{tenant.slug}"
    with service.client() as client:
        client.post(
            "/auth/token",
            data={"username": username, "password": "wrong-password!"},
            headers={"X-Forwarded-For": FORGED},
        )
    assert _login_sources(service, tenant, username) == ["127.0.0.1"]


@pytest.fixture
def behind_proxy(
    postgres: PostgresForTests, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveService]:
    settings = service_settings(
        postgres.url,
        tmp_path_factory.mktemp("proxied"),
        lpr_enabled=False,
        trusted_proxies=["127.0.0.1/32"],
    )
    with LiveService(settings) as service:
        yield service


def test_forwarded_for_is_believed_from_a_trusted_proxy(behind_proxy: LiveService) -> None:
    tenant = make_tenant(behind_proxy, make_superadmin(behind_proxy))
    username = f"viewer-{tenant.slug}"
    with behind_proxy.client() as client:
        client.post(
            "/auth/token",
            data={"username": username, "password": "wrong-password!"},
            headers={"X-Forwarded-For": FORGED},
        )
    assert _login_sources(behind_proxy, tenant, username) == [FORGED]


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.2:5432/",  # loopback outside the tests' allowed 127.0.0.1/32
        "http://[::1]:9997/v3/config/global/get",
        "http://10.20.30.40/hook",
        "http://192.168.0.10/hook",
        "http://100.64.0.1/hook",  # carrier-grade NAT
        "http://224.0.0.251/hook",
        "http://0.0.0.0:8080/hook",
        "http://[::ffff:169.254.169.254]/",  # IPv4-mapped IPv6
        "http://[fd00::1]/hook",
    ],
)
def test_webhooks_cannot_target_internal_addresses(
    service: LiveService, tenant: TenantUsers, url: str
) -> None:
    with tenant.client(service) as admin:
        created = admin.post("/webhooks", json={"url": url, "secret": SECRET})
        assert created.status_code == 422, created.text
        assert "webhook_allowed_networks" in created.json()["detail"]


def test_a_webhook_s_url_cannot_be_changed_to_an_internal_one(
    service: LiveService, tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin:
        # A public literal (no lookup), inactive: nothing is ever sent to it.
        public = {"url": "https://8.8.8.8/x", "secret": SECRET, "active": False}
        made = admin.post("/webhooks", json=public)
        assert made.status_code == 201, made.text
        moved = admin.patch(
            f"/webhooks/{made.json()['id']}", json={"url": "http://169.254.169.254/"}
        )
        assert moved.status_code == 422, moved.text


def test_the_address_check_itself() -> None:
    allowed = [ipaddress.ip_network("10.9.0.0/16")]
    assert refusal(ipaddress.ip_address("8.8.8.8"), allowed) is None
    assert refusal(ipaddress.ip_address("10.9.1.2"), allowed) is None  # listed
    assert refusal(ipaddress.ip_address("10.8.1.2"), allowed) == "a private address"
    assert "link-local" in str(refusal(ipaddress.ip_address("fe80::1"), allowed))


def test_delivery_goes_to_the_address_it_checked() -> None:
    target = asyncio.run(resolve_target("https://user:pw@8.8.8.8:8443/x?y=1", []))
    assert target.url == "https://user:pw@8.8.8.8:8443/x?y=1"
    assert target.host_header == "8.8.8.8:8443"
    named = asyncio.run(
        resolve_target(
            "http://localhost:9/x",
            [ipaddress.ip_network("::1/128"), ipaddress.ip_network("127.0.0.1/32")],
        )
    )
    assert (named.host, named.host_header) == ("localhost", "localhost:9")
    assert named.address in ("127.0.0.1", "::1")
    assert "localhost" not in named.url
    with pytest.raises(ForbiddenTargetError, match="loopback"):
        asyncio.run(resolve_target("http://localhost:9/x", []))


@pytest.fixture
def closed_service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveService]:
    """Webhooks allowed nowhere inside, not even the test receivers' 127.0.0.1; its own
    database, since every instance on a database sends that database's deliveries."""
    postgres = PostgresForTests()
    postgres.start()
    settings = service_settings(
        postgres.url,
        tmp_path_factory.mktemp("closed"),
        lpr_enabled=False,
        webhook_allowed_networks=[],
    )
    try:
        with LiveService(settings) as service:
            yield service
    finally:
        postgres.close()


def test_a_name_that_resolves_inside_at_delivery_is_refused(closed_service: LiveService) -> None:
    receiver = Receiver()
    city = make_tenant(closed_service, make_superadmin(closed_service))
    try:
        # As if the name had resolved to a public address when it was saved and to loopback now
        # (DNS rebinding): the row is written directly, past the check at save time.
        database_url = closed_service.settings.database_url
        assert database_url is not None
        url = database_url.get_secret_value().replace("postgresql+asyncpg://", "postgresql://")
        with psycopg.connect(url) as conn:
            webhook_id = conn.execute(
                "INSERT INTO admin.webhooks"
                " (id, tenant_id, url, secret_encrypted, types, active, version)"
                " VALUES (%s, %s, %s, %s, %s, true, 1) RETURNING id",
                (
                    uuid.uuid4(),
                    city.tenant_id,
                    receiver.url.replace("127.0.0.1", "localhost"),
                    closed_service.app.state.runtime.keys.encrypt(SECRET),
                    json.dumps([]),
                ),
            ).fetchone()
        assert webhook_id is not None
        with city.client(closed_service) as admin:
            camera = admin.post("/cameras", json={"name": "Marginal"}).json()["id"]
        read = pending_read(city.tenant_id, camera, "HOK1A23")
        objects = closed_service.settings.data_dir / "objects"
        assert write_reads(url, objects, [read]) == [True]

        def refused() -> bool:
            with psycopg.connect(url) as conn:
                row = conn.execute(
                    "SELECT last_error FROM admin.webhook_deliveries WHERE webhook_id = %s",
                    (webhook_id[0],),
                ).fetchone()
            return row is not None and "refused" in str(row[0])

        eventually(refused, timeout_s=15, what="a refused delivery")
        assert receiver.received == []
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


@pytest.mark.parametrize(
    "path",
    [
        "/zones?q=%00",
        "/users?q=a%00b",
        "/cameras?q=%00",
        "/watchlists?q=%00",
        "/alerts?plate=%00",
        "/audit?action=%00",
        "/tenants?q=%00",
        "/detections?plate=AB%00",
    ],
)
def test_nul_in_any_filter_is_a_422(service: LiveService, tenant: TenantUsers, path: str) -> None:
    with tenant.client(service) as admin:
        response = admin.get(path)
    assert response.status_code == 422, response.text
    assert "NUL" in response.json()["detail"]


def test_times_without_a_zone_are_refused_not_a_500(
    service: LiveService, tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin:
        camera = admin.post("/cameras", json={"name": "Sem fuso"}).json()["id"]
        for path in (
            f"/cameras/{camera}/recordings",
            "/detections",
            "/alerts",
            "/audit",
        ):
            response = admin.get(
                path, params={"from": "2026-12-02T00:00:00", "to": "2026-12-02T01:00:00Z"}
            )
            assert response.status_code == 422, (path, response.text)
            assert "from" in response.json()["detail"]


def test_concurrent_deletes_of_one_row_are_one_204_and_404s(
    service: LiveService, tenant: TenantUsers
) -> None:
    import concurrent.futures

    def delete(zone: str) -> int:
        with tenant.client(service) as admin:
            return admin.delete(f"/zones/{zone}").status_code

    with tenant.client(service) as admin:
        for _ in range(5):
            zone = admin.post("/zones", json={"name": "Z" + uuid.uuid4().hex[:6]}).json()["id"]
            with concurrent.futures.ThreadPoolExecutor(4) as pool:
                codes = sorted(pool.map(delete, [zone] * 4))
            assert codes == [204, 404, 404, 404], codes


def test_a_signed_link_with_a_non_ascii_signature_is_refused(service: LiveService) -> None:
    import httpx

    response = httpx.get(
        service.url + "/api/v1/objects/crops/x.jpg", params={"sig": "ä", "expires": 4294967295}
    )
    assert 400 <= response.status_code < 500, response.text


@pytest.mark.parametrize("address", [":U", "127.0.0.1:notaport", "[::1", "http://"])
def test_malformed_camera_addresses_are_a_422(
    service: LiveService, tenant: TenantUsers, address: str
) -> None:
    with tenant.client(service) as admin:
        response = admin.post("/cameras/from-onvif", json={"address": address}, timeout=30)
    assert response.status_code == 422, response.text


def test_discovery_on_an_unknown_interface_is_a_422(
    service: LiveService, tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin:
        response = admin.post("/cameras/discover", json={"interfaces": [".exe"]}, timeout=30)
    assert response.status_code == 422, response.text


def test_csv_exports_cannot_carry_spreadsheet_formulas(
    service: LiveService, tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin:
        wl = admin.post("/watchlists", json={"name": "Fórmulas", "category": "stolen"}).json()
        for n, reason in enumerate(('=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "ok")):
            entry = {"pattern": f"ABC1D2{n}", "reason": reason}
            assert admin.post(f"/watchlists/{wl['id']}/entries", json=entry).status_code == 201
        exported = admin.get(f"/watchlists/{wl['id']}/entries/export")
        assert exported.status_code == 200, exported.text
    reasons = [line.split(",", 1)[1] for line in exported.text.splitlines()[1:]]
    assert all(not r.lstrip('"').startswith(("=", "+", "-", "@")) for r in reasons), reasons
    assert any(r.lstrip('"').startswith("'=HYPERLINK") for r in reasons), reasons


def test_objects_on_disk_are_owner_only(tmp_path: Path) -> None:
    from gtvision.services.objects.store import LocalObjectStore

    store = LocalObjectStore(tmp_path / "objects", b"k" * 32, "http://127.0.0.1")
    asyncio.run(store.put("crops/2026/12/02/a.jpg", b"jpeg", "image/jpeg"))
    written = store.path("crops/2026/12/02/a.jpg")
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert stat.S_IMODE(written.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "objects").stat().st_mode) == 0o700


def test_a_stranger_s_guesses_lock_out_the_stranger_not_the_owner(
    behind_proxy: LiveService,
) -> None:
    # Behind a trusted proxy, X-Forwarded-For names each client: one guesser, one owner.
    tenant = make_tenant(behind_proxy, make_superadmin(behind_proxy))
    username = f"operator-{tenant.slug}"

    def sign_in(password: str, source: str) -> int:
        with behind_proxy.client() as client:
            return client.post(
                "/auth/token",
                data={"username": username, "password": password},
                headers={"X-Forwarded-For": source},
            ).status_code

    limit = behind_proxy.settings.login_max_failures
    assert [sign_in("guess-guess-guess", "203.0.113.66") for _ in range(limit)] == [401] * limit
    assert sign_in(PASSWORD, "203.0.113.66") == 429  # even with the right password, from there
    assert sign_in(PASSWORD, "198.51.100.7") == 200  # the owner, elsewhere, gets in
    assert sign_in(PASSWORD, "203.0.113.66") == 429  # and the stranger's lock stays


def test_an_account_guessed_at_from_everywhere_is_slowed_not_locked() -> None:
    from gtvision.services.auth.service import slowdown_s
    from gtvision.services.settings import Settings

    settings = Settings(login_max_failures=5, login_slowdown_max_s=10)
    assert [slowdown_s(n, settings) for n in (0, 4, 5, 6, 7, 9, 40)] == [
        0.0, 0.0, 0.25, 0.5, 1.0, 4.0, 10.0
    ]  # fmt: skip


def test_values_of_the_wrong_type_are_refused_not_converted(
    service: LiveService, tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin:
        for path in ("/detections", "/alerts", "/audit"):
            response = admin.get(path, params={"to": "0.5"})  # once: 1970-01-01T00:00:00.5
            assert response.status_code == 422, (path, response.text)
        for path, body in (
            ("/zones", {"name": "Z1", "latitude": 0.0, "longitude": False}),
            ("/watchlists", {"name": "W1", "category": "other", "active": 0}),
            # a nested body too (found by the stateful fuzzer: fps true was stored as 1.0)
            ("/cameras", {"name": "C1", "sub_profile": {"fps": True, "stream_uri": "rtsp://h/s"}}),
        ):
            response = admin.post(path, json=body)
            assert response.status_code == 422, (path, response.text)
        wl = admin.post("/watchlists", json={"name": "W2", "category": "other"}).json()
        entry = {"pattern": "ABC*", "expires_at": 0}
        refused = admin.post(f"/watchlists/{wl['id']}/entries", json=entry)
        assert refused.status_code == 422, refused.text
        assert "ISO 8601" in refused.text
        # The right types still pass.
        ok = admin.post("/zones", json={"name": "Z2", "latitude": -22.9, "longitude": -47})
        assert ok.status_code == 201, ok.text


def test_a_path_that_names_no_resource_is_405_with_the_whole_allow(
    service: LiveService, tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin:
        wl = admin.post("/watchlists", json={"name": "W3", "category": "other"}).json()
        # /entries/export is not /entries/{entry_id}: PATCH is not a method of it.
        patched = admin.patch(f"/watchlists/{wl['id']}/entries/export", json={})
        assert patched.status_code == 405, patched.text
        assert patched.headers["allow"] == "GET"
        options = admin.options("/zones")
        assert options.status_code == 405
        assert options.headers["allow"] == "GET, POST"


def test_a_url_that_grows_past_its_column_when_normalised_is_a_422(
    service: LiveService, tenant: TenantUsers
) -> None:
    # 2,048 characters as typed, 2,049 once normalised (a "/" added): once a 500 from the
    # database, whose column holds 2,048.
    host = ""
    while len("https://" + host) < 2048 - 64:
        host += "a" * 63 + "."
    url = "https://" + host + "b" * (2048 - len("https://" + host))
    assert len(url) == 2048
    with tenant.client(service) as admin:
        response = admin.post("/cameras", json={"name": "Longa", "onvif_url": url})
    assert response.status_code == 422, response.text
    assert "once normalised" in response.text


def test_an_import_without_a_body_is_a_422(service: LiveService, tenant: TenantUsers) -> None:
    with tenant.client(service) as admin:
        wl = admin.post("/watchlists", json={"name": "W4", "category": "other"}).json()
        response = admin.post(f"/watchlists/{wl['id']}/entries/import")
    assert response.status_code == 422, response.text
    assert "request body" in response.json()["detail"]


def test_an_import_whose_header_names_no_pattern_is_refused_whole(
    service: LiveService, tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin:
        wl = admin.post("/watchlists", json={"name": "W5", "category": "other"}).json()
        bodies = ("2.2359973541317416e+16", "plate,reason\nABC1D23,x\n", "pattern,color\n",
                  "\x12ö\r¹\x0b")  # the last one not CSV at all: once a 500  # fmt: skip
        for body in bodies:
            response = admin.post(
                f"/watchlists/{wl['id']}/entries/import",
                content=body.encode(),
                headers={"Content-Type": "text/csv"},
            )
            assert response.status_code == 422, (body, response.text)
            assert "CSV line 1" in response.json()["detail"]
