"""User rules.

* Admins manage the users of their tenant, up to their own role; superadmins manage everyone.
* Users may change their own password, name and e-mail, nothing else.
* A new password, a new role or a deactivation ends every session of that user.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from gtvision.contract import Role, UserCreate, UserUpdate
from gtvision.services.audit.service import AuditEvent, record
from gtvision.services.auth import revocation
from gtvision.services.auth.passwords import hash_password, verify_password
from gtvision.services.auth.service import revoke_user_sessions
from gtvision.services.context import Caller
from gtvision.services.errors import ConflictError, ForbiddenError, InvalidInputError
from gtvision.services.store import queries
from gtvision.services.store.models import Tenant, User
from gtvision.services.store.paging import fetch_page
from gtvision.services.store.rows import apply_changes, check_version, get_or_404
from gtvision.services.store.values import column_values

_SELF_SERVICE = {"password", "current_password", "full_name", "email"}


def _check_grant(caller: Caller, role: Role) -> None:
    if not caller.principal.at_least(role):
        raise ForbiddenError(f"cannot grant the {role.value} role: it is above your own")


async def list_users(
    caller: Caller, role: Role | None, q: str | None, cursor: str | None, limit: int
) -> tuple[Sequence[User], str | None]:
    caller.require(Role.ADMIN)
    stmt = queries.users(role=role.value if role else None, q=q)
    async with caller.read_session() as session:
        return await fetch_page(session, stmt, User.id, cursor, limit)


async def get_user(caller: Caller, user_id: uuid.UUID) -> User:
    async with caller.read_session() as session:
        user = await get_or_404(session, User, user_id)
        if user.id != caller.principal.user_id:
            caller.require(Role.ADMIN)
        return user


async def create_user(caller: Caller, data: UserCreate) -> User:
    caller.require(Role.ADMIN)
    _check_grant(caller, data.role)
    if data.role is Role.SUPERADMIN:
        tenant_id = None
        if data.tenant_id is not None:
            raise InvalidInputError("tenant_id: a superadmin belongs to no tenant")
    elif caller.principal.tenant_id is not None:
        if data.tenant_id not in (None, caller.principal.tenant_id):
            raise ForbiddenError("tenant_id: you can only add users to your own tenant")
        tenant_id = caller.principal.tenant_id
    elif data.tenant_id is None:
        raise InvalidInputError(f"tenant_id: required for the {data.role.value} role")
    else:
        tenant_id = data.tenant_id
    password_hash = await hash_password(data.password.get_secret_value())
    async with caller.session() as session:
        if tenant_id is not None and await session.get(Tenant, tenant_id) is None:
            raise InvalidInputError(f"tenant_id: no tenant {tenant_id}")
        if await queries.user_by_username(session, data.username) is not None:
            raise ConflictError(f"username {data.username!r} is taken")
        user = User(
            tenant_id=tenant_id,
            username=data.username,
            full_name=data.full_name,
            email=data.email,
            role=data.role.value,
            password_hash=password_hash,
        )
        session.add(user)
        await session.flush()
        record(
            session,
            caller,
            AuditEvent(
                "user.create", target_type="user", target_id=user.id, detail={"role": user.role}
            ),
            tenant_id=tenant_id,
        )
    return user


async def _check_current_password(user: User, data: UserUpdate) -> None:
    if data.current_password is None:
        raise InvalidInputError("current_password: give your current password to change it")
    if not await verify_password(user.password_hash, data.current_password.get_secret_value()):
        raise ForbiddenError("current_password is wrong")


async def update_user(
    caller: Caller, user_id: uuid.UUID, data: UserUpdate, expected_version: int | None
) -> User:
    changes = column_values(data, only_set=True, exclude={"password", "current_password"})
    password_hash = await hash_password(data.password.get_secret_value()) if data.password else None
    async with caller.session() as session:
        user = await get_or_404(session, User, user_id)
        is_self = user.id == caller.principal.user_id
        if is_self and password_hash is not None:
            await _check_current_password(user, data)
        if not (is_self and set(data.model_fields_set) <= _SELF_SERVICE):
            caller.require(Role.ADMIN)
            _check_grant(caller, Role(user.role))
        if "role" in changes:
            _check_grant(caller, changes["role"])
            if (changes["role"] is Role.SUPERADMIN) != (user.role == Role.SUPERADMIN.value):
                raise InvalidInputError("role: superadmin cannot be granted or taken by update")
            changes["role"] = changes["role"].value
        check_version(user, expected_version)
        changed = apply_changes(user, changes)
        if password_hash is not None:
            user.password_hash = password_hash
            user.failed_logins = 0
            user.locked_until = None
            await queries.forget_login_failures(session, user.id)
            changed.append("password")
        if changed:
            if {"password", "role", "active"} & set(changed):
                await revoke_user_sessions(session, user)
            await session.flush()
            record(
                session,
                caller,
                AuditEvent(
                    "user.update",
                    target_type="user",
                    target_id=user.id,
                    detail={"fields": sorted(changed)},
                ),
                tenant_id=user.tenant_id,
            )
    return user


async def delete_user(caller: Caller, user_id: uuid.UUID, expected_version: int | None) -> None:
    async with caller.session() as session:
        user = await get_or_404(session, User, user_id)
        caller.require(Role.ADMIN)
        _check_grant(caller, Role(user.role))
        if user.id == caller.principal.user_id:
            raise ConflictError("you cannot delete yourself")
        check_version(user, expected_version)
        await session.delete(user)
        await revocation.announce(session, user_id=user.id)
        record(
            session,
            caller,
            AuditEvent(
                "user.delete",
                target_type="user",
                target_id=user.id,
                detail={"username": user.username},
            ),
            tenant_id=user.tenant_id,
        )
