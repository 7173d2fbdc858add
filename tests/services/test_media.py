"""MediaMTX provisioning and stream access against a spec-validated MediaMTX stand-in."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest

from gtvision.onvif.uris import with_credentials
from gtvision.services.media.mediamtx import MediaMtxClient, MediaMtxError, PathConf
from gtvision.services.media.paths import CameraSource, PathName, desired_paths, plan
from tests.conftest import (
    PASSWORD,
    TenantUsers,
    make_superadmin,
    make_tenant,
)
from tests.helpers.fake_mediamtx import FakeMediaMtx
from tests.helpers.live import LiveService, service_settings
from tests.helpers.postgres import PostgresForTests
from tests.helpers.waiting import eventually

T, C = uuid.UUID(int=1), uuid.UUID(int=2)


# Pure cores ----------------------------------------------------------------------------------


def test_path_names_round_trip_and_foreign_names_are_not_ours() -> None:
    name = PathName(T, C, "sub")
    assert PathName.parse(str(name)) == name
    assert PathName.parse("lobby-camera") is None
    assert PathName.parse(str(name) + "x") is None


def test_credentials_are_percent_encoded_into_the_uri() -> None:
    uri = with_credentials("rtsp://10.0.0.5:554/Streaming/101", "admin", "p@ss:w/rd")
    assert uri == "rtsp://admin:p%40ss%3Aw%2Frd@10.0.0.5:554/Streaming/101"
    assert with_credentials("rtsp://old:x@h/s", "new", None) == "rtsp://new@h/s"
    assert with_credentials("rtsp://h/s", None, "ignored") == "rtsp://h/s"


def test_passwords_are_redacted_from_uris() -> None:
    from gtvision.onvif.uris import redacted

    assert redacted("rtsp://admin:s3cr3t@10.0.0.5/x") == "rtsp://admin:***@10.0.0.5/x"
    assert redacted("rtsp://10.0.0.5/x") == "rtsp://10.0.0.5/x"


def test_plan_adds_replaces_deletes_and_leaves_foreign_paths_alone() -> None:
    desired = desired_paths(
        [
            CameraSource(T, C, {"main": "rtsp://h/main", "sub": "rtsp://h/sub"}, "u", "p"),
        ]
    )
    main, sub = str(PathName(T, C, "main")), str(PathName(T, C, "sub"))
    stale = str(PathName(T, uuid.UUID(int=3), "main"))
    actual = {
        main: desired[main],
        sub: PathConf(name=sub, source="rtsp://old/sub"),
        stale: PathConf(name=stale, source="rtsp://gone"),
        "lobby": PathConf(name="lobby", source="publisher"),
    }
    todo = plan(desired, actual)
    assert todo.add == {}
    assert list(todo.replace) == [sub]
    assert todo.delete == (stale,)
    assert plan(desired, {**actual, sub: desired[sub], stale: desired[main]}).delete == (stale,)
    assert plan(desired, {main: desired[main], sub: desired[sub]}).empty
    assert desired[main].source == "rtsp://u:p@h/main"
    assert desired[main].source_on_demand is True  # heavy: only while someone watches
    assert desired[sub].source_on_demand is False  # always pulled: it tells the health


# Client against the stand-in ---------------------------------------------------------------


@pytest.fixture
def mediamtx(shared_dir: Path) -> Iterator[FakeMediaMtx]:
    fake = FakeMediaMtx(shared_dir / "mediamtx" / "openapi.yaml").start()
    yield fake
    fake.stop()
    assert fake.violations == []


def test_client_speaks_the_control_api(mediamtx: FakeMediaMtx) -> None:
    async def scenario() -> None:
        client = MediaMtxClient(mediamtx.url)
        try:
            conf = PathConf(source="rtsp://127.0.0.1:8554/cam", source_on_demand=True)
            await client.add_path("cam1", conf)
            with pytest.raises(MediaMtxError) as exists:
                await client.add_path("cam1", conf)
            assert exists.value.status == 400
            await client.replace_path("cam1", PathConf(source="rtsp://127.0.0.1:8554/other"))
            await client.patch_path("cam1", {"sourceOnDemand": False})
            listed = await client.list_path_configs()
            assert [(c.name, c.source, c.source_on_demand) for c in listed] == [
                ("cam1", "rtsp://127.0.0.1:8554/other", False)
            ]
            for i in range(120):  # more than one page
                await client.add_path(f"bulk{i}", conf)
            assert len(await client.list_path_configs()) == 121
            mediamtx.online["cam1"] = 4096
            states = {s.name: s for s in await client.list_paths()}
            assert states["cam1"].is_online
            assert states["cam1"].received == 4096
            assert not states["bulk0"].is_online
            await client.delete_path("cam1")
            with pytest.raises(MediaMtxError) as gone:
                await client.delete_path("cam1")
            assert gone.value.status == 404
            assert await client.list_sessions("webrtcsessions") == []
            assert (await client.global_config())["api"] is True
            mediamtx.stop()
            with pytest.raises(MediaMtxError) as down:
                await client.list_paths()
            assert down.value.unreachable
        finally:
            await client.aclose()

    asyncio.run(scenario())


# The service with MediaMTX -------------------------------------------------------------------


@pytest.fixture
def media_service(
    postgres: PostgresForTests, mediamtx: FakeMediaMtx, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveService]:
    settings = service_settings(
        postgres.url,
        tmp_path_factory.mktemp("media"),
        mediamtx_api_url=mediamtx.url,
        mediamtx_rtsp_url="rtsp://media.test:8554",
        mediamtx_hls_url="https://media.test:8888",
        mediamtx_webrtc_url="https://media.test:8889",
        media_poll_interval_s=0.2,
    )
    # The stand-in checks the same API token the service derives from its secret.
    from gtvision.services.auth.keys import Keys

    mediamtx.api_token = Keys(settings.secret_key.get_secret_value().encode()).mediamtx_api_token  # type: ignore[union-attr]
    with LiveService(settings) as live:
        yield live


CAMERA = {
    "name": "Praça da Sé",
    "main_profile": {"stream_uri": "rtsp://127.0.0.1:8554/se/main"},
    "sub_profile": {"stream_uri": "rtsp://127.0.0.1:8554/se/sub"},
    "username": "admin",
    "password": "s3cr3t@cam",
}


def test_cameras_become_paths_and_survive_a_restart(
    media_service: LiveService, mediamtx: FakeMediaMtx
) -> None:
    city = make_tenant(media_service, make_superadmin(media_service))
    with city.client(media_service) as admin:
        camera = admin.post("/cameras", json=CAMERA).json()
        main = str(PathName(uuid.UUID(city.tenant_id), uuid.UUID(camera["id"]), "main"))
        sub = main.removesuffix("main") + "sub"
        eventually(lambda: {main, sub} <= set(mediamtx.paths))
        assert mediamtx.paths[main]["source"] == "rtsp://admin:s3cr3t%40cam@127.0.0.1:8554/se/main"
        assert mediamtx.paths[main]["sourceOnDemand"] is True

        mediamtx.restart()  # forgets every path added through the API
        started = time.monotonic()
        eventually(lambda: {main, sub} <= set(mediamtx.paths), timeout_s=5)
        print(f"paths back {time.monotonic() - started:.2f} s after the restart")

        admin.patch(f"/cameras/{camera['id']}", json={"enabled": False})
        mediamtx.paths["lobby"] = {"name": "lobby", "source": "publisher"}
        eventually(lambda: main not in mediamtx.paths and sub not in mediamtx.paths)
        time.sleep(0.5)  # a few more reconcile rounds
        assert "lobby" in mediamtx.paths  # a path that is not ours is never touched


def test_mediamtx_outage_degrades_readiness_not_the_api(
    media_service: LiveService, mediamtx: FakeMediaMtx
) -> None:
    city = make_tenant(media_service, make_superadmin(media_service))
    probe = httpx.Client(base_url=media_service.url)
    eventually(lambda: probe.get("/readyz").json()["checks"].get("media") == "ok")
    mediamtx.stop()
    with city.client(media_service) as admin:
        camera = admin.post("/cameras", json={**CAMERA, "name": "durante a queda"})
        assert camera.status_code == 201
        eventually(lambda: probe.get("/readyz").json()["checks"]["media"] == "degraded")
        assert probe.get("/readyz").status_code == 200  # the API itself is fine
        mediamtx.start()
        name = str(PathName(uuid.UUID(city.tenant_id), uuid.UUID(camera.json()["id"]), "main"))
        eventually(lambda: name in mediamtx.paths, timeout_s=15)
        eventually(lambda: probe.get("/readyz").json()["checks"]["media"] == "ok")
    probe.close()


def test_stream_urls_and_the_auth_hook(media_service: LiveService, mediamtx: FakeMediaMtx) -> None:
    root = make_superadmin(media_service)
    city, other = make_tenant(media_service, root), make_tenant(media_service, root)
    with city.client(media_service) as admin:
        camera = admin.post("/cameras", json=CAMERA).json()
    with other.client(media_service) as b_admin:
        b_camera = b_admin.post("/cameras", json={**CAMERA, "name": "B"}).json()
    with city.client(media_service, "viewer") as viewer:
        streams = viewer.get(f"/cameras/{camera['id']}/streams").json()
        assert viewer.get(f"/cameras/{b_camera['id']}/streams").status_code == 404
    assert streams["mode"] == "mediamtx"
    token = streams["token"]
    main = str(PathName(uuid.UUID(city.tenant_id), uuid.UUID(camera["id"]), "main"))
    assert streams["main"]["webrtc"] == f"https://media.test:8889/{main}/whep?token={token}"
    assert streams["main"]["hls"].startswith(f"https://media.test:8888/{main}/index.m3u8")
    assert streams["sub"]["rtsp"].startswith("rtsp://media.test:8554/t")
    assert "s3cr3t" not in str(streams)

    b_main = str(PathName(uuid.UUID(other.tenant_id), uuid.UUID(b_camera["id"]), "main"))
    hook = httpx.Client(base_url=media_service.url + "/api/v1/media")

    def ask(**fields: str) -> int:
        body = {"action": "read", "protocol": "webrtc", "ip": "10.1.2.3", "path": main, **fields}
        return hook.post("/auth", json=body).status_code

    assert ask(token=token) == 200
    assert ask(query=f"token={token}", protocol="rtsp") == 200  # RTSP carries it in the query
    assert ask(user="any", password=token, protocol="hls") == 200
    assert ask() == 401  # no credentials yet: RTSP clients then send them
    assert ask(token=token[:-2] + "xx") == 401  # forged
    assert ask(token=token, path=b_main) == 401  # another tenant's camera
    assert ask(token=token, action="publish") == 401
    assert hook.post("/auth", json={"action": "api", "token": "guess"}).status_code == 401
    api_token = mediamtx.api_token or ""
    assert hook.post("/auth", json={"action": "api", "token": api_token}).status_code == 200
    hook.close()

    with city.client(media_service) as admin:
        views = admin.get("/audit", params={"action": "stream.view", "limit": 100}).json()["items"]
        urls = admin.get("/audit", params={"action": "stream.urls"}).json()["items"]
    outcomes = sorted(v["outcome"] for v in views)
    assert outcomes.count("success") == 1  # one view per token and path, however many requests
    assert "denied" in outcomes
    assert urls[0]["username"] == f"viewer-{city.slug}"


def test_direct_mode_hands_out_the_cameras_own_urls(
    service: LiveService, tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin:
        camera = admin.post("/cameras", json=CAMERA).json()
        streams = admin.get(f"/cameras/{camera['id']}/streams").json()
    assert streams["mode"] == "direct"
    assert streams["token"] is None
    assert streams["main"] == {
        "webrtc": None,
        "hls": None,
        "rtsp": "rtsp://admin:s3cr3t%40cam@127.0.0.1:8554/se/main",
    }
    assert streams["credentials_withheld"] is False
    # A viewer never learns the camera's password: the URL comes without it.
    with tenant.client(service, "viewer") as viewer:
        theirs = viewer.get(f"/cameras/{camera['id']}/streams").json()
    assert theirs["main"]["rtsp"] == "rtsp://127.0.0.1:8554/se/main"
    assert theirs["credentials_withheld"] is True
    assert "s3cr3t" not in str(theirs)


def test_generated_mediamtx_config_uses_only_keys_mediamtx_knows(
    shared_dir: Path, tmp_path: Path
) -> None:
    """Every key and value type must exist in MediaMTX's own reference configuration."""
    import subprocess
    import sys

    import yaml

    out = tmp_path / "mediamtx.yml"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "gtvision.services.cli",
            "--data-dir",
            str(tmp_path),
            "mediamtx-config",
            "-o",
            str(out),
        ],
        check=True,
        capture_output=True,
        env={
            "PATH": "/usr/bin:/bin",
            "GTV_MEDIAMTX_API_URL": "http://127.0.0.1:9997",
            "GTV_MEDIAMTX_WEBRTC_URL": "https://video.campinas.sp.gov.br:8889",
        },
    )
    ours = yaml.safe_load(out.read_text())
    reference = yaml.safe_load((shared_dir / "mediamtx" / "mediamtx.yml").read_text())

    def check(mine: dict[str, object], theirs: dict[str, object], where: str) -> None:
        for key, value in mine.items():
            assert key in theirs, f"{where}{key} is not a MediaMTX setting"
            known = theirs[key]
            if isinstance(value, dict) and key != "paths":
                assert isinstance(known, dict), f"{where}{key}"
                check(value, known, f"{where}{key}.")
            elif known is not None and value is not None:
                assert type(value) is type(known), f"{where}{key}: {value!r} vs {known!r}"

    check(ours, reference, "")
    assert ours["authMethod"] == "http"
    assert ours["authHTTPAddress"].endswith("/api/v1/media/auth")
    assert ours["hlsVariant"] == "lowLatency"
    assert ours["webrtcAdditionalHosts"] == ["video.campinas.sp.gov.br"]
    assert ours["pathDefaults"]["recordFormat"] == "fmp4"


