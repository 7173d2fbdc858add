"""The whole console against the real service: sign in, camera tree, live wall, pt-BR.

Set ``GTV_SCREENSHOTS=DIR`` to keep the screenshots for a human look.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

from gtvision.console.app import install_translations, parse_args
from gtvision.console.controller import ConsoleController
from gtvision.console.layouts import PRESETS
from gtvision.console.playback import PlaybackState
from tests.conftest import PASSWORD, TenantUsers
from tests.console.conftest import Loop, until
from tests.helpers.live import LiveService
from tests.helpers.media_peers import GstRtspServer, free_port

pytestmark = pytest.mark.postgres


def screenshot_dir(tmp_path: Path) -> Path:
    return Path(os.environ.get("GTV_SCREENSHOTS", tmp_path))


@pytest.fixture
def portuguese(qapp: QApplication) -> Iterator[list[QTranslator]]:
    translators = install_translations(qapp, "pt_BR")
    yield translators
    for translator in translators:
        qapp.removeTranslator(translator)


def add_cameras(admin: httpx.Client, rtsp: GstRtspServer) -> dict[str, str]:
    zone = admin.post("/zones", json={"name": "Centro"}).json()
    ids = {}
    for name, zone_id in (("Praça da Sé", zone["id"]), ("Av. Paulista", None)):
        body = {
            "name": name,
            "zone_id": zone_id,
            "main_profile": {"stream_uri": f"{rtsp.url}/main"},
            "sub_profile": {"stream_uri": f"{rtsp.url}/sub"},
        }
        created = admin.post("/cameras", json=body)
        assert created.status_code == 201, created.text
        ids[name] = created.json()["id"]
    return ids


def controller_for(service_url: str, *extra: str) -> ConsoleController:
    args: argparse.Namespace = parse_args(["--server", service_url, *extra])
    from PySide6.QtCore import QSettings

    return ConsoleController(args, QSettings())


def sign_in(controller: ConsoleController, user: str, password: str) -> None:
    controller.login.show()
    controller.login.username.setText(user)
    controller.login.password.setText(password)
    controller.login.sign_in_button.click()


def tree_rows(controller: ConsoleController) -> list[str]:
    model = controller.window.tree.model
    rows: list[str] = []

    def walk(item: object, depth: int) -> None:
        for row in range(item.rowCount()):  # type: ignore[attr-defined]
            child = item.child(row)  # type: ignore[attr-defined]
            rows.append("  " * depth + child.text())
            walk(child, depth + 1)

    walk(model.invisibleRootItem(), 0)
    return rows


def test_operator_signs_in_and_watches_a_camera(
    loop: Loop,
    service: LiveService,
    tenant: TenantUsers,
    portuguese: list[QTranslator],
    tmp_path: Path,
) -> None:
    assert portuguese, "the pt-BR translation did not load"
    with GstRtspServer() as rtsp, tenant.client(service) as admin:
        ids = add_cameras(admin, rtsp)
        controller = controller_for(service.url, "--layout", "2x2")
        loop.run(operator_session(controller, tenant, ids, screenshot_dir(tmp_path)))


async def operator_session(
    controller: ConsoleController, tenant: TenantUsers, ids: dict[str, str], shots: Path
) -> None:
    """Everything on the running loop, as in the real application."""
    window, login = controller.window, controller.login
    assert login.sign_in_button.text() == "Entrar"
    assert window.tree.filter.placeholderText() == "Filtrar câmeras…"

    sign_in(controller, f"operator-{tenant.slug}", "wrong-password")
    await until(lambda: login.error.isVisible(), 20, "the refusal shown")
    assert login.isVisible()
    assert not window.isVisible()

    sign_in(controller, f"operator-{tenant.slug}", PASSWORD)
    await until(lambda: window.isVisible(), 20, "the main window")
    await until(lambda: len(tree_rows(controller)) == 5, 20, "the camera tree")
    assert tree_rows(controller) == [
        f"Prefeitura {tenant.slug}",
        "  Centro",
        "    Praça da Sé",
        "  Sem zona",
        "    Av. Paulista",
    ]
    assert window.tree.camera_ids() == [ids["Praça da Sé"], ids["Av. Paulista"]]
    window.tree.filter.setText("paulista")
    assert window.tree.camera_ids() == [ids["Av. Paulista"]]
    window.tree.filter.clear()
    await until(lambda: window.link.text() == "Eventos: ao vivo", 20, "the event stream")

    # An admin adds a camera elsewhere, then removes it: the operator's tree follows at once.
    headers = {"Authorization": f"Bearer {tenant.tokens['admin']}"}
    base = f"{controller.args.server}/api/v1"
    async with httpx.AsyncClient(base_url=base, headers=headers) as admin:
        added = await admin.post("/cameras", json={"name": "Av. Rio Branco"})
        assert added.status_code == 201, added.text
        await until(lambda: "    Av. Rio Branco" in tree_rows(controller), 20, "the new camera")
        assert window.session.title_of(added.json()["id"]) == "Av. Rio Branco"
        etag = {"If-Match": added.headers["etag"]}
        gone = await admin.delete(f"/cameras/{added.json()['id']}", headers=etag)
        assert gone.status_code == 204, gone.text
    await until(lambda: "    Av. Rio Branco" not in tree_rows(controller), 20, "the camera gone")
    told = [window.events.item(i).text() for i in range(window.events.count())]
    assert any(t.endswith("câmera Av. Rio Branco adicionada") for t in told), told  # by name
    assert any(t.endswith("câmera Av. Rio Branco removida") for t in told), told

    window.tree.openRequested.emit(ids["Praça da Sé"])  # double-click or "Abrir"
    tile = window.wall_widget.tiles[0]
    assert tile.title == "Praça da Sé"
    playback = window.wall.playbacks[0]
    assert playback is not None
    await until(lambda: playback.state == PlaybackState.LIVE, 30, "live video")
    await until(lambda: tile.current_frame() is not None, 10, "a painted frame")
    window.resize(1280, 720)
    await asyncio.sleep(0.5)
    assert window.grab().save(str(shots / "console-main.png"))

    # Shift change: the operator signs out, the wall stays, the next one signs in.
    window.sign_out_action.trigger()
    await until(lambda: login.isVisible(), 20, "the login for the next operator")
    assert window.isVisible(), "signing out does not close the wall"
    assert controller.session.client is None
    assert "próximo operador" in login.error.text()
    sign_in(controller, f"viewer-{tenant.slug}", PASSWORD)
    await until(lambda: not login.isVisible(), 20, "the next operator signed in")
    await until(lambda: window.who.text() == f"viewer-{tenant.slug}", 20, "who is signed in")
    assert window.wall.cameras[0] == ids["Praça da Sé"]

    await window.wall.close()
    await controller.session.close()
    window.close()


def test_kiosk_signs_in_alone_and_shows_the_saved_view(
    loop: Loop,
    service: LiveService,
    tenant: TenantUsers,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    with GstRtspServer() as rtsp, tenant.client(service) as admin:
        ids = add_cameras(admin, rtsp)
        user = f"operator-{tenant.slug}"
        monkeypatch.setenv("GTV_CONSOLE_PASSWORD", PASSWORD)
        controller = controller_for(service.url, "--kiosk", "--user", user, "--view", "Paulista")
        loop.run(kiosk_session(controller, ids, screenshot_dir(tmp_path)))


async def kiosk_session(controller: ConsoleController, ids: dict[str, str], shots: Path) -> None:
    window, session = controller.window, controller.session
    # An operator saves a view from the console; the wall PC then starts on it by name.
    await controller._kiosk_sign_in()
    await until(lambda: window.isFullScreen(), 20, "full screen")
    await until(lambda: window.wall.cameras[0] is not None, 20, "a filled wall")
    assert not controller.login.isVisible()
    window.wall.show_view(PRESETS["1+5"], [None, ids["Av. Paulista"]], None)
    session.save_view("Paulista", "1+5", list(window.wall.cameras))
    await until(lambda: "Paulista" in session.views, 20, "the view saved on the service")
    assert session.client is not None
    saved = {v.name: v for v in await session.client.views()}["Paulista"]
    assert [str(c) if c else None for c in saved.cameras][:2] == [None, ids["Av. Paulista"]]
    assert saved.layout == "1+5"

    await window.wall.close()
    window.wall.set_layout(PRESETS["1x1"])
    controller._kiosk_done = False
    await session._reload()  # what a fresh start does: directory and views, then the view
    assert window.wall.layout.name == "1+5"
    assert window.wall.cameras[:2] == [None, ids["Av. Paulista"]]
    await until(lambda: window.wall_widget.tiles[1].current_frame() is not None, 30, "video")
    assert window.grab().save(str(shots / "console-kiosk.png"))
    await window.wall.close()
    await session.close()
    window.close()


def test_wrong_server_is_shown_in_the_login_and_nothing_freezes(
    loop: Loop, portuguese: list[QTranslator]
) -> None:
    controller = controller_for(f"http://127.0.0.1:{free_port()}")
    sign_in(controller, "ana", "a-long-password")
    loop.wait_until(lambda: controller.login.error.isVisible(), 20, "the error shown")
    assert "http://127.0.0.1" in controller.login.error.text()
    assert controller.login.sign_in_button.isEnabled()  # the operator can fix it and retry
    controller.login.server.setCurrentText("vms.prefeitura")
    controller.login.sign_in_button.click()
    assert "http://" in controller.login.error.text()  # checked before any network call
    controller.login.close()
    controller.window.close()


def test_the_installed_command_starts_and_waits_for_a_sign_in(tmp_path: Path) -> None:
    """``gtvision-console`` as README.md runs it: it comes up and stays up with no service."""
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    args = [sys.executable, "-m", "gtvision.console", "--server", f"http://127.0.0.1:{free_port()}"]
    process = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=5)  # still running: the sign-in dialog is up
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert "Traceback" not in err


def test_the_window_fits_a_laptop_screen(portuguese: list[QTranslator]) -> None:
    """Every dock at its least, in Portuguese, the window fits 1366 x 768 less a taskbar: a
    minimum the screen cannot hold pushes the window's bottom (the alarms) off the screen."""
    controller = controller_for(f"http://127.0.0.1:{free_port()}")
    hint = controller.window.minimumSizeHint()
    assert hint.width() <= 1366, hint
    assert hint.height() <= 768 - 48, hint
    controller.login.close()
    controller.window.close()


