"""The PTZ pad drives a real (virtual ONVIF) camera through the real service."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QPushButton

from gtvision.console.layouts import PRESETS
from gtvision.console.main_window import MainWindow
from gtvision.console.session import ConsoleSession
from tests.conftest import PASSWORD, TenantUsers
from tests.console.conftest import Loop, until
from tests.helpers.live import LiveService
from tests.helpers.media_peers import VirtualCamera

pytestmark = pytest.mark.postgres


def pan(camera: VirtualCamera) -> float:
    status = httpx.get(
        f"http://{camera.address}/api/ptz", auth=("admin", "pad-pass"), timeout=5
    ).json()
    return float(status["pan"])


def test_holding_an_arrow_pans_and_releasing_stops(
    loop: Loop, service: LiveService, tenant: TenantUsers
) -> None:
    with VirtualCamera(password="pad-pass") as camera, tenant.client(service) as admin:
        made = admin.post(
            "/cameras/from-onvif",
            json={"address": camera.address, "username": "admin", "password": "pad-pass"},
            timeout=30,
        )
        assert made.status_code == 201, made.text
        fixed = admin.post("/cameras", json={"name": "Fixa"}).json()["id"]
        session = ConsoleSession()
        window = MainWindow(session)
        loop.run(drive(service.url, session, window, camera, made.json()["id"], fixed, tenant))


async def drive(
    url: str,
    session: ConsoleSession,
    window: MainWindow,
    camera: VirtualCamera,
    ptz_id: str,
    fixed_id: str,
    tenant: TenantUsers,
) -> None:
    assert await session.open_session(url, f"operator-{tenant.slug}", PASSWORD)
    await until(lambda: ptz_id in session.cameras, 20, "the cameras")
    window.wall.set_layout(PRESETS["2x2"])
    window.wall.assign(0, ptz_id)
    window.wall.assign(1, fixed_id)
    window.show()

    window.docks["search"].raise_()  # the operator was searching a plate
    window.wall_widget.tiles[1].selected.emit(1)  # a camera without PTZ: the pad is off
    assert not window.ptz_pad.isEnabled()
    ptz_dock = window.docks["ptz"]
    await until(lambda: ptz_dock.visibleRegion().isEmpty(), 10, "the search left in front")
    window.wall_widget.tiles[0].selected.emit(0)
    assert window.ptz_pad.isEnabled()
    assert window.wall_widget.tiles[0].is_selected
    await until(lambda: not ptz_dock.visibleRegion().isEmpty(), 10, "the PTZ pad in front")

    right = next(b for b in window.ptz_pad.findChildren(QPushButton) if b.text() == "→")
    start = await asyncio.to_thread(pan, camera)
    right.pressed.emit()
    await until(lambda: pan(camera) > start + 0.1, 20, "the camera panning right")
    right.released.emit()
    await asyncio.sleep(0.8)  # the stop reaches the camera
    stopped = await asyncio.to_thread(pan, camera)
    await asyncio.sleep(0.5)
    assert abs(await asyncio.to_thread(pan, camera) - stopped) < 0.02

    start = await asyncio.to_thread(pan, camera)  # the keyboard does the same: hold ←
    QTest.keyPress(window, Qt.Key.Key_Left)
    await until(lambda: pan(camera) < start - 0.1, 20, "the camera panning left")
    QTest.keyRelease(window, Qt.Key.Key_Left)
    await asyncio.sleep(0.8)
    stopped = await asyncio.to_thread(pan, camera)
    await asyncio.sleep(0.5)
    assert abs(await asyncio.to_thread(pan, camera) - stopped) < 0.02

    tile = window.wall_widget.tiles[0]  # PTZ mode: drag right in the picture, let go
    tile.set_ptz_mode(True)
    centre = QPoint(tile.width() // 2, tile.height() // 2)
    start = await asyncio.to_thread(pan, camera)
    QTest.mousePress(tile, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)
    target = QPointF(centre.x() + tile.width() * 0.3, centre.y())
    QApplication.sendEvent(
        tile,
        QMouseEvent(
            QEvent.Type.MouseMove,
            target,
            QPointF(tile.mapToGlobal(target.toPoint())),
            Qt.MouseButton.NoButton,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    await until(lambda: pan(camera) > start + 0.1, 20, "the camera following the drag")
    QTest.mouseRelease(
        tile, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, target.toPoint()
    )
    await asyncio.sleep(0.8)
    stopped = await asyncio.to_thread(pan, camera)
    await asyncio.sleep(0.5)
    assert abs(await asyncio.to_thread(pan, camera) - stopped) < 0.02

    await window.wall.close()
    await session.close()
    window.close()
