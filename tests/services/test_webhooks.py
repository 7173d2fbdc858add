"""Outbound webhooks against a real HTTP receiver: signed, retried after a failure, per tenant."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.conftest import TenantUsers
from tests.helpers.live import LiveService
from tests.helpers.lpr import pending_read, write_reads
from tests.helpers.postgres import PostgresForTests
from tests.helpers.waiting import eventually

SECRET = "s3cr3t-for-the-city-hall-0001"


class Receiver:
    """Records every POST; answers 500 to the first ``fail_first`` of them."""

    def __init__(self, fail_first: int = 0) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.fail_first = fail_first
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                failing = len(receiver.received) <= receiver.fail_first
                self.send_response(500 if failing else 204)
                self.end_headers()

            def log_message(self, *_: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def accepted(self) -> list[tuple[dict[str, str], bytes]]:
        return self.received[self.fail_first :]


@pytest.fixture
def receivers() -> Iterator[tuple[Receiver, Receiver]]:
    mine, theirs = Receiver(fail_first=1), Receiver()
    yield mine, theirs
    for r in (mine, theirs):
        r.server.shutdown()
        r.server.server_close()


def test_events_reach_the_tenants_webhook_signed_and_retried(
    service: LiveService, postgres: PostgresForTests, tenant: TenantUsers,
    other_tenant: TenantUsers, receivers: tuple[Receiver, Receiver], tmp_path: object,
) -> None:  # fmt: skip
    mine, theirs = receivers
    with tenant.client(service) as admin, other_tenant.client(service) as other:
        bad = admin.post("/webhooks", json={"url": "ftp://x/y", "secret": SECRET})
        assert bad.status_code == 422
        with tenant.client(service, "operator") as operator:
            assert (
                operator.post("/webhooks", json={"url": mine.url, "secret": SECRET}).status_code
                == 403
            )
        created = admin.post("/webhooks", json={
            "url": mine.url, "secret": SECRET, "types": ["plate.read", "alert.raised"],
        })  # fmt: skip
        assert created.status_code == 201, created.text
        assert SECRET not in created.text
        other.post("/webhooks", json={"url": theirs.url, "secret": SECRET + "-other"})
        camera = admin.post("/cameras", json={"name": "Marginal"}).json()["id"]
        wl = admin.post("/watchlists", json={"name": "Roubados", "category": "stolen"}).json()
        admin.post(f"/watchlists/{wl['id']}/entries", json={"pattern": "HOK1A23"})

    read = pending_read(tenant.tenant_id, camera, "HOK1A23")
    assert write_reads(postgres.url, service.settings.data_dir / "objects", [read]) == [True]
    eventually(lambda: len(mine.accepted()) == 2, timeout_s=20, what="both events delivered")

    assert len(mine.received) == 3  # the first attempt got a 500 and was retried
    kinds = sorted(headers["X-GTV-Event"] for headers, _ in mine.accepted())
    assert kinds == ["alert.raised", "plate.read"]
    for headers, body in mine.accepted():
        stamp, _, mac = headers["X-GTV-Signature"].partition(",v1=")
        expected = hmac.new(SECRET.encode(), f"{stamp.removeprefix('t=')}.".encode() + body,
                            hashlib.sha256).hexdigest()  # fmt: skip
        assert hmac.compare_digest(mac, expected)
        event = json.loads(body)
        assert event["tenant_id"] == tenant.tenant_id
        assert event["data"]["plate"] == "HOK1A23"
    assert theirs.received == []  # another tenant's webhook never sees these


def test_a_test_delivery_says_what_the_receiver_answered(
    service: LiveService, tenant: TenantUsers, other_tenant: TenantUsers,
    receivers: tuple[Receiver, Receiver],
) -> None:  # fmt: skip
    mine, _ = receivers  # answers 500 once, then 204
    with tenant.client(service) as admin:
        hook = admin.post("/webhooks", json={"url": mine.url, "secret": SECRET}).json()
        first = admin.post(f"/webhooks/{hook['id']}/test")
        assert first.status_code == 200, first.text
        assert (first.json()["delivered"], first.json()["status_code"]) == (False, 500)
        again = admin.post(f"/webhooks/{hook['id']}/test").json()
        assert (again["delivered"], again["status_code"], again["error"]) == (True, 204, None)
        headers, body = mine.received[-1]
        assert headers["X-GTV-Event"] == "webhook.test"
        stamp, _, mac = headers["X-GTV-Signature"].partition(",v1=")
        expected = hmac.new(SECRET.encode(), f"{stamp.removeprefix('t=')}.".encode() + body,
                            hashlib.sha256).hexdigest()  # fmt: skip
        assert hmac.compare_digest(mac, expected)
        assert json.loads(body)["data"]["webhook_id"] == hook["id"]
        audit = admin.get("/audit", params={"action": "webhook.test"}).json()["items"]
        assert [e["outcome"] for e in audit] == ["failure", "success"]
    with tenant.client(service, "operator") as operator:
        assert operator.post(f"/webhooks/{hook['id']}/test").status_code == 403
    with other_tenant.client(service) as other:
        assert other.post(f"/webhooks/{hook['id']}/test").status_code == 404
