"""Migrations run forward over data written by an earlier schema, and back again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from alembic import command
from sqlalchemy import Connection, text

from gtvision.services.store import migrate
from gtvision.services.store.db import Database
from gtvision.services.store.migrate import alembic_config
from tests.helpers.postgres import PostgresForTests


def _to(revision: str) -> Callable[[Connection], None]:
    def step(connection: Connection) -> None:
        for schema in ("admin", "cidades", "streaming", "ai"):
            connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
        if revision == "base":
            command.downgrade(alembic_config(connection), "base")
        else:
            command.upgrade(alembic_config(connection), revision)

    return step


def test_upgrade_keeps_data_from_the_first_release() -> None:
    server = PostgresForTests(prefix="gtv-pg-upgrade-")
    try:
        url = server.start()

        async def scenario() -> tuple[str | None, int, int]:
            db = Database(url)
            try:
                async with db.engine.begin() as conn:
                    await conn.run_sync(_to("0001"))  # the schema as release 0.1 shipped it
                    await conn.execute(
                        text(
                            "INSERT INTO admin.tenants (id, slug, name, version, active) VALUES "
                            "('00000000-0000-7000-8000-000000000001', 'velha', 'Velha', 1, true)"
                        )
                    )
                    await conn.execute(
                        text(
                            "INSERT INTO streaming.cameras (id, tenant_id, name, version, enabled, "
                            "status, ptz_capable, description) VALUES "
                            "('00000000-0000-7000-8000-000000000002', "
                            "'00000000-0000-7000-8000-000000000001', 'Antiga', 1, true, 'unknown', "
                            "false, '')"
                        )
                    )
                await migrate.upgrade(db)  # what the service does at start
                async with db.engine.connect() as conn:
                    cameras = await conn.scalar(text("SELECT count(*) FROM streaming.cameras"))
                    events = await conn.scalar(text("SELECT count(*) FROM admin.events"))
                revision = await migrate.current_revision(db)
                async with db.engine.begin() as conn:  # and the way back works too
                    await conn.run_sync(_to("base"))
                return revision, int(cameras or 0), int(events or 0)
            finally:
                await db.dispose()

        revision, cameras, events = asyncio.run(scenario())
        assert revision == migrate.head_revision()
        assert cameras == 1
        assert events == 0
    finally:
        server.close()
