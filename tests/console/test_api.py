"""The console's service client and event stream against real peers."""

from __future__ import annotations

import asyncio
import contextlib
import json
import threading
import uuid
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import websockets

from gtvision.console.api import LoginRefused, ServiceClient, ServiceUnreachable, SessionExpired
from gtvision.console.events import EventStream, LinkState
from gtvision.console.session import stream_sources
from gtvision.contract import TokenPair
from tests.conftest import PASSWORD, TenantUsers
from tests.console.conftest import Loop
from tests.helpers.live import LiveService
from tests.helpers.media_peers import free_port


def _camera(admin_client: object, name: str, zone_id: str | None = None) -> dict[str, object]:
    body = {
        "name": name,
        "main_profile": {"stream_uri": "rtsp://127.0.0.1:8554/x/main"},
        "sub_profile": {"stream_uri": "rtsp://127.0.0.1:8554/x/sub"},
        **({"zone_id": zone_id} if zone_id else {}),
    }
    response = admin_client.post("/cameras", json=body)  # type: ignore[attr-defined]
    assert response.status_code == 201, response.text
    camera: dict[str, object] = response.json()
    return camera


@pytest.mark.postgres
def test_sign_in_list_cameras_and_streams(
    loop: Loop, service: LiveService, tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin:
        zone = admin.post("/zones", json={"name": "Centro"}).json()
        camera = _camera(admin, "Praça da Sé", str(zone["id"]))

    async def scenario() -> None:
        client = ServiceClient(service.url)
        try:
            me = await client.login(f"operator-{tenant.slug}", PASSWORD)
            assert me.role == "operator"
            cameras = await client.cameras()
            zones = await client.zones()
            assert [c.name for c in cameras] == ["Praça da Sé"]
            assert [z.name for z in zones] == ["Centro"]
            streams = await client.streams(uuid.UUID(str(camera["id"])))
            sub = stream_sources(streams, "sub")
            assert [(s.backend, s.url) for s in sub] == [("rtsp", "rtsp://127.0.0.1:8554/x/sub")]
            assert stream_sources(streams, "main")[0].url.endswith("/x/main")
        finally:
            await client.logout()
            await client.aclose()

    loop.run(scenario())


@pytest.mark.postgres
def test_tokens_are_refreshed_and_a_dead_session_says_so(
    loop: Loop, service: LiveService, tenant: TenantUsers
) -> None:
    async def scenario() -> None:
        client = ServiceClient(service.url)
        await client.login(f"viewer-{tenant.slug}", PASSWORD)
        first = client.access_token
        client._expires_at = 0  # as if the shift went on past the access token's life
        assert (await client.me()).username == f"viewer-{tenant.slug}"
        assert client.access_token != first
        assert client._tokens is not None
        spent = client._tokens.refresh_token
        with tenant.client(service, "viewer") as http:  # end the session elsewhere
            assert http.post("/auth/logout", json={"refresh_token": spent}).status_code == 204
        client._expires_at = 0
        with pytest.raises(SessionExpired, match="session ended"):
            await client.cameras()
        await client.aclose()

    loop.run(scenario())


@pytest.mark.postgres
def test_wrong_password_and_wrong_server_are_told_apart(
    loop: Loop, service: LiveService, tenant: TenantUsers
) -> None:
    async def scenario() -> None:
        client = ServiceClient(service.url)
        with pytest.raises(LoginRefused):
            await client.login(f"operator-{tenant.slug}", "not-the-password")
        await client.aclose()
        nobody = ServiceClient(f"http://127.0.0.1:{free_port()}")
        with pytest.raises(ServiceUnreachable, match="cannot reach the service at http://127"):
            await nobody.login("x", "y")
        await nobody.aclose()

    loop.run(scenario())


def test_event_stream_reconnects_and_resumes_from_the_last_event(loop: Loop) -> None:
    """A real WebSocket server that drops the first connection after one event."""
    seen_queries: list[str] = []
    tenant = str(uuid.uuid4())

    def event(n: int) -> str:
        at = datetime.now(UTC).isoformat()
        body = {"id": str(uuid.UUID(int=n)), "at": at, "type": "plate.read", "tenant_id": tenant}
        return json.dumps({**body, "data": {"plate": f"ABC1D2{n}"}})

    async def handler(socket: websockets.ServerConnection) -> None:
        assert socket.request is not None
        seen_queries.append(socket.request.path)
        assert socket.request.headers["Authorization"] == "Bearer t0k3n"
        if len(seen_queries) == 1:
            await socket.send(event(1))
            await socket.send("{not json")  # ignored, not fatal
            return  # drop the connection
        await socket.send(event(2))
        await socket.wait_closed()

    async def scenario() -> list[str]:
        states: list[str] = []
        async with websockets.serve(handler, "127.0.0.1", 0) as server:
            port = next(iter(server.sockets)).getsockname()[1]

            async def token() -> str:
                return "t0k3n"

            stream = EventStream(
                f"ws://127.0.0.1:{port}/api/v1/events",
                token,
                on_state=lambda state, reason: states.append(state),
            )
            plates = []
            async with contextlib.aclosing(stream.events()) as events:
                async for message in events:
                    plates.append(str(message.data["plate"]))
                    if len(plates) == 2:
                        break
        assert states[:3] == [LinkState.CONNECTING, LinkState.LIVE, LinkState.RECONNECTING]
        return plates

    assert loop.run(scenario(), 30) == ["ABC1D21", "ABC1D22"]
    assert seen_queries[0] == "/api/v1/events"
    assert seen_queries[1] == f"/api/v1/events?since={uuid.UUID(int=1)}"


@pytest.mark.postgres
def test_an_image_is_fetched_once_for_every_window_and_a_429_is_told_in_portuguese(
    loop: Loop, service: LiveService, postgres: object, tenant: TenantUsers, qapp: object
) -> None:
    from gtvision.console.api import RateLimited
    from gtvision.console.app import install_translations
    from tests.helpers.lpr import pending_read, write_reads
    from tests.helpers.postgres import PostgresForTests

    assert isinstance(postgres, PostgresForTests)
    with tenant.client(service) as admin:
        camera = _camera(admin, f"Cache {uuid.uuid4().hex[:4]}")
    read = pending_read(tenant.tenant_id, str(camera["id"]), "CAC1E00")
    write_reads(postgres.url, service.settings.data_dir / "objects", [read])
    crop = f"/api/v1/detections/{read.id}/crop"

    async def scenario() -> None:
        client = ServiceClient(service.url)
        try:
            await client.login(f"viewer-{tenant.slug}", PASSWORD)
            images = await asyncio.gather(*(client.image(crop) for _ in range(5)))
            again = await client.image(crop)  # another dock, later
            assert len({*images, again}) == 1
            assert images[0][:3] == b"\xff\xd8\xff"
            assert client.image_fetches == 1, "five windows asking at once: one request"
        finally:
            await client.logout()
            await client.aclose()

    loop.run(scenario())

    class Busy(BaseHTTPRequestHandler):
        calls = 0

        def do_GET(self) -> None:
            Busy.calls += 1
            wait = "1" if Busy.calls == 1 else "30"  # once briefly, then for too long
            body = b'{"detail": "rate limit exceeded for this user"}'
            self.send_response(429)
            self.send_header("Retry-After", wait)
            self.send_header("Content-Type", "application/problem+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Busy)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    translators = install_translations(qapp, "pt_BR")  # type: ignore[arg-type]

    async def busy() -> None:
        client = ServiceClient(f"http://127.0.0.1:{server.server_port}")
        client._tokens = TokenPair(
            access_token="x", refresh_token="y", expires_in=3600, refresh_expires_in=7200
        )
        client._expires_at = float("inf")
        try:
            with pytest.raises(RateLimited) as refused:
                await client.cameras()
            assert Busy.calls == 2, "waited the Retry-After of 1 s once, not the 30 s"
            assert refused.value.retry_after_s == 30
            assert str(refused.value).startswith("Pedidos demais")
            assert "rate limit exceeded" in str(refused.value)
        finally:
            await client.aclose()

    try:
        loop.run(busy())
    finally:
        for translator in translators:
            qapp.removeTranslator(translator)  # type: ignore[attr-defined]
        server.shutdown()
        server.server_close()
