"""PTZ through the ONVIF boundary, checked on the camera's side (ipycam's own status API)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from gtvision.onvif.device import OnvifDevice
from gtvision.onvif.errors import NotSupportedError
from tests.helpers.media_peers import VirtualCamera
from tests.helpers.waiting import eventually


@pytest.fixture(scope="module")
def camera() -> Iterator[VirtualCamera]:
    with VirtualCamera(password="ptz-pass") as cam:
        yield cam


def _camera_side(camera: VirtualCamera) -> dict[str, float]:
    status: dict[str, float] = httpx.get(
        f"http://{camera.address}/api/ptz", auth=("admin", "ptz-pass"), timeout=5
    ).json()
    return status


def test_moves_reach_the_camera(camera: VirtualCamera) -> None:
    async def drive() -> None:
        async with OnvifDevice(camera.address, "admin", "ptz-pass") as device:
            ptz = await device.ptz()
            await ptz.absolute(0.5, -0.25, 0.2)
            eventually(lambda: abs(_camera_side(camera)["pan"] - 0.5) < 0.05)
            assert abs(_camera_side(camera)["tilt"] + 0.25) < 0.05
            await ptz.home()
            eventually(lambda: abs(_camera_side(camera)["pan"]) < 0.05)
            await ptz.continuous(0.8, 0.0)
            eventually(lambda: _camera_side(camera)["pan"] > 0.1)
            await ptz.stop()
            stopped = _camera_side(camera)["pan"]
            await asyncio.sleep(0.3)
            assert abs(_camera_side(camera)["pan"] - stopped) < 0.02
            await ptz.relative(-0.1, 0.1)
            eventually(lambda: _camera_side(camera)["tilt"] > 0.05)

    asyncio.run(drive())


def test_unreadable_replies_are_not_supported_with_the_address(camera: VirtualCamera) -> None:
    """ipycam answers GetStatus/GetPresets with undeclared XML prefixes: a clear error."""

    async def ask() -> None:
        async with OnvifDevice(camera.address, "admin", "ptz-pass") as device:
            ptz = await device.ptz()
            await ptz.status()

    with pytest.raises(NotSupportedError, match=camera.address):
        asyncio.run(ask())
