"""Backup of a running service, restore into an empty installation, refusal over live data."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import PASSWORD
from tests.helpers.live import LiveService, service_settings
from tests.helpers.lpr import pending_read, write_reads
from tests.helpers.postgres import PostgresForTests


def _cli(url: str, data_dir: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GTV_")}
    env.update({"GTV_DATABASE_URL": url, "GTV_DATA_DIR": str(data_dir)})
    return subprocess.run(
        [sys.executable, "-m", "gtvision.services.cli", *args],
        input=stdin,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_backup_wipe_restore_same_data(tmp_path: Path) -> None:
    source, target = PostgresForTests(prefix="gtv-pg-src-"), PostgresForTests(prefix="gtv-pg-dst-")
    try:
        source.start()
        target.start()
        old_dir, new_dir, backups = tmp_path / "old", tmp_path / "new", tmp_path / "backups"
        settings = service_settings(source.url, old_dir, secret_key=None)  # key made in old_dir
        with LiveService(settings) as live:
            assert (
                _cli(
                    source.url,
                    old_dir,
                    "create-user",
                    "root",
                    "--role",
                    "superadmin",
                    "--password-stdin",
                    stdin=PASSWORD + "\n",
                ).returncode
                == 0
            )
            with live.client(live.login("root", PASSWORD)["access_token"]) as root:
                tenant = root.post("/tenants", json={"slug": "campinas", "name": "Campinas"}).json()
                root.post(
                    "/users",
                    json={
                        "username": "ana",
                        "password": PASSWORD,
                        "role": "admin",
                        "tenant_id": tenant["id"],
                    },
                )
            with live.client(live.login("ana", PASSWORD)["access_token"]) as ana:
                camera = ana.post(
                    "/cameras",
                    json={
                        "name": "Largo do Rosário",
                        "username": "admin",
                        "password": "cam-pw-9",
                        "main_profile": {"stream_uri": "rtsp://127.0.0.1:8554/x"},
                    },
                ).json()
            read = pending_read(tenant["id"], camera["id"], "ROS1A23")
            assert write_reads(source.url, tmp_path / "objects", [read]) == [True]
            made = _cli(source.url, old_dir, "backup", str(backups))  # while the service runs
        assert made.returncode == 0, made.stderr
        folder = Path(made.stdout.strip())
        assert {p.name for p in folder.iterdir()} == {
            "database.dump",
            "secret.key",
            "manifest.json",
        }
        assert (folder / "secret.key").stat().st_mode & 0o777 == 0o600

        restored = _cli(target.url, new_dir, "restore", str(folder))
        assert restored.returncode == 0, restored.stderr
        assert (new_dir / "secret.key").read_bytes() == (old_dir / "secret.key").read_bytes()
        restored_settings = service_settings(target.url, new_dir, secret_key=None)
        with (
            LiveService(restored_settings) as live,
            live.client(live.login("ana", PASSWORD)["access_token"]) as ana,
        ):
            back = ana.get(f"/cameras/{camera['id']}").json()
            assert back["name"] == "Largo do Rosário"
            assert back["has_password"] is True
            # The restored key still opens the camera password (direct-mode URLs use it).
            streams = ana.get(f"/cameras/{camera['id']}/streams").json()
            assert streams["main"]["rtsp"] == "rtsp://admin:cam-pw-9@127.0.0.1:8554/x"
            audit = ana.get("/audit", params={"action": "camera.create"}).json()["items"]
            assert [e["target_id"] for e in audit] == [camera["id"]]
            reads = ana.get("/detections", params={"plate": "ROS1A23"}).json()["items"]
            assert [r["id"] for r in reads] == [str(read.id)]  # its monthly partition came back

        refused = _cli(target.url, new_dir, "restore", str(folder))
        assert refused.returncode != 0
        assert "already holds GT-Vision data" in refused.stderr
        forced = _cli(target.url, new_dir, "restore", str(folder), "--force")
        assert forced.returncode == 0, forced.stderr
        with (
            LiveService(restored_settings) as live,
            live.client(live.login("ana", PASSWORD)["access_token"]) as ana,
        ):
            reads = ana.get("/detections", params={"plate": "ROS1A23"}).json()["items"]
            assert [r["id"] for r in reads] == [str(read.id)]
    finally:
        source.close()
        target.close()


def test_restore_refuses_to_replace_another_key(tmp_path: Path) -> None:
    source, target = PostgresForTests(prefix="gtv-pg-k1-"), PostgresForTests(prefix="gtv-pg-k2-")
    try:
        source.start()
        target.start()
        assert _cli(source.url, tmp_path / "a", "migrate").returncode == 0
        made = _cli(source.url, tmp_path / "a", "backup", str(tmp_path / "b"))
        folder = Path(made.stdout.strip())
        (tmp_path / "c").mkdir()
        (tmp_path / "c" / "secret.key").write_text("another-key-" + "x" * 40 + "\n")
        refused = _cli(target.url, tmp_path / "c", "restore", str(folder))
        assert refused.returncode != 0
        assert "holds another key" in refused.stderr
        # Refused before anything was loaded: the database is still empty, so a restore with
        # no conflicting key goes through (it would say "already holds data" otherwise).
        clean = _cli(target.url, tmp_path / "e", "restore", str(folder))
        assert clean.returncode == 0, clean.stderr
    finally:
        source.close()
        target.close()