def test_kiosk_fills_a_bare_x_screen(tmp_path: Path) -> None:
    """A wall PC that starts the console straight on X (xinit, no window manager): kiosk mode
    covers the whole screen, where a full-screen request alone left it at its default size."""
    import re
    import shutil
    import subprocess
    import sys
    import time

    missing = [tool for tool in ("Xvfb", "xwininfo") if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: scripts/bootstrap.sh dev installs them")
    read_end, write_end = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1600x900x24", "-nolisten", "tcp"],
        pass_fds=(write_end,),
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        display = f":{announced.readline().strip()}"
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display, "HOME": str(tmp_path)}
    args = [sys.executable, "-m", "gtvision.console", "--kiosk", "--lang", "en"]
    console = subprocess.Popen(args, env=env, stderr=subprocess.PIPE, text=True)
    sizes: list[str] = []
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and "1600x900" not in sizes:
            tree = subprocess.run(["xwininfo", "-root", "-tree"], env=env, capture_output=True,
                                  text=True, check=True).stdout  # fmt: skip
            sizes = re.findall(r'"GT-Vision[^"]*":.*?(\d+x\d+)\+', tree)
            time.sleep(0.3)
    finally:
        console.terminate()
        _, err = console.communicate(timeout=10)
        xvfb.terminate()
        xvfb.wait(timeout=10)
    assert "1600x900" in sizes, f"the wall's window sizes: {sizes}; console stderr: {err[-2000:]}"
    assert "Traceback" not in err


