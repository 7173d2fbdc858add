"""Apply Alembic migrations from inside the service (at start and by ``gtvision-service migrate``).

A PostgreSQL advisory lock serialises instances that start together against one database.
"""

from __future__ import annotations

import re
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text

from gtvision.services.store.db import Database
from gtvision.services.store.models import SCHEMAS

MIGRATIONS = Path(__file__).with_name("migrations")
_LOCK_KEY = 0x67747631  # "gtv1"
_PARTITION = re.compile(r"^detections_p\d{6}$")


def include_object(
    obj: object, name: str | None, type_: str, reflected: bool, compare_to: object
) -> bool:
    """Autogenerate ignores the monthly partitions of ``ai.detections`` (made at run time)."""
    return not (type_ == "table" and reflected and name is not None and _PARTITION.match(name))


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest migration this release ships."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def _upgrade(connection: Connection) -> None:
    for schema in SCHEMAS:
        connection.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
    command.upgrade(alembic_config(connection), "head")


async def upgrade(db: Database) -> None:
    async with db.engine.begin() as conn:
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
        await conn.run_sync(_upgrade)


def _current(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


async def current_revision(db: Database) -> str | None:
    async with db.engine.connect() as conn:
        return await conn.run_sync(_current)


async def has_our_tables(db: Database) -> bool:
    """Whether any GT-Vision table exists (a restore must not land on live data)."""
    async with db.engine.connect() as conn:
        found = await conn.scalar(
            text("SELECT count(*) FROM information_schema.tables WHERE table_schema = ANY(:s)"),
            {"s": list(SCHEMAS)},
        )
        return bool(found)
