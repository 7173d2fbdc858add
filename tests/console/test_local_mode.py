"""Local mode: no service; the console finds a real (virtual ONVIF) camera on the network,
adds it with its password in the keyring, plays it, and remembers it after a restart."""

from __future__ import annotations

from pathlib import Path

from keyrings.alt.file import PlaintextKeyring
from PySide6.QtCore import QSettings

from gtvision.console.local import LocalSession
from gtvision.console.main_window import MainWindow
from gtvision.console.playback import PlaybackState
from gtvision.onvif.credentials import CredentialStore
from tests.console.conftest import Loop, until
from tests.helpers.media_peers import VirtualCamera


def test_find_add_play_and_remember_a_camera(loop: Loop, tmp_path: Path) -> None:
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    store = CredentialStore(backend)
    with VirtualCamera(password="local-pass", name="Portaria") as camera:
        loop.run(scenario(camera, store, tmp_path))
    settings_files = [p.read_text() for p in tmp_path.rglob("*.ini")]
    assert settings_files, "the camera list was not saved"
    assert not any("local-pass" in text for text in settings_files)  # only in the keyring
    assert "gtvision" in (tmp_path / "keyring.cfg").read_text()


async def scenario(camera: VirtualCamera, store: CredentialStore, tmp_path: Path) -> None:
    session = LocalSession(QSettings(), store)
    session.interfaces = [camera.netns.host_ip]  # this test's network only
    window = MainWindow(session)
    window.enable_local_mode(session)
    window.show()
    session.open()
    dialog = window.discovery

    dialog.search_button.click()
    await until(lambda: dialog.found.count() > 0, 20, "the camera found by WS-Discovery")
    dialog.found.setCurrentRow(0)
    assert camera.netns.ip in dialog.address.text()
    dialog.password.setText("wrong")
    dialog.add_button.click()
    await until(lambda: dialog.add_button.isEnabled(), 30, "the refusal")
    assert "credentials" in dialog.status.text().lower() or "refused" in dialog.status.text()
    assert session.cameras == {}

    dialog.password.setText("local-pass")
    dialog.add_button.click()
    await until(lambda: len(session.cameras) == 1, 30, "the camera added")
    camera_id = next(iter(session.cameras))
    assert session.cameras[camera_id].ptz_capable
    assert window.tree.camera_ids() == [camera_id]

    window.tree.openRequested.emit(camera_id)
    playback = window.wall.playbacks[0]
    assert playback is not None
    await until(lambda: playback.state == PlaybackState.LIVE, 40, "live video from the camera")
    await window.wall.close()
    window.close()

    again = LocalSession(QSettings(), store)  # the next day: same PC, nothing typed
    again.open()
    assert list(again.cameras) == [camera_id]
    sources = await again.sources_for(camera_id, "main")()
    assert sources[0].url.startswith("rtsp://admin:local-pass@")
