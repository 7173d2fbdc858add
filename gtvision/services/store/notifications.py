"""PostgreSQL ``LISTEN`` on a dedicated connection, kept until the connection is lost."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Any

from gtvision.retry import Backoff
from gtvision.services.background import stop_if_cancelled
from gtvision.services.store.db import Database

log = logging.getLogger(__name__)

_PROBE_EVERY_S = 5.0


async def listen_until_lost(
    db: Database,
    channel: str,
    on_message: Callable[[str], None],
    *,
    on_listening: Callable[[], None] = lambda: None,
) -> None:
    """Call ``on_message(payload)`` for every notification; return when the link dies.

    A silent socket is noticed by a cheap query every few seconds, so that a database that
    went away without closing the connection does not leave the caller listening to nothing.
    """
    lost = asyncio.Event()
    async with db.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        driver: Any = raw.driver_connection  # asyncpg's connection: LISTEN needs the driver
        await driver.add_listener(channel, lambda *args: on_message(args[3]))
        driver.add_termination_listener(lambda _conn: lost.set())
        on_listening()
        while not lost.is_set() and not driver.is_closed():
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(_PROBE_EVERY_S):
                    await lost.wait()
            if not lost.is_set():
                # On the driver, not through SQLAlchemy: its autobegun transaction would stay
                # open, and PostgreSQL holds notifications back until a transaction ends.
                await driver.fetchval("SELECT 1")


async def listen_forever(
    db: Database,
    channel: str,
    on_message: Callable[[str], None],
    *,
    on_listening: Callable[[], None] = lambda: None,
    on_lost: Callable[[], None] = lambda: None,
    what: str = "listener",
) -> None:
    """``listen_until_lost`` again and again, with backoff, until cancelled; ``on_lost`` runs
    each time the link drops (notifications sent meanwhile are gone)."""
    backoff, attempt = Backoff(initial_s=0.2, max_s=5.0), 0
    while True:
        try:
            await listen_until_lost(db, channel, on_message, on_listening=on_listening)
            attempt = 0
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            stop_if_cancelled()
            log.warning("%s lost the database (%s)", what, type(exc).__name__)
        on_lost()
        await asyncio.sleep(backoff.delay(attempt))
        attempt += 1
