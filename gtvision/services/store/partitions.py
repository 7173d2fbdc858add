"""Monthly partitions of ``ai.detections``: made ahead of need, dropped whole by retention."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

_LOCK_KEY = 0x67747632  # "gtv2": one instance at a time creates or drops partitions
_NAME = re.compile(r"^detections_p(?P<y>\d{4})(?P<m>\d{2})$")


def month_start(at: datetime) -> datetime:
    at = at.astimezone(UTC)
    return datetime(at.year, at.month, 1, tzinfo=UTC)


def next_month(start: datetime) -> datetime:
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def partition_name(start: datetime) -> str:
    return f"detections_p{start.year:04d}{start.month:02d}"


async def ensure_partition(session: AsyncSession, at: datetime) -> str:
    """The partition holding ``at``, created if missing (safe against concurrent instances)."""
    start = month_start(at)
    name = partition_name(start)
    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    # Names and bounds come from datetimes we formatted ourselves, never from user text.
    await session.execute(
        text(
            f"CREATE TABLE IF NOT EXISTS ai.{name} PARTITION OF ai.detections "
            f"FOR VALUES FROM ('{start.isoformat()}') TO ('{next_month(start).isoformat()}')"
        )
    )
    return name


async def partitions(session: AsyncSession) -> dict[str, datetime]:
    """Existing partitions by name → first instant they hold."""
    rows = await session.execute(
        text(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace "
            "WHERE n.nspname = 'ai' AND p.relname = 'detections'"
        )
    )
    found = {}
    for (name,) in rows:
        match = _NAME.match(name)
        if match:
            found[name] = datetime(int(match["y"]), int(match["m"]), 1, tzinfo=UTC)
    return found


async def drop_partitions_before(session: AsyncSession, cutoff: datetime) -> list[str]:
    """Drop every month that ends at or before ``cutoff``; returns the names dropped."""
    await session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    dropped = []
    for name, start in sorted((await partitions(session)).items()):
        if next_month(start) <= cutoff:
            await session.execute(text(f"DROP TABLE ai.{name}"))
            dropped.append(name)
    return dropped