def test_assess_health_from_path_state() -> None:
    from gtvision.contract import CameraStatus
    from gtvision.services.media.health import assess
    from gtvision.services.media.mediamtx import PathState

    flowing = PathState(name="p", online=True, inboundBytes=2000)
    assert assess(None, None) is CameraStatus.OFFLINE
    assert assess(PathState(name="p", online=False), 10) is CameraStatus.OFFLINE
    assert assess(flowing, None) is CameraStatus.ONLINE
    assert assess(flowing, 1000) is CameraStatus.ONLINE
    assert assess(flowing, 2000) is CameraStatus.DEGRADED  # online, but nothing new arrived
    assert assess(PathState(name="p", ready=True, bytesReceived=5), 1) is CameraStatus.ONLINE


def test_camera_status_events_over_websocket(
    media_service: LiveService, mediamtx: FakeMediaMtx
) -> None:
    import json

    from websockets.sync.client import connect

    root = make_superadmin(media_service)
    city, other = make_tenant(media_service, root), make_tenant(media_service, root)
    ws_url = media_service.url.replace("http", "ws") + "/api/v1/events"
    camera: dict[str, Any] = {}

    def next_status(ws: Any) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(ws.recv(timeout=10))
        assert message["type"] == "camera.status"
        assert message["camera_id"] == camera["id"]
        return message

    with (
        connect(f"{ws_url}?token={city.tokens['viewer']}&types=camera.status") as ws,
        connect(
            ws_url, additional_headers={"Authorization": f"Bearer {other.tokens['admin']}"}
        ) as other_ws,
    ):
        # The camera is made once both are listening: its first status follows at once.
        with city.client(media_service) as admin:
            camera = admin.post("/cameras", json=CAMERA).json()
        sub = str(PathName(uuid.UUID(city.tenant_id), uuid.UUID(camera["id"]), "sub"))
        eventually(lambda: sub in mediamtx.paths)
        first = next_status(ws)
        assert first["data"]["status"] == "offline"  # pulled, but no source yet
        mediamtx.online[sub] = 1000
        stop = threading.Event()

        def flow() -> None:  # bytes keep arriving while the camera is healthy
            while not stop.wait(0.05):
                mediamtx.online[sub] = mediamtx.online.get(sub, 0) + 1000

        feeder = threading.Thread(target=flow, daemon=True)
        feeder.start()
        online = next_status(ws)
        assert online["data"] == {"status": "online", "previous": "offline", "name": CAMERA["name"]}
        stop.set()
        feeder.join()
        assert next_status(ws)["data"]["status"] == "degraded"  # online but frozen
        mediamtx.online.pop(sub)
        last = next_status(ws)
        assert last["data"]["status"] == "offline"
        with pytest.raises(TimeoutError):
            other_ws.recv(timeout=0.5)  # another tenant hears nothing of it

    with city.client(media_service) as admin:
        assert admin.get(f"/cameras/{camera['id']}").json()["status"] == "offline"
    metrics = httpx.get(media_service.url + "/metrics").text
    assert 'gtv_cameras{status="offline"}' in metrics
    # A client that reconnects resumes after the last event it saw.
    with connect(f"{ws_url}?token={city.tokens['viewer']}&since={first['id']}") as ws:
        replayed = [json.loads(ws.recv(timeout=5))["data"]["status"] for _ in range(3)]
    assert replayed == ["online", "degraded", "offline"]
    with pytest.raises(Exception, match="403"), connect(f"{ws_url}?token=forged") as ws:
        ws.recv(timeout=5)


