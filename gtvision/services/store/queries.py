"""Every query the service layers need, in one place; they call these and build no SQL.

List queries return a ``Select`` for :func:`.paging.fetch_page`; the tenant filter is added by
:mod:`.tenancy` when the statement runs, never here.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, Update, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.services.store.models import (
    AuditEntry,
    Camera,
    Event,
    RefreshToken,
    Tenant,
    User,
    View,
    Zone,
)

S = TypeVar("S", Select[Any], Update)


def _where(stmt: S, *conditions: ColumnElement[bool] | None) -> S:
    """``stmt`` narrowed by every condition given (``None`` means "no filter")."""
    for condition in conditions:
        if condition is not None:
            stmt = stmt.where(condition)
    return stmt


def _contains(column: Any, text_: str | None) -> ColumnElement[bool] | None:
    return column.icontains(text_, autoescape=True) if text_ else None


def _equals(column: Any, value: object | None) -> ColumnElement[bool] | None:
    return column == value if value is not None else None


# Lists -----------------------------------------------------------------------------------------


def tenants(*, q: str | None, active: bool | None) -> Select[Tenant]:
    return _where(select(Tenant), _contains(Tenant.name, q), _equals(Tenant.active, active))


def zones(*, q: str | None) -> Select[Zone]:
    return _where(select(Zone), _contains(Zone.name, q))


def views(*, user_id: uuid.UUID) -> Select[View]:
    return select(View).where(View.user_id == user_id)


def cameras(
    *,
    zone_id: uuid.UUID | None = None,
    enabled: bool | None = None,
    status: str | None = None,
    ptz_capable: bool | None = None,
    q: str | None = None,
) -> Select[Camera]:
    return _where(
        select(Camera),
        _equals(Camera.zone_id, zone_id),
        _equals(Camera.enabled, enabled),
        _equals(Camera.status, status),
        _equals(Camera.ptz_capable, ptz_capable),
        _contains(Camera.name, q),
    )


def users(*, role: str | None, q: str | None) -> Select[User]:
    return _where(select(User), _equals(User.role, role), _contains(User.username, q))


def audit_entries(
    *,
    action: str | None,
    user_id: uuid.UUID | None,
    target_id: str | None,
    since: datetime | None,
    until: datetime | None,
) -> Select[AuditEntry]:
    return _where(
        select(AuditEntry),
        _equals(AuditEntry.action, action),
        _equals(AuditEntry.user_id, user_id),
        _equals(AuditEntry.target_id, target_id),
        AuditEntry.at >= since if since else None,
        AuditEntry.at < until if until else None,
    )


# Look-ups --------------------------------------------------------------------------------------


async def tenant_by_slug(session: AsyncSession, slug: str) -> Tenant | None:
    result: Tenant | None = await session.scalar(select(Tenant).where(Tenant.slug == slug))
    return result


async def user_by_username(session: AsyncSession, username: str) -> User | None:
    result: User | None = await session.scalar(select(User).where(User.username == username))
    return result


async def enabled_cameras(session: AsyncSession) -> Sequence[Camera]:
    return (await session.scalars(select(Camera).where(Camera.enabled))).all()


async def camera_onvif_urls(session: AsyncSession) -> list[tuple[uuid.UUID, str]]:
    rows = await session.execute(
        select(Camera.id, Camera.onvif_url).where(Camera.onvif_url.is_not(None))
    )
    return [(camera_id, str(url)) for camera_id, url in rows.all()]


# Refresh tokens --------------------------------------------------------------------------------


async def refresh_token(
    session: AsyncSession, token_hash: str, *, lock: bool
) -> RefreshToken | None:
    stmt = select(RefreshToken).where(RefreshToken.token_hash == token_hash)
    result: RefreshToken | None = await session.scalar(stmt.with_for_update() if lock else stmt)
    return result


async def revoke_refresh_tokens(
    session: AsyncSession,
    now: datetime,
    *,
    user_id: uuid.UUID | None = None,
    family_id: uuid.UUID | None = None,
) -> None:
    """Revoke a user's tokens, or one login's chain (exactly one of the two is given)."""
    if (user_id is None) == (family_id is None):
        raise ValueError("give user_id or family_id")
    await session.execute(
        _where(
            update(RefreshToken).values(revoked_at=now),
            RefreshToken.revoked_at.is_(None),
            _equals(RefreshToken.user_id, user_id),
            _equals(RefreshToken.family_id, family_id),
        )
    )


# Events ----------------------------------------------------------------------------------------


async def events_after(
    session: AsyncSession,
    since: uuid.UUID,
    *,
    types: frozenset[str],
    camera_id: uuid.UUID | None,
    limit: int,
) -> Sequence[Event]:
    stmt = _where(
        select(Event),
        Event.id > since,
        Event.type.in_(types) if types else None,
        _equals(Event.camera_id, camera_id),
    )
    return (await session.scalars(stmt.order_by(Event.id).limit(limit))).all()


async def notify(session: AsyncSession, channel: str, payload: str) -> None:
    """``NOTIFY``, delivered when (and only if) the session's transaction commits."""
    await session.execute(
        text("SELECT pg_notify(:channel, :payload)"), {"channel": channel, "payload": payload}
    )
