"""Publishing events, fanning them out to this instance's subscribers, queueing webhooks.

``publish`` stores the event and queues a ``NOTIFY`` in the caller's transaction, so an event
is delivered exactly when (and only if) the change that caused it commits, on every instance.
Each instance keeps one listening connection; when the database goes away it reconnects with
backoff, and clients fill any gap by resuming from their last event id.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.contract import EventMessage
from gtvision.services.store import queries, relays
from gtvision.services.store.db import Database
from gtvision.services.store.models import Event, WebhookDelivery
from gtvision.services.store.notifications import listen_forever
from gtvision.services.store.tenancy import Scope

log = logging.getLogger(__name__)

CHANNEL = "gtv_events"
BACKLOG_LIMIT = 1000


def to_message(event: Event) -> EventMessage:
    return EventMessage(
        id=event.id,
        at=event.at,
        type=event.type,
        tenant_id=event.tenant_id,
        camera_id=event.camera_id,
        data=event.data,
    )


async def publish(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    type_: str,
    data: dict[str, Any],
    camera_id: uuid.UUID | None = None,
) -> Event:
    event = Event(tenant_id=tenant_id, type=type_, camera_id=camera_id, data=data)
    session.add(event)
    await session.flush()  # fills ``at`` (server default) through RETURNING
    payload = to_message(event).model_dump_json()
    await queries.notify(session, CHANNEL, payload)
    # The outbox: deliveries commit (or not) with the event, and any instance may send them.
    for webhook in await queries.active_webhooks(session, tenant_id):
        if not webhook.types or type_ in webhook.types:
            session.add(WebhookDelivery(
                tenant_id=tenant_id, webhook_id=webhook.id, event_id=event.id,
                event_type=type_, payload=payload,
            ))  # fmt: skip
    await relays.queue_for_relays(session, event, payload)  # RabbitMQ, where switched on
    return event


@dataclass(eq=False)
class Subscription:
    tenant_id: uuid.UUID
    types: frozenset[str] = frozenset()
    camera_id: uuid.UUID | None = None
    queue: asyncio.Queue[EventMessage] = field(default_factory=lambda: asyncio.Queue(1000))
    dropped: int = 0

    def wants(self, message: EventMessage) -> bool:
        return (
            message.tenant_id == self.tenant_id
            and (not self.types or message.type in self.types)
            and (self.camera_id is None or message.camera_id == self.camera_id)
        )


class EventHub:
    """This instance's subscribers, fed by one ``LISTEN`` connection."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._subscriptions: set[Subscription] = set()
        self.listening = asyncio.Event()

    @contextlib.asynccontextmanager
    async def subscribe(self, subscription: Subscription) -> AsyncIterator[Subscription]:
        self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)

    def dispatch(self, payload: str) -> None:
        try:
            message = EventMessage.model_validate_json(payload)
        except ValueError:
            log.error("unreadable event notification")
            return
        for subscription in self._subscriptions:
            if subscription.wants(message):
                try:
                    subscription.queue.put_nowait(message)
                except asyncio.QueueFull:
                    subscription.dropped += 1  # a stuck client; it resumes from its last id

    async def backlog(self, subscription: Subscription, since: uuid.UUID) -> Sequence[Event]:
        async with self.db.read_session(Scope.tenant(subscription.tenant_id)) as session:
            return await queries.events_after(
                session,
                since,
                types=subscription.types,
                camera_id=subscription.camera_id,
                limit=BACKLOG_LIMIT,
            )

    async def listen(self) -> None:
        """Hold a LISTEN connection for as long as the service runs."""
        await listen_forever(
            self.db,
            CHANNEL,
            self.dispatch,
            on_listening=self.listening.set,
            on_lost=self.listening.clear,
            what="event listener",
        )
