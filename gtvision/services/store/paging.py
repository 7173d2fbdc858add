"""Keyset pagination on time-ordered UUID primary keys: ``WHERE id > :cursor ORDER BY id``."""

from __future__ import annotations

import base64
import binascii
import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.services.errors import InvalidInputError

T = TypeVar("T")

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def encode_cursor(last_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(last_id.bytes).rstrip(b"=").decode()


def decode_cursor(cursor: str) -> uuid.UUID:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return uuid.UUID(bytes=raw)
    except (binascii.Error, ValueError) as exc:
        raise InvalidInputError("cursor is not one this API returned") from exc


async def fetch_page(
    session: AsyncSession,
    stmt: Select[T],
    id_column: Any,
    cursor: str | None,
    limit: int,
) -> tuple[Sequence[T], str | None]:
    """One page of ``stmt`` plus the cursor of the next page (``None`` on the last)."""
    if cursor:
        stmt = stmt.where(id_column > decode_cursor(cursor))
    rows: Sequence[T] = (await session.scalars(stmt.order_by(id_column).limit(limit + 1))).all()
    if len(rows) <= limit:
        return rows, None
    page = rows[:limit]
    return page, encode_cursor(getattr(page[-1], "id"))  # noqa: B009 - rows are models
