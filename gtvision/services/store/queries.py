"""Every query the service layers need, in one place; they call these and build no SQL.

List queries return a ``Select`` for :func:`.paging.fetch_page`; the tenant filter is added by
:mod:`.tenancy` when the statement runs, never here.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Delete,
    Select,
    Update,
    delete,
    func,
    literal,
    or_,
    select,
    text,
    tuple_,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.services.store.models import (
    Alert,
    AuditEntry,
    Camera,
    Detection,
    Event,
    LoginFailure,
    RefreshToken,
    Tenant,
    User,
    View,
    Watchlist,
    WatchlistEntry,
    Webhook,
    WebhookDelivery,
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


# Sign-in failures -------------------------------------------------------------------------------


async def source_locked_until(
    session: AsyncSession, user_id: uuid.UUID, source_ip: str
) -> datetime | None:
    stmt = select(LoginFailure.locked_until).where(
        LoginFailure.user_id == user_id, LoginFailure.source_ip == source_ip
    )
    return (await session.execute(stmt)).scalar_one_or_none()


async def count_login_failure(
    session: AsyncSession, user_id: uuid.UUID, source_ip: str, limit: int, lock_until: datetime
) -> bool:
    """One more failure of this account from this address; at ``limit``, the pair is locked
    until ``lock_until`` and counting starts again. True when this failure locked it."""
    counted = (
        pg_insert(LoginFailure)
        .values(user_id=user_id, source_ip=source_ip, failures=1)
        .on_conflict_do_update(
            index_elements=[LoginFailure.user_id, LoginFailure.source_ip],
            set_={"failures": LoginFailure.failures + 1, "updated_at": func.now()},
        )
        .returning(LoginFailure.failures)
    )
    failures = (await session.execute(counted)).scalar_one()
    if failures < limit:
        return False
    await session.execute(
        update(LoginFailure)
        .where(LoginFailure.user_id == user_id, LoginFailure.source_ip == source_ip)
        .values(failures=0, locked_until=lock_until)
    )
    return True


async def forget_login_failure(session: AsyncSession, user_id: uuid.UUID, source_ip: str) -> None:
    await session.execute(
        delete(LoginFailure).where(
            LoginFailure.user_id == user_id, LoginFailure.source_ip == source_ip
        )
    )


async def note_sign_in(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    at: datetime | None = None,
    failed: bool = False,
    locked_until: datetime | None = None,
) -> None:
    """Sign-in bookkeeping (last sign-in, failures, lock) without a new ``version``: a user
    signing in is not a change to the account, and must not make an admin's edit stale."""
    values: dict[str, Any] = (
        {"failed_logins": User.failed_logins + 1} if failed
        else {"failed_logins": 0, "last_login_at": at}
    )  # fmt: skip
    if locked_until is not None:
        values["locked_until"] = locked_until
    stmt = update(User).where(User.id == user_id).values(**values)
    await session.execute(stmt.execution_options(synchronize_session=False))


async def forget_login_failures(session: AsyncSession, user_id: uuid.UUID) -> None:
    await session.execute(delete(LoginFailure).where(LoginFailure.user_id == user_id))


# Refresh tokens --------------------------------------------------------------------------------


async def user_standing(
    session: AsyncSession, user_id: uuid.UUID
) -> tuple[bool, int, uuid.UUID | None, bool] | None:
    """(active, token epoch, tenant, tenant active) of a user, None if there is no such user."""
    row = (
        await session.execute(
            select(User.active, User.token_epoch, User.tenant_id, Tenant.active)
            .outerjoin(Tenant, Tenant.id == User.tenant_id)
            .where(User.id == user_id)
        )
    ).first()
    return None if row is None else (row[0], row[1], row[2], bool(row[3]))


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


