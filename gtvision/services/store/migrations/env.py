"""Alembic environment: runs on the connection :func:`..migrate.upgrade` hands it.

Used by the alembic CLI too (``alembic -x url=postgresql://… revision --autogenerate``).
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from gtvision.services.store.migrate import include_object
from gtvision.services.store.models import Base

config = context.config
connection = config.attributes.get("connection")


def _run(conn: Connection) -> None:
    context.configure(
        connection=conn,
        target_metadata=Base.metadata,
        include_schemas=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True)["url"]
    with create_engine(url.replace("+asyncpg", "+psycopg")).connect() as conn:
        _run(conn)
