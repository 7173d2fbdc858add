"""PTZ through the service against the ipycam virtual camera, checked on the camera's side."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import TenantUsers
from tests.helpers.live import LiveService
from tests.helpers.media_peers import VirtualCamera
from tests.helpers.waiting import eventually

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def camera() -> Iterator[VirtualCamera]:
    with VirtualCamera(password="ptz-api-pass") as cam:
        yield cam


def pan_tilt(camera: VirtualCamera) -> tuple[float, float]:
    status = httpx.get(
        f"http://{camera.address}/api/ptz", auth=("admin", "ptz-api-pass"), timeout=5
    ).json()
    return float(status["pan"]), float(status["tilt"])


def test_operators_drive_ptz_and_a_lost_stop_is_covered(
    service: LiveService, tenant: TenantUsers, camera: VirtualCamera
) -> None:
    with tenant.client(service) as admin:
        made = admin.post(
            "/cameras/from-onvif",
            json={"address": camera.address, "username": "admin", "password": "ptz-api-pass"},
            timeout=30,
        )
        assert made.status_code == 201, made.text
        cam = made.json()["id"]
        plain = admin.post("/cameras", json={"name": "Fixa"}).json()["id"]

    with tenant.client(service, "operator") as operator, tenant.client(service, "viewer") as viewer:
        url = f"/cameras/{cam}/ptz"
        moved = operator.post(url, json={"action": "absolute", "pan": 0.5, "tilt": -0.25})
        assert moved.status_code == 200, moved.text
        eventually(lambda: abs(pan_tilt(camera)[0] - 0.5) < 0.05)
        assert operator.post(url, json={"action": "home"}).status_code == 200
        eventually(lambda: abs(pan_tilt(camera)[0]) < 0.05)

        # A continuous move whose "stop" never comes ends by itself after duration_s.
        go = {"action": "continuous", "pan": 0.8, "duration_s": 0.5}
        assert operator.post(url, json=go).status_code == 200
        eventually(lambda: pan_tilt(camera)[0] > 0.1)
        time.sleep(1.0)
        settled = pan_tilt(camera)[0]
        time.sleep(0.4)
        assert abs(pan_tilt(camera)[0] - settled) < 0.02

        assert viewer.post(url, json={"action": "home"}).status_code == 403
        missing = operator.post(url, json={"action": "goto_preset"})
        assert missing.status_code == 422  # a preset move without a preset
        fixed = operator.post(f"/cameras/{plain}/ptz", json={"action": "home"})
        assert fixed.status_code == 422
        assert "has no PTZ" in fixed.json()["detail"]
        # ipycam answers GetPresets with XML it cannot have meant: "not supported", with where.
        presets = operator.get(f"/cameras/{cam}/ptz/presets")
        assert presets.status_code == 422
        assert camera.address.split(":")[0] in presets.json()["detail"]

    with tenant.client(service) as admin:
        actions = [
            e["action"] for e in admin.get("/audit", params={"target_id": cam}).json()["items"]
        ]
        assert {"ptz.absolute", "ptz.home", "ptz.continuous"} <= set(actions)


def test_one_onvif_session_serves_a_held_arrow_and_outlives_a_camera_reboot(
    service: LiveService, tenant: TenantUsers, camera: VirtualCamera
) -> None:
    sessions = service.app.state.runtime.ptz
    with tenant.client(service) as admin:
        made = admin.post("/cameras/from-onvif", json={
            "address": camera.address, "username": "admin", "password": "ptz-api-pass",
            "name": "Cúpula da praça",
        }, timeout=30)  # fmt: skip
        assert made.status_code == 201, made.text
        url = f"/cameras/{made.json()['id']}/ptz"
    with tenant.client(service, "operator") as operator:
        opened = sessions.opened
        for _ in range(8):  # an arrow held down: a move every step, then the stop
            step = operator.post(url, json={"action": "continuous", "pan": 0.5, "duration_s": 1})
            assert step.status_code == 200, step.text
        assert operator.post(url, json={"action": "stop"}).status_code == 200
        assert sessions.opened == opened + 1, "each command opened an ONVIF session of its own"

        camera.stop_process()  # the camera reboots: the kept session's connection is gone
        camera.start_process()
        again = operator.post(url, json={"action": "absolute", "pan": -0.5, "tilt": 0.0})
        assert again.status_code == 200, again.text
        eventually(lambda: abs(pan_tilt(camera)[0] + 0.5) < 0.05)
        # ONVIF is HTTP: the kept session reconnects by itself, or, where its connection went
        # stale, one fresh session is opened; either way the operator's command went through.
        assert sessions.opened in (opened + 1, opened + 2)