def detections(
    *,
    exact: str | None = None,
    prefix: str | None = None,
    fuzzy_key: str | None = None,
    camera_id: uuid.UUID | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    before: tuple[datetime, uuid.UUID] | None = None,
) -> Select[Detection, str | None]:
    """Plate reads, newest first, with their camera's name (as it is now, or as it was when
    read for a camera removed since).

    ``prefix`` uses the ``varchar_pattern_ops`` index (its alphabet has no LIKE wildcards);
    ``fuzzy_key`` (a :func:`~gtvision.services.lpr.plates.plate_key`) finds trigram neighbours
    through the GIN index, then keeps those within one edit. For both, the newest-first order
    is on an expression no index provides: otherwise PostgreSQL may walk the (tenant, at) index
    backwards hoping to meet matches early, which for a rare prefix means most of the table
    (measured: p95 564 ms for 3-character prefixes over 10 M reads; see bench/search.py).
    """
    conditions = (
        Detection.plate == exact if exact else None,
        Detection.plate.startswith(prefix) if prefix else None,
        Detection.plate_key.op("%")(fuzzy_key) if fuzzy_key else None,
        func.levenshtein(Detection.plate_key, fuzzy_key) <= 1 if fuzzy_key else None,
        _equals(Detection.camera_id, camera_id),
        Detection.at >= since if since else None,
        Detection.at < until if until else None,
        tuple_(Detection.at, Detection.id) < tuple_(*before) if before else None,
    )
    newest = Detection.at + text("interval '0'") if prefix or fuzzy_key else Detection.at
    return (
        select(Detection, func.coalesce(Camera.name, Detection.camera_name))
        .outerjoin(Camera, Camera.id == Detection.camera_id)
        .where(*(c for c in conditions if c is not None))
        .order_by(newest.desc(), Detection.id.desc())
    )


async def detection(session: AsyncSession, detection_id: uuid.UUID) -> Detection | None:
    return await session.scalar(select(Detection).where(Detection.id == detection_id))


def watchlists(*, q: str | None) -> Select[Watchlist]:
    return _where(select(Watchlist), _contains(Watchlist.name, q))


def watchlist_entries(*, watchlist_id: uuid.UUID, q: str | None) -> Select[WatchlistEntry]:
    return _where(
        select(WatchlistEntry).where(WatchlistEntry.watchlist_id == watchlist_id),
        WatchlistEntry.pattern.startswith(q.upper(), autoescape=True) if q else None,
    )


async def entries_by_pattern(
    session: AsyncSession, watchlist_id: uuid.UUID
) -> dict[str, WatchlistEntry]:
    rows = await session.scalars(
        select(WatchlistEntry).where(WatchlistEntry.watchlist_id == watchlist_id)
    )
    return {row.pattern: row for row in rows}


