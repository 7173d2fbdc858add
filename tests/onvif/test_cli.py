"""``gtvision-onvif`` as an installer uses it, against virtual cameras in test namespaces."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import av
import pytest
from keyrings.alt.file import PlaintextKeyring

from gtvision.onvif.credentials import CameraCredentials, CredentialStore
from tests.helpers.media_peers import VirtualCamera


@pytest.fixture(scope="module")
def camera() -> Iterator[VirtualCamera]:
    with VirtualCamera(password="cli-pass", name="Rodoviaria") as cam:
        yield cam


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gtvision.onvif.cli", *args],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )


def test_discover_then_info_as_json(camera: VirtualCamera) -> None:
    found = _cli("discover", "--interface", camera.netns.host_ip, "--timeout", "1.5", "--json")
    assert found.returncode == 0, found.stderr
    [device] = json.loads(found.stdout)
    assert device["name"] == "Rodoviaria"
    assert device["addresses"] == [camera.netns.ip]

    info = _cli(
        "info", camera.address, "--user", "admin", "--json", env={"GTV_ONVIF_PASSWORD": "cli-pass"}
    )
    assert info.returncode == 0, info.stderr
    described = json.loads(info.stdout)
    streams = {p["token"]: p["stream_uri"] for p in described["profiles"]}
    assert streams[described["main"]].endswith("/video_main")
    assert streams[described["sub"]].endswith("/video_sub")
    assert described["ptz"]["supported"] is True


def test_clear_errors(camera: VirtualCamera) -> None:
    wrong = _cli("info", camera.address, "--user", "admin", env={"GTV_ONVIF_PASSWORD": "no"})
    assert wrong.returncode != 0
    assert "wrong_credentials" in wrong.stderr
    assert camera.address in wrong.stderr
    missing = _cli(
        "info", camera.address, env={"PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring"}
    )
    assert "no password" in missing.stderr


def test_snapshot_and_ptz(camera: VirtualCamera, tmp_path: Path) -> None:
    env = {"GTV_ONVIF_PASSWORD": "cli-pass"}
    out = tmp_path / "shot.jpg"
    shot = _cli("snapshot", camera.address, "--user", "admin", "-o", str(out), env=env)
    assert shot.returncode == 0, shot.stderr
    with av.open(str(out), mode="r") as jpeg:
        assert next(jpeg.decode(video=0)).width > 0
    moved = _cli("ptz", camera.address, "--user", "admin", "move", "0.3", "0.1", env=env)
    assert moved.returncode == 0, moved.stderr


def test_credentials_live_in_the_keyring(tmp_path: Path) -> None:
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")
    store = CredentialStore(backend)
    assert store.load("198.18.0.2:80") is None
    store.save("198.18.0.2:80", CameraCredentials("admin", "s3nh@"))
    assert store.load("198.18.0.2:80") == CameraCredentials("admin", "s3nh@")
    assert "gtvision" in (tmp_path / "keyring.cfg").read_text()
    assert store.delete("198.18.0.2:80") is True
    assert store.delete("198.18.0.2:80") is False
