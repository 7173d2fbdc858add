"""Tenant rules: only superadmins create, change or delete; members see their own tenant."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from gtvision.contract import Role, TenantCreate, TenantUpdate
from gtvision.services.audit.service import AuditEvent, record
from gtvision.services.auth import revocation
from gtvision.services.context import Caller
from gtvision.services.errors import ConflictError
from gtvision.services.store import queries
from gtvision.services.store.models import Tenant
from gtvision.services.store.paging import fetch_page
from gtvision.services.store.rows import apply_changes, check_version, get_or_404
from gtvision.services.store.values import column_values

RETENTION_FIELDS = {"detection_retention_days", "crop_retention_days", "recording_retention_days"}


async def list_tenants(
    caller: Caller, q: str | None, active: bool | None, cursor: str | None, limit: int
) -> tuple[Sequence[Tenant], str | None]:
    async with caller.read_session() as session:
        return await fetch_page(
            session, queries.tenants(q=q, active=active), Tenant.id, cursor, limit
        )


async def get_tenant(caller: Caller, tenant_id: uuid.UUID) -> Tenant:
    async with caller.read_session() as session:
        return await get_or_404(session, Tenant, tenant_id)


async def create_tenant(caller: Caller, data: TenantCreate) -> Tenant:
    caller.require(Role.SUPERADMIN)
    async with caller.session() as session:
        if await queries.tenant_by_slug(session, data.slug) is not None:
            raise ConflictError(f"tenant slug {data.slug!r} is taken")
        tenant = Tenant(**column_values(data))
        session.add(tenant)
        await session.flush()
        record(
            session,
            caller,
            AuditEvent("tenant.create", target_type="tenant", target_id=tenant.id),
            tenant_id=tenant.id,
        )
    return tenant


async def update_tenant(
    caller: Caller, tenant_id: uuid.UUID, data: TenantUpdate, expected_version: int | None
) -> Tenant:
    changes = column_values(data, only_set=True)
    async with caller.session() as session:
        tenant = await get_or_404(session, Tenant, tenant_id)
        if not set(changes) <= RETENTION_FIELDS:
            caller.require(Role.SUPERADMIN)
        else:  # a city's own admin decides how long its plate reads are kept (LGPD)
            caller.require(Role.ADMIN)
        check_version(tenant, expected_version)
        changed = apply_changes(tenant, changes)
        if "active" in changed:
            await revocation.announce(session, tenant_id=tenant.id)
        if changed:
            await session.flush()
            record(
                session,
                caller,
                AuditEvent(
                    "tenant.update",
                    target_type="tenant",
                    target_id=tenant.id,
                    detail={"fields": changed},
                ),
                tenant_id=tenant.id,
            )
    return tenant


async def delete_tenant(caller: Caller, tenant_id: uuid.UUID, expected_version: int | None) -> None:
    async with caller.session() as session:
        tenant = await get_or_404(session, Tenant, tenant_id)
        caller.require(Role.SUPERADMIN)
        check_version(tenant, expected_version)
        await session.delete(tenant)
        await revocation.announce(session, tenant_id=tenant.id)
        record(
            session,
            caller,
            AuditEvent(
                "tenant.delete",
                target_type="tenant",
                target_id=tenant.id,
                detail={"slug": tenant.slug},
            ),
        )


async def tenant_by_slug(caller: Caller, slug: str) -> Tenant | None:
    async with caller.read_session() as session:
        return await queries.tenant_by_slug(session, slug)
