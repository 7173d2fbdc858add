"""The SQL of event relays (RabbitMQ): who wants events, and the outbox they are sent from."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, func, literal, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.services.store.models import Event, EventRelay, RelayOutbox


async def queue_for_relays(session: AsyncSession, event: Event, payload: str) -> None:
    """One outbox row per registered relay, in the event's transaction (none: no row)."""
    rows = select(
        EventRelay.name,
        literal(event.id),
        literal(event.tenant_id),
        literal(event.type),
        literal(event.at),
        literal(payload),
    )
    columns = ["relay", "event_id", "tenant_id", "event_type", "at", "payload"]
    await session.execute(insert(RelayOutbox).from_select(columns, rows))


async def register(session: AsyncSession, relay: str) -> None:
    await session.execute(insert(EventRelay).values(name=relay).on_conflict_do_nothing())


async def unregister(session: AsyncSession, relay: str) -> None:
    """Events stop queueing for it, and what was queued is dropped (nobody will send it)."""
    await session.execute(delete(EventRelay).where(EventRelay.name == relay))
    await session.execute(delete(RelayOutbox).where(RelayOutbox.relay == relay))


async def claim(session: AsyncSession, relay: str, limit: int) -> Sequence[RelayOutbox]:
    """The oldest queued events; ``SKIP LOCKED`` lets several instances send side by side."""
    return (
        await session.scalars(
            select(RelayOutbox)
            .where(RelayOutbox.relay == relay)
            .order_by(RelayOutbox.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    ).all()


async def sent(session: AsyncSession, ids: Sequence[int]) -> None:
    await session.execute(delete(RelayOutbox).where(RelayOutbox.id.in_(ids)))


async def backlog(session: AsyncSession, relay: str) -> int:
    count = await session.scalar(
        select(func.count()).select_from(RelayOutbox).where(RelayOutbox.relay == relay)
    )
    return int(count or 0)
