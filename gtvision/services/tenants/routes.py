from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from gtvision.contract import API_PREFIX, Page, Tenant, TenantCreate, TenantUpdate
from gtvision.services.api.deps import (
    CallerDep,
    Cursor,
    IfMatch,
    Limit,
    json_response,
)
from gtvision.services.store.models import Tenant as TenantRow
from gtvision.services.store.paging import DEFAULT_LIMIT
from gtvision.services.store.rows import to_model
from gtvision.services.tenants import service

router = APIRouter(prefix=f"{API_PREFIX}/tenants", tags=["tenants"])


def _out(row: TenantRow, status_code: int = 200) -> Response:
    tenant = to_model(Tenant, row)
    return json_response(tenant, status_code=status_code, version=tenant.version)


@router.get("", response_model=Page[Tenant], summary="List tenants (members see their own)")
async def list_tenants(
    caller: CallerDep,
    q: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
    active: bool | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Response:
    rows, next_cursor = await service.list_tenants(caller, q, active, cursor, limit)
    items = [to_model(Tenant, r) for r in rows]
    return json_response(Page[Tenant](items=items, next_cursor=next_cursor))


@router.post(
    "",
    response_model=Tenant,
    status_code=status.HTTP_201_CREATED,
    summary="Create a tenant (superadmin)",
)
async def create_tenant(caller: CallerDep, body: TenantCreate) -> Response:
    return _out(await service.create_tenant(caller, body), status.HTTP_201_CREATED)


@router.get("/{tenant_id:uuid}", response_model=Tenant)
async def get_tenant(caller: CallerDep, tenant_id: uuid.UUID) -> Response:
    return _out(await service.get_tenant(caller, tenant_id))


@router.patch("/{tenant_id:uuid}", response_model=Tenant, summary="Change a tenant (superadmin)")
async def update_tenant(
    caller: CallerDep, tenant_id: uuid.UUID, body: TenantUpdate, if_match: IfMatch
) -> Response:
    return _out(await service.update_tenant(caller, tenant_id, body, if_match))


@router.delete(
    "/{tenant_id:uuid}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a tenant and everything it owns (superadmin)",
)
async def delete_tenant(caller: CallerDep, tenant_id: uuid.UUID, if_match: IfMatch) -> None:
    await service.delete_tenant(caller, tenant_id, if_match)