def test_expired_stream_tokens_are_refused_and_audited(
    media_service: LiveService, mediamtx: FakeMediaMtx
) -> None:
    from gtvision.services.auth.keys import Keys
    from gtvision.services.media.tokens import StreamGrant, issue_stream_token

    city = make_tenant(media_service, make_superadmin(media_service))
    with city.client(media_service) as admin:
        camera = admin.post("/cameras", json=CAMERA).json()
    secret = media_service.settings.secret_key
    assert secret is not None
    grant = StreamGrant(uuid.UUID(city.tenant_id), uuid.UUID(camera["id"]), None, "x", "jti1")
    expired, _ = issue_stream_token(grant, Keys(secret.get_secret_value().encode()).stream_key, -5)
    path = str(PathName(grant.tenant_id, grant.camera_id, "main"))
    refused = httpx.post(
        media_service.url + "/api/v1/media/auth",
        json={"action": "read", "path": path, "token": expired, "protocol": "hls"},
    )
    assert refused.status_code == 401
    with city.client(media_service) as admin:
        denied = admin.get("/audit", params={"action": "stream.view"}).json()["items"]
    assert denied[0]["outcome"] == "denied"
    assert "expired" in denied[0]["detail"]["reason"]


def test_reconciler_rides_out_mediamtx_errors(
    media_service: LiveService, mediamtx: FakeMediaMtx
) -> None:
    city = make_tenant(media_service, make_superadmin(media_service))
    mediamtx.fail_next.extend([500, 500, 500])  # MediaMTX answers errors for a while
    with city.client(media_service) as admin:
        camera = admin.post("/cameras", json=CAMERA).json()
    name = str(PathName(uuid.UUID(city.tenant_id), uuid.UUID(camera["id"]), "main"))
    eventually(lambda: name in mediamtx.paths, timeout_s=15)
    assert mediamtx.fail_next == []


