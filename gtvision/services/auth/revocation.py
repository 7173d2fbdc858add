"""Revocation that takes effect on the next request, though access tokens are stateless JWTs.

Every access and stream token carries its user's *token epoch*. A token is honoured only while
its user exists, is active, still has that epoch (a password, role or status change raises it)
and, for tenant users, while the tenant is active. The answer is cached per user, but only
while this instance holds its ``LISTEN`` connection: a change NOTIFYs every instance on commit,
which drops the entry, and commits in this process drop it at once. Without the connection
(the database went away) nothing is cached: every check reads the database.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
import weakref
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from gtvision.services.background import Supervisor
from gtvision.services.store import queries
from gtvision.services.store.db import Database
from gtvision.services.store.notifications import listen_forever
from gtvision.services.store.tenancy import Scope

CHANNEL = "gtv_auth"
_PENDING = "gtv_revoked"
_MAX_CACHED = 50_000

# Every cache of this process, so that a commit here forgets at once what it changed (other
# processes hear it through NOTIFY a moment later).
_CACHES: weakref.WeakSet[Revocations] = weakref.WeakSet()


@dataclass(frozen=True, slots=True)
class _Standing:
    """What a token's validity depends on, as last read."""

    active: bool
    epoch: int
    tenant_id: uuid.UUID | None
    tenant_active: bool


async def announce(
    session: AsyncSession, *, user_id: uuid.UUID | None = None, tenant_id: uuid.UUID | None = None
) -> None:
    """In the transaction that disables, deletes or changes a user or tenant: every instance
    forgets what it knew of them when (and only if) the change commits."""
    key = f"user:{user_id}" if user_id is not None else f"tenant:{tenant_id}"
    await queries.notify(session, CHANNEL, key)
    pending: set[str] | None = session.info.get(_PENDING)
    if pending is None:
        pending = session.info[_PENDING] = set()
        event.listen(session.sync_session, "after_commit", _forget_committed, once=True)
    pending.add(key)


def _forget_committed(session: Session) -> None:
    keys = session.info.pop(_PENDING, set())
    for cache in list(_CACHES):
        cache.forget(keys)


class Revocations:
    """``await revocations.reason(user, epoch)``: None while a token may act, else why not."""

    def __init__(self, db: Database, cache_s: float) -> None:
        self.db = db
        self.cache_s = cache_s
        self.listening = asyncio.Event()
        self._standing: dict[uuid.UUID, tuple[float, _Standing | None]] = {}
        self._watchers: dict[uuid.UUID, set[asyncio.Event]] = {}
        self._watched_tenant: dict[uuid.UUID, uuid.UUID | None] = {}  # watched user → tenant
        self.reads = 0  # database reads, for tests and metrics
        # Raised by every forget: a read that began before one must not cache what it saw.
        self._generation = 0
        _CACHES.add(self)

    async def reason(self, user_id: uuid.UUID | None, epoch: int) -> str | None:
        if user_id is None:
            return None  # the command line's system principal never holds a token
        standing = await self._standing_of(user_id)
        if standing is None:
            return "the account no longer exists"
        if not standing.active:
            return "the account is disabled"
        if standing.epoch != epoch:
            return "the account's password, role or status changed"
        if standing.tenant_id is not None and not standing.tenant_active:
            return "the tenant is deactivated"
        return None

    async def _standing_of(self, user_id: uuid.UUID) -> _Standing | None:
        now = time.monotonic()
        cached = self._standing.get(user_id)
        if cached is not None and self.listening.is_set() and now - cached[0] < self.cache_s:
            return cached[1]
        self.reads += 1
        generation = self._generation
        async with self.db.read_session(Scope.all_tenants()) as session:
            row = await queries.user_standing(session, user_id)
        standing = None if row is None else _Standing(*row)
        if self.listening.is_set() and generation == self._generation:
            if len(self._standing) >= _MAX_CACHED:
                self._standing.clear()
            self._standing[user_id] = (now, standing)
        return standing

    def forget(self, keys: Iterable[str]) -> None:
        """Drop ``user:<id>`` / ``tenant:<id>`` entries and wake whoever watches them."""
        self._generation += 1
        for key in keys:
            kind, _, value = key.partition(":")
            try:
                ident = uuid.UUID(value)
            except ValueError:
                continue
            if kind == "user":
                users = {ident}
            else:
                users = {u for u, (_, s) in self._standing.items() if s and s.tenant_id == ident}
                users |= {u for u, t in self._watched_tenant.items() if t == ident}
            for user in users:
                self._standing.pop(user, None)
                for watcher in self._watchers.get(user, ()):
                    watcher.set()

    @contextlib.asynccontextmanager
    async def watch(
        self, user_id: uuid.UUID, tenant_id: uuid.UUID | None
    ) -> AsyncIterator[asyncio.Event]:
        """An event set whenever the user's standing may have changed (check ``reason`` again):
        for sessions that outlive one request, such as a WebSocket."""
        changed = asyncio.Event()
        self._watchers.setdefault(user_id, set()).add(changed)
        self._watched_tenant[user_id] = tenant_id
        try:
            yield changed
        finally:
            watchers = self._watchers.get(user_id, set())
            watchers.discard(changed)
            if not watchers:
                self._watchers.pop(user_id, None)
                self._watched_tenant.pop(user_id, None)

    def _clear(self) -> None:
        """The LISTEN link came up again (or went): what was missed meanwhile is unknown."""
        self._generation += 1
        self._standing.clear()
        for watchers in self._watchers.values():
            for watcher in watchers:
                watcher.set()

    def _on_listening(self) -> None:
        self._clear()
        self.listening.set()

    def _on_lost(self) -> None:
        self.listening.clear()
        self._clear()

    async def listen(self) -> None:
        await listen_forever(
            self.db,
            CHANNEL,
            lambda payload: self.forget([payload]),
            on_listening=self._on_listening,
            on_lost=self._on_lost,
            what="revocation listener",
        )


@contextlib.asynccontextmanager
async def revocations(
    db: Database, cache_s: float, supervisor: Supervisor
) -> AsyncIterator[Revocations]:
    """The checker and its LISTEN task, for the lifetime of the service."""
    checker = Revocations(db, cache_s)
    async with supervisor.running("revocation-listener", checker.listen):
        yield checker
