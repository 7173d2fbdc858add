from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from gtvision.contract import API_PREFIX, Page, Tenant, TenantCreate, TenantUpdate
from gtvision.services.api.deps import DEFAULT_PAGE, CallerDep, Cursor, IfMatch, Limit, etag
from gtvision.services.tenants import service

router = APIRouter(prefix=f"{API_PREFIX}/tenants", tags=["tenants"])


def _out(row: object, response: Response) -> Tenant:
    tenant = Tenant.model_validate(row, from_attributes=True)
    response.headers["ETag"] = etag(tenant.version)
    return tenant


@router.get("", summary="List tenants (members see their own)")
async def list_tenants(
    caller: CallerDep,
    q: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
    active: bool | None = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE,
) -> Page[Tenant]:
    rows, next_cursor = await service.list_tenants(caller, q, active, cursor, limit)
    return Page[Tenant](
        items=[Tenant.model_validate(r, from_attributes=True) for r in rows],
        next_cursor=next_cursor,
    )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a tenant (superadmin)")
async def create_tenant(caller: CallerDep, body: TenantCreate, response: Response) -> Tenant:
    return _out(await service.create_tenant(caller, body), response)


@router.get("/{tenant_id}")
async def get_tenant(caller: CallerDep, tenant_id: uuid.UUID, response: Response) -> Tenant:
    return _out(await service.get_tenant(caller, tenant_id), response)


@router.patch("/{tenant_id}", summary="Change a tenant (superadmin)")
async def update_tenant(
    caller: CallerDep,
    tenant_id: uuid.UUID,
    body: TenantUpdate,
    if_match: IfMatch,
    response: Response,
) -> Tenant:
    return _out(await service.update_tenant(caller, tenant_id, body, if_match), response)


@router.delete(
    "/{tenant_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a tenant and everything it owns (superadmin)",
)
async def delete_tenant(caller: CallerDep, tenant_id: uuid.UUID, if_match: IfMatch) -> None:
    await service.delete_tenant(caller, tenant_id, if_match)
