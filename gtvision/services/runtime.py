"""Bringing the process-wide handles up and down: database (embedded or not), keys, schema."""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import DBAPIError

from gtvision.retry import Backoff, retry
from gtvision.services.auth.keys import Keys, load_master_secret
from gtvision.services.background import Supervisor
from gtvision.services.context import Runtime
from gtvision.services.objects import open_object_stores
from gtvision.services.ptz.sessions import PtzSessions
from gtvision.services.settings import Settings
from gtvision.services.store import migrate
from gtvision.services.store.db import Database
from gtvision.services.store.embedded import EmbeddedPostgres

log = logging.getLogger(__name__)


@asynccontextmanager
async def open_database(
    settings: Settings, supervisor: Supervisor | None = None
) -> AsyncIterator[Database]:
    """The database, started (embedded default) and answering; schema untouched."""
    embedded: EmbeddedPostgres | None = None
    if settings.database_url is None:
        embedded = EmbeddedPostgres(settings.data_dir)
        url = await asyncio.to_thread(embedded.start)
    else:
        url = settings.database_url.get_secret_value()
    db = Database(url, pool_size=settings.db_pool_size, timeout_s=settings.db_timeout_s)
    try:
        await retry(
            db.ping,
            retry_on=(DBAPIError, OSError),
            backoff=Backoff(deadline_s=settings.db_startup_timeout_s),
            what="connecting to PostgreSQL",
        )
        if embedded is None:
            yield db
        else:
            watch = functools.partial(_keep_running, embedded, db, settings.embedded_watch_s)
            async with (supervisor or Supervisor()).running("embedded-postgres", watch):
                yield db
    finally:
        await db.dispose()
        if embedded is not None:
            await asyncio.to_thread(embedded.stop)


async def _keep_running(embedded: EmbeddedPostgres, db: Database, every_s: float) -> None:
    """Start the embedded server again whenever it died; say so on /healthz if it cannot be."""
    while True:
        await asyncio.sleep(every_s)
        try:
            restarted = await asyncio.to_thread(embedded.ensure_running)
        except Exception as exc:
            db.failing = f"embedded PostgreSQL does not start again: {type(exc).__name__}: {exc}"
            log.error("%s", db.failing)
            continue
        db.failing = None
        if restarted:
            log.warning("embedded PostgreSQL started again")
            await db.engine.dispose()  # connections to the dead server: drop, do not try


@asynccontextmanager
async def open_runtime(settings: Settings, *, keys: Keys | None = None) -> AsyncIterator[Runtime]:
    """Database with its schema brought up to date, and the keys: what the service runs on."""
    keys = keys or Keys(load_master_secret(settings))
    supervisor = Supervisor()
    async with (
        open_database(settings, supervisor) as db,
        open_object_stores(settings, keys.object_url_key) as stores,
    ):
        await migrate.upgrade(db)
        log.info("database schema at %s", await migrate.current_revision(db))
        ptz = PtzSessions(settings.ptz_session_idle_s)
        try:
            yield Runtime(
                settings=settings,
                db=db,
                keys=keys,
                objects=stores.crops,
                recordings=stores.recordings,
                exports=stores.exports,
                supervisor=supervisor,
                ptz=ptz,
            )
        finally:
            await ptz.aclose()
