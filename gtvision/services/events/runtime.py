from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gtvision.services.events.bus import EventHub
from gtvision.services.store.db import Database


@asynccontextmanager
async def event_hub(db: Database) -> AsyncIterator[EventHub]:
    """The hub and its LISTEN task, for the lifetime of the service."""
    hub = EventHub(db)
    task = asyncio.create_task(hub.listen(), name="event-listener")
    try:
        yield hub
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
