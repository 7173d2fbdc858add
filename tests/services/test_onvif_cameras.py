"""Adding a camera from its ONVIF address, against a virtual camera in a network namespace."""

from __future__ import annotations

import io
from collections.abc import Iterator

import av
import pytest

from tests.conftest import TenantUsers
from tests.helpers.live import LiveService
from tests.helpers.media_peers import VirtualCamera, free_port


@pytest.fixture(scope="module")
def camera() -> Iterator[VirtualCamera]:
    with VirtualCamera(password="onvif-pass", name="Terminal Central") as cam:
        yield cam


def test_one_address_becomes_a_complete_camera(
    service: LiveService, tenant: TenantUsers, camera: VirtualCamera
) -> None:
    with tenant.client(service) as admin:
        zone = admin.post("/zones", json={"name": "Centro"}).json()
        made = admin.post(
            "/cameras/from-onvif",
            json={
                "address": camera.address,
                "username": "admin",
                "password": "onvif-pass",
                "zone_id": zone["id"],
            },
            timeout=30,
        )
        assert made.status_code == 201, made.text
        record = made.json()
        assert record["manufacturer"] == "GT-Vision Labs"
        assert record["model"] == "Virtual-ONVIF"
        assert record["zone_id"] == zone["id"]
        assert record["main_profile"]["stream_uri"].endswith(":8554/video_main")
        assert record["main_profile"]["width"] == 640
        assert record["sub_profile"]["stream_uri"].endswith(":8554/video_sub")
        assert record["ptz_capable"] is True
        assert record["has_password"] is True
        assert record["onvif_url"] == f"http://{camera.address}/onvif/device_service"

        # The stored record is good enough to take a picture with.
        shot = admin.get(f"/cameras/{record['id']}/snapshot", timeout=30)
        assert shot.status_code == 200, shot.text
        with av.open(io.BytesIO(shot.content), mode="r") as jpeg:
            frame = next(jpeg.decode(video=0))
        assert frame.width > 0

        audit = admin.get("/audit", params={"target_id": record["id"]}).json()["items"]
        assert [e["action"] for e in audit][:1] == ["camera.create"]


def test_onvif_failures_are_clear_statuses(
    service: LiveService, tenant: TenantUsers, camera: VirtualCamera
) -> None:
    with tenant.client(service) as admin:
        wrong = admin.post(
            "/cameras/from-onvif",
            json={"address": camera.address, "username": "admin", "password": "guess"},
            timeout=30,
        )
        assert wrong.status_code == 502
        assert "refused the user name or password" in wrong.json()["detail"]
        assert wrong.json()["kind"] == "wrong_credentials"  # for a client to act on
        assert camera.address in wrong.json()["detail"]
        gone = admin.post(
            "/cameras/from-onvif",
            json={"address": f"127.0.0.1:{free_port()}", "username": "admin"},
            timeout=30,
        )
        assert gone.status_code == 504
        assert gone.json()["kind"] == "unreachable"
    with tenant.client(service, "operator") as operator:
        assert (
            operator.post("/cameras/from-onvif", json={"address": camera.address}).status_code
            == 403
        )


def test_discover_then_add_then_discover_again(
    service: LiveService,
    tenant: TenantUsers,
    other_tenant: TenantUsers,
    camera: VirtualCamera,
) -> None:
    look = {"interfaces": [camera.netns.host_ip], "timeout_s": 1.5}
    with tenant.client(service) as admin:
        first = admin.post("/cameras/discover", json=look, timeout=30)
        assert first.status_code == 200, first.text
        [found] = [d for d in first.json() if d["source"] == "ws-discovery"]
        assert found["name"] == "Terminal Central"
        assert found["addresses"] == [camera.netns.ip]
        assert found["camera_id"] is None

        made = admin.post(
            "/cameras/from-onvif",
            json={
                "address": found["xaddrs"][0],
                "username": "admin",
                "password": "onvif-pass",
            },
            timeout=30,
        ).json()
        again = admin.post("/cameras/discover", json=look, timeout=30).json()
        assert [d["camera_id"] for d in again if d["source"] == "ws-discovery"] == [made["id"]]
        bad = admin.post("/cameras/discover", json={"subnets": ["10.0.0.0/8"], "multicast": False})
        assert bad.status_code == 422
    with other_tenant.client(service) as b_admin:
        theirs = b_admin.post("/cameras/discover", json=look, timeout=30).json()
        assert [d["camera_id"] for d in theirs if d["source"] == "ws-discovery"] == [None]


def test_a_camera_is_asked_again_for_its_profiles(
    service: LiveService, tenant: TenantUsers, camera: VirtualCamera
) -> None:
    with tenant.client(service) as admin:
        made = admin.post("/cameras/from-onvif", json={
            "address": camera.address, "username": "admin", "password": "onvif-pass",
        }, timeout=30)  # fmt: skip
        assert made.status_code == 201, made.text
        # Someone typed a wrong stream URI by hand; asking the camera again puts it right.
        broken = admin.patch(f"/cameras/{made.json()['id']}", headers={
            "If-Match": made.headers["etag"]}, json={"sub_profile": None})  # fmt: skip
        assert broken.status_code == 200, broken.text
        reread = admin.post(f"/cameras/{made.json()['id']}/reread",
                            headers={"If-Match": broken.headers["etag"]}, timeout=30)  # fmt: skip
        assert reread.status_code == 200, reread.text
        assert reread.json()["sub_profile"]["stream_uri"].endswith(":8554/video_sub")
        stale = admin.post(f"/cameras/{made.json()['id']}/reread",
                           headers={"If-Match": broken.headers["etag"]}, timeout=30)  # fmt: skip
        assert stale.status_code == 412
        by_url = admin.post("/cameras", json={"name": "Só RTSP"}).json()
        refused = admin.post(f"/cameras/{by_url['id']}/reread")
        assert refused.status_code == 422
        assert "no ONVIF address" in refused.json()["detail"]
    with tenant.client(service, "operator") as operator:
        assert operator.post(f"/cameras/{made.json()['id']}/reread").status_code == 403
