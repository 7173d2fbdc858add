"""Escalation: a critical alert nobody has acknowledged is announced again, every
``alert_reannounce_s``, until someone does (``alert.reannounced``, the same data as
``alert.raised``). Every instance runs the loop; each re-announcement is claimed by one
``UPDATE … RETURNING``, so it goes out once however many instances there are."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

from sqlalchemy.exc import DBAPIError, InterfaceError
from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.contract import PriorityName
from gtvision.services.background import stop_if_cancelled
from gtvision.services.events.bus import publish
from gtvision.services.lpr.writer import alert_event
from gtvision.services.store import queries
from gtvision.services.store.db import Database
from gtvision.services.store.models import Alert, Camera, Watchlist
from gtvision.services.store.tenancy import Scope

log = logging.getLogger(__name__)

CRITICAL = list(PriorityName).index(PriorityName.CRITICAL) + 1


async def reannounce_due(db: Database, every_s: float) -> int:
    """One pass: re-announce what is due; returns how many."""
    async with db.session(Scope.all_tenants()) as session:
        due = await queries.claim_reannouncements(session, CRITICAL, timedelta(seconds=every_s))
        for alert in due:
            await publish(session, alert.tenant_id, "alert.reannounced",
                          await _data(session, alert), camera_id=alert.camera_id)  # fmt: skip
    return len(due)


async def _data(session: AsyncSession, alert: Alert) -> dict[str, object]:
    camera = await session.get(Camera, alert.camera_id) if alert.camera_id else None
    watchlist = await session.get(Watchlist, alert.watchlist_id) if alert.watchlist_id else None
    return alert_event(
        alert, camera.name if camera else None, watchlist.category if watchlist else None
    )


async def run(db: Database, every_s: float) -> None:
    """Forever, checking a few times per period; a database outage waits for the next."""
    while True:
        await asyncio.sleep(max(1.0, every_s / 4))
        try:
            count = await reannounce_due(db, every_s)
        except (DBAPIError, InterfaceError, OSError) as exc:
            stop_if_cancelled()
            log.warning("alert escalation skipped (database: %s)", type(exc).__name__)
            continue
        if count:
            log.info("re-announced %d unacknowledged critical alert(s)", count)