def test_stream_tokens_die_with_their_user_s_standing(
    media_service: LiveService, mediamtx: FakeMediaMtx
) -> None:
    city = make_tenant(media_service, make_superadmin(media_service))
    with city.client(media_service) as admin:
        camera = admin.post("/cameras", json=CAMERA).json()
    viewer_token = media_service.login(f"viewer-{city.slug}", PASSWORD)["access_token"]
    with media_service.client(viewer_token) as viewer:
        token = viewer.get(f"/cameras/{camera['id']}/streams").json()["token"]
    main = str(PathName(uuid.UUID(city.tenant_id), uuid.UUID(camera["id"]), "main"))
    body = {"action": "read", "protocol": "webrtc", "ip": "10.1.2.3", "path": main, "token": token}
    with httpx.Client(base_url=media_service.url + "/api/v1/media") as hook:
        assert hook.post("/auth", json=body).status_code == 200
        with city.client(media_service) as admin:
            off = admin.patch(f"/users/{city.user_ids['viewer']}", json={"active": False})
            assert off.status_code == 200
        assert hook.post("/auth", json=body).status_code == 401
    with city.client(media_service) as admin:
        views = admin.get("/audit", params={"action": "stream.view", "limit": 100}).json()["items"]
    assert any("revoked" in str(v["detail"].get("reason", "")) for v in views), views


