from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from gtvision.services.background import Supervisor
from gtvision.services.events.bus import EventHub
from gtvision.services.store.db import Database


@asynccontextmanager
async def event_hub(db: Database, supervisor: Supervisor) -> AsyncIterator[EventHub]:
    """The hub and its LISTEN task, for the lifetime of the service."""
    hub = EventHub(db)
    async with supervisor.running("event-listener", hub.listen):
        yield hub
