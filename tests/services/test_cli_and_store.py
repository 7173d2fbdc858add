"""The command line and the store's own guarantees (migrations, tenant scope) on real PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, select, text, update
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from gtvision.services.store import migrate
from gtvision.services.store.db import ConnectionBudgetError, Database, pool_for_workers
from gtvision.services.store.models import Base, Camera, Tenant, Zone
from gtvision.services.store.tenancy import Scope, UnscopedQueryError
from tests.conftest import PASSWORD, run_cli
from tests.helpers.live import LiveService
from tests.helpers.postgres import PostgresForTests


def test_cli_bootstraps_a_city(service: LiveService) -> None:
    slug = "cli-" + uuid.uuid4().hex[:6]
    created = run_cli(
        service.settings,
        "create-tenant",
        slug,
        "--name",
        "Prefeitura de Teste",
        "--state",
        "SP",
        "--ibge-code",
        "3550308",
    )
    tenant = json.loads(created.stdout)
    assert tenant["slug"] == slug
    # A command's output is its line of JSON: no library's INFO chatter around it (the ONVIF
    # client's logging.basicConfig(level=INFO) on import had alembic's lines printed).
    assert "INFO" not in created.stderr, created.stderr
    user = run_cli(
        service.settings,
        "create-user",
        f"adm-{slug}",
        "--role",
        "admin",
        "--tenant",
        slug,
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert json.loads(user.stdout)["role"] == "admin"
    token = service.login(f"adm-{slug}", PASSWORD)["access_token"]
    with service.client(token) as admin:
        assert admin.get("/tenants").json()["items"][0]["id"] == tenant["id"]
    migrated = run_cli(service.settings, "migrate")
    assert f"revision {migrate.head_revision()}" in migrated.stdout
    with pytest.raises(subprocess.CalledProcessError) as missing:
        run_cli(
            service.settings,
            "create-user",
            "x-user",
            "--role",
            "viewer",
            "--tenant",
            "no-such-city",
            "--password-stdin",
            stdin=PASSWORD + "\n",
        )
    assert "no tenant with slug" in missing.value.stderr
    with pytest.raises(subprocess.CalledProcessError) as weak:
        run_cli(
            service.settings,
            "create-user",
            "weak-user",
            "--role",
            "superadmin",
            "--password-stdin",
            stdin="123\n",
        )
    assert "password" in weak.value.stderr


def test_cli_prints_openapi_without_a_database(tmp_path: object) -> None:
    out = subprocess.run(
        [sys.executable, "-m", "gtvision.services.cli", "--data-dir", str(tmp_path), "openapi"],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", "GTV_DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"},
    )
    spec = json.loads(out.stdout)
    assert "/api/v1/cameras/{camera_id}" in spec["paths"]


def _drift(connection: Connection) -> list[object]:
    opts = {"include_schemas": True, "include_object": migrate.include_object}
    context = MigrationContext.configure(connection, opts=opts)
    return list(compare_metadata(context, Base.metadata))


def test_migrations_match_the_models(service: LiveService, postgres: PostgresForTests) -> None:
    async def drift() -> list[object]:
        db = Database(postgres.url)
        try:
            async with db.engine.connect() as conn:
                return await conn.run_sync(_drift)
        finally:
            await db.dispose()

    assert asyncio.run(drift()) == []


def test_store_scope_filters_and_fails_closed(
    service: LiveService, postgres: PostgresForTests
) -> None:
    async def scenario() -> None:
        db = Database(postgres.url)
        try:
            async with db.session(Scope.all_tenants()) as s:
                a, b = (
                    Tenant(slug=f"a-{uuid.uuid4().hex[:6]}", name="A"),
                    Tenant(slug=f"b-{uuid.uuid4().hex[:6]}", name="B"),
                )
                s.add_all([a, b])
                await s.flush()
                s.add_all([Zone(tenant_id=a.id, name="za"), Zone(tenant_id=b.id, name="zb")])
                s.add_all([Camera(tenant_id=a.id, name="ca"), Camera(tenant_id=b.id, name="cb")])
            async with db.session(Scope.tenant(a.id)) as s:
                names = set(
                    (
                        await s.scalars(select(Zone.name).where(Zone.tenant_id.in_([a.id, b.id])))
                    ).all()
                )
                assert names == {"za"}
                # Bulk UPDATE through the ORM is filtered too.
                result = await s.execute(update(Camera).values(description="touched"))
                assert result.rowcount == 1  # type: ignore[attr-defined]
                s.add(Zone(name="stamped"))
                await s.flush()
                stamped = await s.scalar(select(Zone).where(Zone.name == "stamped"))
                assert stamped is not None
                assert stamped.tenant_id == a.id
            with pytest.raises(UnscopedQueryError):
                async with db.session(Scope.tenant(a.id)) as s:
                    s.add(Zone(tenant_id=b.id, name="smuggled"))
            async with db.engine.connect() as conn:
                from sqlalchemy.ext.asyncio import AsyncSession

                unscoped = AsyncSession(bind=conn)
                with pytest.raises(UnscopedQueryError):
                    await unscoped.scalars(select(Camera))
                await unscoped.close()
            async with db.session(Scope.tenant(b.id)) as s:
                cb = await s.scalar(select(Camera))
                assert cb is not None
                assert cb.description == ""
        finally:
            await db.dispose()

    asyncio.run(scenario())


def test_run_with_embedded_defaults_starts_and_stops_its_postgres(tmp_path: Path) -> None:
    """The README's first command: no database configured, nothing set up."""
    data_dir = Path(tempfile.mkdtemp(prefix="gtv-run-"))  # under /tmp: see PostgresForTests
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("GTV_")}
    log = tmp_path / "service.log"
    log_file = log.open("wb")
    service = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gtvision.services.cli",
            "--data-dir",
            str(data_dir),
            "run",
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log_file,
    )
    try:
        deadline = time.monotonic() + 60
        ready = None
        while time.monotonic() < deadline and service.poll() is None:
            try:
                ready = httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1)
                if ready.status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        assert ready is not None, log.read_text()
        assert ready.status_code == 200, log.read_text()
        assert (data_dir / "postgres" / "PG_VERSION").exists()
        assert (data_dir / "secret.key").stat().st_mode & 0o777 == 0o600
        pid_file = data_dir / "postgres" / "postmaster.pid"
        assert pid_file.exists()
    finally:
        service.send_signal(signal.SIGTERM)
        service.wait(timeout=30)
        log_file.close()
    # uvicorn shuts down cleanly on SIGTERM, then re-raises it: -SIGTERM is a clean exit.
    assert service.returncode in (0, -signal.SIGTERM), log.read_text()
    assert not pid_file.exists()  # PostgreSQL was stopped with the service
    shutil.rmtree(data_dir, ignore_errors=True)