def test_the_hook_is_for_mediamtx_only(service: LiveService) -> None:
    # Direct mode: no MediaMTX, so nobody may call the hook (it would be a token oracle).
    body = {"action": "read", "protocol": "rtsp", "ip": "10.1.2.3", "path": "x", "token": "x"}
    refused = httpx.post(service.url + "/api/v1/media/auth", json=body)
    assert refused.status_code == 403, refused.text
    assert "MediaMTX" in refused.json()["detail"]


def test_a_flood_of_garbage_tokens_is_held_off_and_audited_once(
    media_service: LiveService, mediamtx: FakeMediaMtx
) -> None:
    city = make_tenant(media_service, make_superadmin(media_service))
    with city.client(media_service) as admin:
        camera = admin.post("/cameras", json=CAMERA).json()
    main = str(PathName(uuid.UUID(city.tenant_id), uuid.UUID(camera["id"]), "main"))
    flooder = "198.51.100." + str(uuid.uuid4().int % 250 + 1)
    codes: list[int] = []
    with httpx.Client(base_url=media_service.url + "/api/v1/media") as hook:
        for n in range(300):
            body = {"action": "read", "protocol": "rtsp", "ip": flooder, "path": main,
                    "token": f"garbage-{n}"}  # fmt: skip
            codes.append(hook.post("/auth", json=body).status_code)
        limit = media_service.settings.media_hook_denials_per_min
        # Past the limit a denial holds the source off: the rest are answered without looking.
        assert codes[: limit + 1] == [401] * (limit + 1)
        assert codes[limit + 1] == 429
        assert codes.count(401) <= 2 * (limit + 1)  # a new minute's window lets more through
        # Another viewer behind the same MediaMTX is not held off by the flooder.
        viewer = media_service.login(f"viewer-{city.slug}", PASSWORD)["access_token"]
        with media_service.client(viewer) as client:
            token = client.get(f"/cameras/{camera['id']}/streams").json()["token"]
        ok = {"action": "read", "protocol": "rtsp", "ip": "10.1.2.4", "path": main, "token": token}
        assert hook.post("/auth", json=ok).status_code == 200
    url = media_service.settings.database_url
    assert url is not None
    dsn = url.get_secret_value().replace("postgresql+asyncpg://", "postgresql://")
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(
            "SELECT count(*) FROM admin.audit_log WHERE source_ip = %s", (flooder,)
        ).fetchone()
    assert rows is not None
    assert 1 <= rows[0] <= 2  # one per minute (two if the flood straddled a minute)
