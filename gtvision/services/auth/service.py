"""Sign-in with lock-out, refresh-token rotation with reuse detection, sign-out.

A refresh token is single-use: refreshing revokes it and issues the next one of the same
*family*. Presenting a revoked token again means it was stolen (or replayed), so the whole
family is revoked and the legitimate holder must sign in again (OAuth 2.0 Security BCP §4.14).
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.contract import Role, TokenPair
from gtvision.services.audit.service import AuditEvent, record_alone
from gtvision.services.auth import revocation
from gtvision.services.auth.passwords import verify_password
from gtvision.services.auth.tokens import (
    Principal,
    issue_access_token,
    new_refresh_token,
    refresh_token_hash,
)
from gtvision.services.context import Runtime
from gtvision.services.errors import TooManyRequestsError, UnauthorizedError
from gtvision.services.settings import Settings
from gtvision.services.store import queries
from gtvision.services.store.ids import uuid7
from gtvision.services.store.models import RefreshToken, Tenant, User
from gtvision.services.store.tenancy import Scope

_SYSTEM = Scope.all_tenants()


def principal_of(user: User) -> Principal:
    return Principal(
        user_id=user.id,
        username=user.username,
        role=Role(user.role),
        tenant_id=user.tenant_id,
        epoch=user.token_epoch,
    )


async def _usable(session: AsyncSession, user: User) -> bool:
    if not user.active:
        return False
    if user.tenant_id is None:
        return True
    tenant = await session.get(Tenant, user.tenant_id)
    return tenant is not None and tenant.active


async def _issue(
    session: AsyncSession, runtime: Runtime, user: User, family_id: uuid.UUID
) -> TokenPair:
    settings = runtime.settings
    token, token_hash = new_refresh_token()
    session.add(
        RefreshToken(
            user_id=user.id,
            family_id=family_id,
            token_hash=token_hash,
            expires_at=datetime.now(UTC) + timedelta(seconds=settings.refresh_token_ttl_s),
        )
    )
    return TokenPair(
        access_token=issue_access_token(
            principal_of(user), runtime.keys.jwt_key, settings.access_token_ttl_s
        ),
        expires_in=settings.access_token_ttl_s,
        refresh_token=token,
        refresh_expires_in=settings.refresh_token_ttl_s,
    )


async def login(runtime: Runtime, username: str, password: str, source_ip: str) -> TokenPair:
    """Check a password; no connection is held while argon2 runs (tens of ms of CPU)."""
    # PostgreSQL text cannot hold NUL and no username has one: drop it rather than fail.
    username = username.replace("\x00", "")[:64]
    async with runtime.db.session(_SYSTEM) as session:
        user = await queries.user_by_username(session, username)
        usable = user is not None and await _usable(session, user)
        locked_until = (
            await queries.source_locked_until(session, user.id, source_ip) if user else None
        )
    now = datetime.now(UTC)
    if user is not None and locked_until is not None and locked_until > now:
        await _audit_login(runtime, user, username, source_ip, "locked")
        raise TooManyRequestsError(
            "too many failed sign-ins from here: locked for a while",
            retry_after_s=(locked_until - now).total_seconds(),
        )
    if user is not None:
        # Guesses from many addresses are not locked out but slowed, account-wide.
        await asyncio.sleep(slowdown_s(user.failed_logins, runtime.settings))
    if not await verify_password(user.password_hash if user else None, password):
        detail = await _count_failure(runtime, user, source_ip) if user is not None else None
        await _audit_login(runtime, user, username, source_ip, "failure", detail)
        raise UnauthorizedError("wrong username or password, or account disabled")
    if user is None or not usable:
        await _audit_login(runtime, user, username, source_ip, "disabled")
        raise UnauthorizedError("wrong username or password, or account disabled")
    async with runtime.db.session(_SYSTEM) as session:
        user = await session.get(User, user.id, with_for_update=True)
        if user is None:  # deleted meanwhile
            raise UnauthorizedError("wrong username or password, or account disabled")
        await queries.note_sign_in(session, user.id, at=now)
        await queries.forget_login_failure(session, user.id, source_ip)
        pair = await _issue(session, runtime, user, family_id=uuid7())
    await _audit_login(runtime, user, username, source_ip, "success")
    return pair


def slowdown_s(failed_logins: int, settings: Settings) -> float:
    """Seconds every sign-in of an account waits once it has failed ``login_max_failures``
    times in a row from anywhere: 0.25 s, doubling with each failure, up to the cap."""
    beyond = failed_logins - settings.login_max_failures
    if beyond < 0:
        return 0.0
    return float(min(settings.login_slowdown_max_s, 0.25 * 2.0 ** min(beyond, 16)))


async def _count_failure(runtime: Runtime, user: User, source_ip: str) -> dict[str, object] | None:
    """One more failure: the account's count (its slow-down) and this address's (its lock).
    Returns the audit detail when this address got locked."""
    settings = runtime.settings
    locked_until = datetime.now(UTC) + timedelta(seconds=settings.login_lockout_s)
    async with runtime.db.session(_SYSTEM) as session:
        row = await session.get(User, user.id, with_for_update=True)
        if row is None:
            return None
        locked = await queries.count_login_failure(
            session, user.id, source_ip, settings.login_max_failures, locked_until
        )
        # The account's count (its slow-down), and the latest lock from some address (shown
        # to admins); neither is a change of the account's settings.
        await queries.note_sign_in(
            session, user.id, failed=True, locked_until=locked_until if locked else None
        )
        return {"locked_for_s": settings.login_lockout_s} if locked else None


async def _audit_login(
    runtime: Runtime,
    user: User | None,
    username: str,
    source_ip: str,
    outcome: str,
    detail: dict[str, object] | None = None,
) -> None:
    await record_alone(
        runtime.db,
        AuditEvent("auth.login", outcome, "user", user.id if user else None, detail),
        tenant_id=user.tenant_id if user else None,
        user_id=user.id if user else None,
        username=username,
        source_ip=source_ip,
    )


async def refresh(runtime: Runtime, token: str, source_ip: str) -> TokenPair:
    now = datetime.now(UTC)
    reuse: RefreshToken | None = None
    async with runtime.db.session(_SYSTEM) as session:
        stored = await queries.refresh_token(session, refresh_token_hash(token), lock=True)
        if stored is None or stored.expires_at <= now:
            raise UnauthorizedError("refresh token unknown or expired: sign in again")
        if stored.revoked_at is not None:
            reuse = stored
            await queries.revoke_refresh_tokens(session, now, family_id=stored.family_id)
        else:
            user = await session.get(User, stored.user_id)
            if user is None or not await _usable(session, user):
                raise UnauthorizedError("account disabled")
            stored.revoked_at = now
            return await _issue(session, runtime, user, family_id=stored.family_id)
    await record_alone(
        runtime.db,
        AuditEvent("auth.refresh", "reuse_detected", "user", reuse.user_id),
        tenant_id=None,
        user_id=reuse.user_id,
        username=None,
        source_ip=source_ip,
    )
    raise UnauthorizedError("refresh token already used: every session of it is revoked")


async def logout(runtime: Runtime, token: str) -> None:
    """Revoke the token's whole family; unknown tokens are ignored (logout is idempotent)."""
    async with runtime.db.session(_SYSTEM) as session:
        stored = await queries.refresh_token(session, refresh_token_hash(token), lock=False)
        if stored is not None:
            now = datetime.now(UTC)
            await queries.revoke_refresh_tokens(session, now, family_id=stored.family_id)


async def revoke_user_sessions(session: AsyncSession, user: User) -> None:
    """After a password change, a role change or a deactivation: refresh tokens are revoked and
    the token epoch moves on, so access and stream tokens already issued die on their next use
    (on every instance: the commit notifies them)."""
    await queries.revoke_refresh_tokens(session, datetime.now(UTC), user_id=user.id)
    user.token_epoch += 1
    await revocation.announce(session, user_id=user.id)