def alerts(
    *,
    acknowledged: bool | None,
    camera_id: uuid.UUID | None,
    plate: str | None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select[Alert]:
    return _where(
        select(Alert),
        None
        if acknowledged is None
        else (
            Alert.acknowledged_at.is_not(None) if acknowledged else Alert.acknowledged_at.is_(None)
        ),
        _equals(Alert.camera_id, camera_id),
        _equals(Alert.plate, plate),
        Alert.detection_at >= since if since is not None else None,
        Alert.detection_at < until if until is not None else None,
    )


def expired_detections(tenant_id: uuid.UUID, cutoff: datetime) -> Delete:
    return delete(Detection).where(Detection.tenant_id == tenant_id, Detection.at < cutoff)


def expired_alerts(tenant_id: uuid.UUID, cutoff: datetime) -> Delete:
    """Alerts last seen before ``cutoff``: they name a plate, kept no longer than its reads."""
    return delete(Alert).where(Alert.tenant_id == tenant_id, Alert.last_seen_at < cutoff)


def expired_events(
    tenant_id: uuid.UUID, cutoff: datetime, types: Sequence[str] | None = None
) -> Delete:
    """The tenant's events (of ``types``, else of every type) from before ``cutoff``."""
    return delete(Event).where(
        Event.tenant_id == tenant_id,
        Event.at < cutoff,
        *([Event.type.in_(types)] if types is not None else []),
    )


def crops_to_forget(
    tenant_id: uuid.UUID, cutoff: datetime, limit: int
) -> Select[uuid.UUID, datetime, str | None, str | None]:
    """A batch of reads past the crop retention that still point at stored images."""
    return (
        select(Detection.id, Detection.at, Detection.crop_key, Detection.frame_key)
        .where(
            Detection.tenant_id == tenant_id,
            Detection.at < cutoff,
            or_(Detection.crop_key.is_not(None), Detection.frame_key.is_not(None)),
        )
        .limit(limit)
    )


def forget_crops(ids: Sequence[uuid.UUID]) -> Update:
    return update(Detection).where(Detection.id.in_(ids)).values(crop_key=None, frame_key=None)


async def insert_detection(session: AsyncSession, **values: Any) -> bool:
    """Insert a plate read unless its id is already stored (a replay); True if it was new."""
    inserted = await session.scalar(
        pg_insert(Detection).values(**values).on_conflict_do_nothing().returning(Detection.id)
    )
    return inserted is not None


async def matching_entries(
    session: AsyncSession, plate: str
) -> list[tuple[WatchlistEntry, Watchlist]]:
    """Live entries of alerting lists that match ``plate`` (tenant-filtered by the session).

    Patterns are stored in SQL ``LIKE`` form over a letters-and-digits alphabet, so matching
    is linear and needs no escaping; exact plates use the (tenant, pattern) index.
    """
    stmt = (
        select(WatchlistEntry, Watchlist)
        .join(Watchlist, Watchlist.id == WatchlistEntry.watchlist_id)
        .where(
            Watchlist.active,
            Watchlist.raises_alerts,
            or_(WatchlistEntry.expires_at.is_(None), WatchlistEntry.expires_at > func.now()),
            or_(
                WatchlistEntry.pattern == plate,
                WatchlistEntry.like_pattern.is_not(None)
                & literal(plate).like(WatchlistEntry.like_pattern),
            ),
        )
        .order_by(WatchlistEntry.priority.desc())
    )
    return [(entry, wl) for entry, wl in (await session.execute(stmt)).all()]


async def open_alert_to_update(
    session: AsyncSession, camera_id: uuid.UUID, entry_id: uuid.UUID, seen_since: datetime
) -> Alert | None:
    """The camera's open alert for this watch-list entry whose plate was last seen after
    ``seen_since``, locked: a sighting within the repeat window updates it."""
    stmt = (
        select(Alert)
        .where(
            Alert.acknowledged_at.is_(None),
            Alert.camera_id == camera_id,
            Alert.entry_id == entry_id,
            Alert.last_seen_at >= seen_since,
        )
        .order_by(Alert.last_seen_at.desc())
        .limit(1)
        .with_for_update()
    )
    alert: Alert | None = await session.scalar(stmt)
    return alert


async def claim_reannouncements(
    session: AsyncSession, priority: int, every: timedelta
) -> Sequence[Alert]:
    """Open alerts of ``priority`` not announced for ``every``, marked announced now: one
    instance claims each, so a re-announcement goes out once whatever the instances."""
    due = func.coalesce(Alert.announced_at, Alert.created_at) <= func.now() - every
    stmt = (
        update(Alert)
        .where(Alert.acknowledged_at.is_(None), Alert.priority >= priority, due)
        .values(announced_at=func.now())
        .returning(Alert)
    )
    return (await session.scalars(stmt)).all()


async def retention_settings(session: AsyncSession) -> list[tuple[uuid.UUID, int, int]]:
    """Every tenant with its days of plate reads and of crops."""
    rows = await session.execute(
        select(Tenant.id, Tenant.detection_retention_days, Tenant.crop_retention_days)
    )
    return [(t, d, c) for t, d, c in rows]


async def active_webhooks(session: AsyncSession, tenant_id: uuid.UUID) -> Sequence[Webhook]:
    stmt = select(Webhook).where(Webhook.tenant_id == tenant_id, Webhook.active)
    return (await session.scalars(stmt)).all()


def webhooks() -> Select[Webhook]:
    return select(Webhook)


async def due_deliveries(
    session: AsyncSession, limit: int
) -> Sequence[tuple[WebhookDelivery, Webhook]]:
    """Deliveries whose time has come, locked for this instance (others skip them)."""
    stmt = (
        select(WebhookDelivery, Webhook)
        .join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
        .where(
            WebhookDelivery.delivered_at.is_(None),
            WebhookDelivery.failed_at.is_(None),
            WebhookDelivery.next_attempt_at <= func.now(),
        )
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
        .with_for_update(of=WebhookDelivery, skip_locked=True)
    )
    return [(d, w) for d, w in (await session.execute(stmt)).all()]


def old_deliveries(cutoff: datetime) -> Delete:
    """Webhook deliveries finished (sent or given up) before ``cutoff``: the outbox stays small."""
    return delete(WebhookDelivery).where(
        or_(WebhookDelivery.delivered_at < cutoff, WebhookDelivery.failed_at < cutoff)
    )