def test_a_dock_layout_saved_by_an_older_console_is_not_restored() -> None:
    """Upgraded workstations get the tabbed docks; a layout saved since is kept."""
    from PySide6.QtCore import QSettings, Qt

    from gtvision.console.main_window import DOCK_LAYOUT

    url = f"http://127.0.0.1:{free_port()}"
    first = controller_for(url)
    window = first.window
    key = f"windows/{window.name}/state"
    right = Qt.DockWidgetArea.RightDockWidgetArea
    window.addDockWidget(right, window.docks["search"])  # stacked, as every dock once was
    assert window.tabifiedDockWidgets(window.docks["ptz"]) == []
    QSettings().setValue(key, window.saveState(DOCK_LAYOUT - 1))
    first.login.close()
    upgraded = controller_for(url)
    assert upgraded.window.tabifiedDockWidgets(upgraded.window.docks["ptz"]) == [
        upgraded.window.docks["search"]
    ]
    left = Qt.DockWidgetArea.LeftDockWidgetArea
    upgraded.window.addDockWidget(left, upgraded.window.docks["events"])  # the operator's choice
    upgraded.login.close()
    upgraded.window.close()  # saves its layout
    again = controller_for(url)
    assert again.window.dockWidgetArea(again.window.docks["events"]) == left
    again.login.close()
    again.window.close()
    window.close()