def test_sessions_get_connections_in_the_order_they_asked(
    service: LiveService, postgres: PostgresForTests
) -> None:
    """A connection freed while others wait goes to the first waiter, not to a request that
    arrived in that instant (the pool's own queue let newcomers cut in: a ~1 s p99 under load);
    one that waits longer than the pool's timeout gets the pool's error (a 503)."""

    async def scenario() -> tuple[list[str], bool]:
        db = Database(postgres.url, pool_size=2, timeout_s=1.0)
        order: list[str] = []
        names = [*"ABCDEFXY", "late"]
        entered = {name: asyncio.Event() for name in names}
        release = {name: asyncio.Event() for name in names}

        async def use(name: str) -> None:
            async with db.read_session(Scope.all_tenants()) as session:
                await session.execute(text("SELECT 1"))
                order.append(name)
                entered[name].set()
                await release[name].wait()

        async def until(name: str) -> None:
            await asyncio.wait_for(entered[name].wait(), 10)

        try:
            tasks = [asyncio.create_task(use("A"))]
            await until("A")
            tasks.append(asyncio.create_task(use("B")))
            await until("B")
            for n in "CDE":  # these wait, in this order
                tasks.append(asyncio.create_task(use(n)))
                await asyncio.sleep(0.05)
            release["A"].set()
            tasks.append(asyncio.create_task(use("F")))  # asks as A's connection is freed
            for holder, next_in_line in zip("BCDE", "CDEF", strict=True):
                await until(next_in_line)  # one at a time: the order is the gate's alone
                release[holder].set()
            await until("F")
            release["F"].set()
            await asyncio.gather(*tasks)
            # Both connections held for longer than the pool waits: the next one is refused.
            holders = [asyncio.create_task(use(n)) for n in "XY"]
            await until("X")
            await until("Y")
            timed_out = False
            try:
                await use("late")
            except PoolTimeoutError:
                timed_out = True
            release["X"].set()
            release["Y"].set()
            await asyncio.gather(*holders)
            return order, timed_out
        finally:
            await db.dispose()

    order, timed_out = asyncio.run(scenario())
    assert order[:6] == list("ABCDEF")
    assert sorted(order[6:]) == ["X", "Y"]  # asked together
    assert timed_out


def test_worker_pools_are_fitted_to_what_the_database_allows(postgres: PostgresForTests) -> None:
    """Every worker keeps a pool: ten workers of 20 would pass PostgreSQL's max_connections;
    they get what fits (``run --workers`` says so), and too many workers for even a small pool
    are refused with what to change."""

    async def scenario() -> tuple[int, int, int, str]:
        db = Database(postgres.url)
        try:
            async with db.read_session(Scope.all_tenants()) as session:
                allowed = int(await session.scalar(text("SHOW max_connections")) or 0)
        finally:
            await db.dispose()  # or its connection is collected later, in another test
        one = await pool_for_workers(postgres.url, 1, 20)
        ten = await pool_for_workers(postgres.url, 10, 20)
        with pytest.raises(ConnectionBudgetError) as refused:
            await pool_for_workers(postgres.url, allowed, 20)
        return allowed, one, ten, str(refused.value)

    allowed, one, ten, refusal = asyncio.run(scenario())
    assert one == 20
    assert 2 <= ten < 20
    assert 10 * (ten + 2) <= allowed  # their pools and long-held connections fit together
    assert f"{allowed} workers need" in refusal
    assert "max_connections" in refusal


def test_worker_pools_stay_as_set_when_the_database_cannot_be_asked(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database down at start-up does not stop ``run --workers``: the workers retry it as
    they always do, with the pools as configured."""
    from gtvision.services.cli import _fit_pools

    monkeypatch.delenv("GTV_DB_POOL_SIZE", raising=False)
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    _fit_pools(f"postgresql+asyncpg://gtv@127.0.0.1:{port}/gtvision", 4, 20)
    assert "could not ask the database" in caplog.text
    assert "GTV_DB_POOL_SIZE" not in os.environ
