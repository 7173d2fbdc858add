"""Small row helpers every area uses: fetch-or-404 and optimistic-lock checks."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.services.errors import NotFoundError, PreconditionFailedError
from gtvision.services.store.models import Base

M = TypeVar("M", bound=Base)


async def get_or_404(session: AsyncSession, model: type[M], row_id: uuid.UUID) -> M:
    """The row if the caller's scope can see it; otherwise 404, never 403 (no id probing)."""
    row = await session.get(model, row_id)
    if row is None:
        raise NotFoundError(f"{model.__name__.lower()} {row_id} not found")
    return row


def check_version(row: Any, expected: int | None) -> None:
    """``If-Match``: refuse to update a row that changed since the caller read it."""
    if expected is not None and row.version != expected:
        raise PreconditionFailedError(
            f"{type(row).__name__.lower()} changed (now version {row.version}); read it again"
        )


def apply_changes(row: Any, changes: dict[str, Any]) -> list[str]:
    """Set the given fields; returns the names of those that really changed (for the audit)."""
    changed = []
    for name, value in changes.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
            changed.append(name)
    return sorted(changed)
