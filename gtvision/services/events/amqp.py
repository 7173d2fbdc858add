"""Every domain event to RabbitMQ: the topic exchange ``domain.events``, routing key = type.

Off unless ``amqp_url`` is set. Then the relay registers itself in ``admin.event_relays``, after
which every event also lands in ``admin.relay_outbox`` in its own transaction; the relay sends
the outbox in order with publisher confirms and deletes what the broker confirmed. RabbitMQ
down → events wait in PostgreSQL and go out when it is back; several instances share the
outbox (``SKIP LOCKED``). A crash between the broker's confirm and the delete sends an event
again, with the same ``message_id`` (the event id): consumers dedupe on it (at-least-once).

Messages: JSON as on the WebSocket (``EventMessage``), persistent, ``content_type``
``application/json``, ``message_id`` the event id, ``timestamp`` its time, header
``tenant_id``; bind with ``#`` for everything, ``plate.read`` or ``alert.*`` for some.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aio_pika
from aio_pika.abc import AbstractExchange
from aio_pika.exceptions import AMQPError, ChannelInvalidStateError
from sqlalchemy.exc import DBAPIError, InterfaceError

from gtvision.redaction import redacted
from gtvision.retry import Backoff
from gtvision.services.context import Runtime
from gtvision.services.store import relays
from gtvision.services.store.db import Database
from gtvision.services.store.tenancy import Scope

log = logging.getLogger(__name__)
RELAY = "amqp"


class AmqpRelay:
    def __init__(
        self, db: Database, url: str, exchange: str, *, batch: int = 200, poll_s: float = 0.5
    ) -> None:
        self.db, self.url, self.exchange_name = db, url, exchange
        self.batch = batch
        self.poll_s = poll_s
        self.sent = 0
        self.failures = 0
        self.connected = False

    async def run(self) -> None:
        backoff, attempt = Backoff(initial_s=0.5, max_s=30.0), 0
        while True:
            try:
                async with self.db.session(Scope.all_tenants()) as session:
                    await relays.register(session, RELAY)
                connection = await aio_pika.connect(self.url, timeout=10)
                async with connection:
                    channel = await connection.channel(publisher_confirms=True)
                    exchange = await channel.declare_exchange(
                        self.exchange_name, aio_pika.ExchangeType.TOPIC, durable=True
                    )
                    self.connected, attempt = True, 0
                    while True:
                        if not await self.relay_once(exchange):
                            await asyncio.sleep(self.poll_s)
            except (
                AMQPError,
                ChannelInvalidStateError,  # a RuntimeError: the broker closed the channel
                OSError,
                TimeoutError,
                DBAPIError,
                InterfaceError,
            ) as exc:
                self.connected = False
                self.failures += 1
                attempt += 1
                log.warning(
                    "events wait for RabbitMQ at %s (%s: %s)",
                    redacted(self.url), type(exc).__name__, exc,
                )  # fmt: skip
                await asyncio.sleep(backoff.delay(attempt))

    async def relay_once(self, exchange: AbstractExchange) -> int:
        """Send one batch; the rows stay locked (and queued) until the broker confirmed."""
        async with self.db.session(Scope.all_tenants()) as session:
            rows = await relays.claim(session, RELAY, self.batch)
            for row in rows:
                message = aio_pika.Message(
                    body=row.payload.encode(),
                    content_type="application/json",
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    message_id=str(row.event_id),
                    timestamp=row.at,
                    headers={"tenant_id": str(row.tenant_id)},
                )
                await exchange.publish(message, routing_key=row.event_type, timeout=10)
            if rows:
                await relays.sent(session, [row.id for row in rows])
        self.sent += len(rows)
        return len(rows)


@asynccontextmanager
async def amqp_relay(runtime: Runtime) -> AsyncIterator[AmqpRelay | None]:
    """The relay where ``amqp_url`` is set; where it is not, nothing queues for it."""
    settings = runtime.settings
    if settings.amqp_url is None:
        with contextlib.suppress(DBAPIError, InterfaceError, OSError):
            async with runtime.db.session(Scope.all_tenants()) as session:
                await relays.unregister(session, RELAY)
        yield None
        return
    relay = AmqpRelay(runtime.db, settings.amqp_url.get_secret_value(), settings.amqp_exchange)
    async with runtime.supervisor.running("amqp-relay", relay.run):
        yield relay
