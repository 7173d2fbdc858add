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
