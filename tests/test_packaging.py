"""The deployment files, checked by the programs that will read them."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.helpers.fake_mediamtx import FakeMediaMtx
from tests.helpers.live import LiveService, service_settings
from tests.helpers.postgres import PostgresForTests
from tests.helpers.waiting import eventually

PACKAGING = Path(__file__).resolve().parents[1] / "packaging"


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed (scripts/bootstrap.sh dev installs it)")
    return path


def _self_signed_pem(path: Path) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "gtvision.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    path.write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def test_haproxy_accepts_the_config(tmp_path: Path) -> None:
    pem = tmp_path / "gtvision.pem"
    _self_signed_pem(pem)
    env = {
        **os.environ,
        "GTV_TLS_PEM": str(pem),
        "GTV_SERVICE_1": "127.0.0.1:8081",
        "GTV_SERVICE_2": "127.0.0.1:8082",
        "GTV_SERVICE_3": "127.0.0.1:8083",
    }
    result = subprocess.run(
        [_tool("haproxy"), "-c", "-f", str(PACKAGING / "haproxy" / "haproxy.cfg")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    broken = tmp_path / "broken.cfg"
    broken.write_text(
        (PACKAGING / "haproxy" / "haproxy.cfg")
        .read_text()
        .replace("balance leastconn", "balance sometimes")
    )
    assert (
        subprocess.run(
            [_tool("haproxy"), "-c", "-f", str(broken)], env=env, capture_output=True
        ).returncode
        != 0
    )  # the check is a real one


def _verify_problems(path: Path) -> list[str]:
    verify = subprocess.run(
        [_tool("systemd-analyze"), "verify", "--man=no", str(path)], capture_output=True, text=True
    )
    lines = (verify.stdout + verify.stderr).splitlines()
    problems = [line for line in lines if "Unknown" in line or "Failed" in line]
    if verify.returncode != 0:
        problems.append(f"exit {verify.returncode}")
    return problems


def test_systemd_unit_verifies_and_is_hardened(tmp_path: Path) -> None:
    unit = (PACKAGING / "systemd" / "gtvision-service.service").read_text()
    # Point it at this checkout's executable, so that verify can check ExecStart exists.
    local = unit.replace(
        "/opt/gtvision/venv/bin/gtvision-service",
        str(Path(sys.executable).with_name("gtvision-service")),
    )
    path = tmp_path / "gtvision-service.service"
    path.write_text(local)
    assert _verify_problems(path) == []
    typo = tmp_path / "typo.service"
    typo.write_text(local.replace("ProtectSystem=strict", "ProtectSytem=strict"))
    assert _verify_problems(typo)  # the check is a real one
    security = subprocess.run(
        [_tool("systemd-analyze"), "security", "--offline=true", "--no-pager", str(path)],
        capture_output=True,
        text=True,
    )
    overall = next(line for line in security.stdout.splitlines() if "Overall exposure" in line)
    exposure = float(overall.split("exposure level for")[1].split(":")[1].split()[0])
    assert exposure <= 2.5, overall  # systemd's scale: 0 safe … 10 unsafe; ≤ 2.5 is "OK"/"SAFE"


def test_prometheus_config_and_rules_pass_promtool() -> None:
    promtool = _tool("promtool")
    prometheus = PACKAGING / "prometheus"
    for args in (
        ["check", "config", str(prometheus / "prometheus.yml")],
        ["check", "rules", str(prometheus / "gtvision-rules.yml")],
    ):
        result = subprocess.run([promtool, *args], capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr
    broken = subprocess.run(
        [promtool, "check", "rules", "/dev/stdin"],
        capture_output=True,
        text=True,
        input="groups: [{name: x, rules: [{alert: A, expr: 'rate('}]}]",
    )
    assert broken.returncode != 0  # the check is a real one


def test_dashboard_and_rules_only_name_metrics_the_service_exports(
    shared_dir: Path, postgres: PostgresForTests, tmp_path: Path
) -> None:
    """Every gtv_* series in the rules and the dashboard exists in a real /metrics page."""
    import re

    import httpx

    referenced = set()
    for path in (
        PACKAGING / "prometheus" / "gtvision-rules.yml",
        PACKAGING / "grafana" / "gtvision-service.json",
    ):
        referenced |= set(re.findall(r"\bgtv_[a-z_]+", path.read_text()))
    json.loads((PACKAGING / "grafana" / "gtvision-service.json").read_text())  # valid JSON

    mediamtx = FakeMediaMtx(shared_dir / "mediamtx" / "openapi.yaml", validate=False).start()
    settings = service_settings(
        postgres.url, tmp_path, mediamtx_api_url=mediamtx.url, media_poll_interval_s=0.2
    )
    try:
        with LiveService(settings) as live:
            httpx.get(live.url + "/healthz")  # at least one request counted
            eventually(lambda: "gtv_cameras{" in httpx.get(live.url + "/metrics").text)
            exposition = httpx.get(live.url + "/metrics").text
    finally:
        mediamtx.stop()
    exported = set(re.findall(r"^(gtv_[a-z_]+)[{ ]", exposition, flags=re.MULTILINE))
    # Families declared before their first sample (LPR inference times, before any inference).
    exported |= set(re.findall(r"^# TYPE (gtv_[a-z_]+) gauge", exposition, flags=re.MULTILINE))
    assert referenced
    assert referenced <= exported, referenced - exported


def test_compose_stack_is_valid_and_speaks_our_settings(tmp_path: Path) -> None:
    """docker-compose validates the stack without an engine; its GTV_* keys are real settings."""
    import yaml

    from gtvision.services.settings import Settings

    compose = PACKAGING / "compose.yaml"
    env = {
        **os.environ,
        "GTV_SECRET_KEY": "k",
        "POSTGRES_PASSWORD": "p",
        "GTV_PUBLIC_HOST": "h",
        "MINIO_ROOT_PASSWORD": "m",
        "GRAFANA_ADMIN_PASSWORD": "g",
    }
    check = subprocess.run(
        [_tool("docker-compose"), "-f", str(compose), "config", "-q"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    broken = tmp_path / "compose.yaml"
    broken.write_text(
        compose.read_text().replace(
            "    restart: unless-stopped\n    command:",
            "    restartt: unless-stopped\n    command:",
        )
    )
    refused = subprocess.run(
        [_tool("docker-compose"), "-f", str(broken), "config", "-q"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert refused.returncode != 0  # the check is a real one

    stack = yaml.safe_load(compose.read_text())
    keys = set(stack["x-gtvision"]["environment"])
    unknown = {k for k in keys if k.removeprefix("GTV_").lower() not in Settings.model_fields}
    assert unknown == set()
    scraped = (PACKAGING / "prometheus" / "prometheus.yml").read_text()
    for name in ("service1", "service2", "service3", "mediamtx"):
        assert name in stack["services"]
        assert f"{name}:" in scraped


def test_the_wheel_ships_models_and_translations_and_stays_small(tmp_path: Path) -> None:
    import zipfile

    root = Path(__file__).parents[1]
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(tmp_path), str(root)],
        check=True, capture_output=True, timeout=240,
    )  # fmt: skip
    wheel = next(tmp_path.glob("gtvision-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for model in ("plate_detector", "br_recognizer"):
        assert f"gtvision/inference/weights/{model}.onnx" in names
        assert f"gtvision/inference/weights/{model}.md" in names
    assert "gtvision/inference/weights/br_recognizer.yaml" in names
    assert "gtvision/console/i18n/gtvision_pt_BR.qm" in names  # the console speaks pt-BR
    assert "gtvision/console/styles/control-room.qss" in names  # and looks like a control room
    # The recogniser averages three (7.5 MB of float32 weights each, which barely compress).
    assert wheel.stat().st_size < 30_000_000


@pytest.mark.timeout(900)
def test_the_console_bundle_builds_and_passes_its_self_test(tmp_path: Path) -> None:
    """pyinstaller.spec → a one-folder bundle that starts, plays a clip in a tile, exits 0."""
    root = Path(__file__).parents[1]
    built = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--distpath", str(tmp_path / "dist"),
         "--workpath", str(tmp_path / "build"), str(root / "pyinstaller.spec")],
        capture_output=True, text=True, timeout=800,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr[-3000:]
    bundle = tmp_path / "dist" / "gtvision-console"
    assert list(bundle.rglob("gtvision_pt_BR.qm"))
    assert not list(bundle.rglob("torch")), "the workstation bundle carries the LPR stack"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)}
    run = subprocess.run(
        [str(bundle / "gtvision-console"), "--self-test"],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "self-test: ok" in run.stdout
