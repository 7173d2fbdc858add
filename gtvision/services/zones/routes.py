from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from gtvision.contract import API_PREFIX, Page, Zone, ZoneCreate, ZoneUpdate
from gtvision.services.api.deps import DEFAULT_PAGE, CallerDep, Cursor, IfMatch, Limit, etag
from gtvision.services.zones import service

router = APIRouter(prefix=f"{API_PREFIX}/zones", tags=["zones"])


def _out(row: object, response: Response) -> Zone:
    zone = Zone.model_validate(row, from_attributes=True)
    response.headers["ETag"] = etag(zone.version)
    return zone


@router.get("", summary="List the tenant's zones")
async def list_zones(
    caller: CallerDep,
    q: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE,
) -> Page[Zone]:
    rows, next_cursor = await service.list_zones(caller, q, cursor, limit)
    return Page[Zone](
        items=[Zone.model_validate(r, from_attributes=True) for r in rows], next_cursor=next_cursor
    )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Create a zone (admin)")
async def create_zone(caller: CallerDep, body: ZoneCreate, response: Response) -> Zone:
    return _out(await service.create_zone(caller, body), response)


@router.get("/{zone_id}")
async def get_zone(caller: CallerDep, zone_id: uuid.UUID, response: Response) -> Zone:
    return _out(await service.get_zone(caller, zone_id), response)


@router.patch("/{zone_id}", summary="Change a zone (admin)")
async def update_zone(
    caller: CallerDep, zone_id: uuid.UUID, body: ZoneUpdate, if_match: IfMatch, response: Response
) -> Zone:
    return _out(await service.update_zone(caller, zone_id, body, if_match), response)


@router.delete(
    "/{zone_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a zone (admin)"
)
async def delete_zone(caller: CallerDep, zone_id: uuid.UUID, if_match: IfMatch) -> None:
    await service.delete_zone(caller, zone_id, if_match)
