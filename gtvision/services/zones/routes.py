from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from gtvision.contract import API_PREFIX, Page, Zone, ZoneCreate, ZoneUpdate
from gtvision.services.api.deps import (
    CallerDep,
    Cursor,
    IfMatch,
    Limit,
    json_response,
)
from gtvision.services.store.models import Zone as ZoneRow
from gtvision.services.store.paging import DEFAULT_LIMIT
from gtvision.services.store.rows import to_model
from gtvision.services.zones import service

router = APIRouter(prefix=f"{API_PREFIX}/zones", tags=["zones"])


def _out(row: ZoneRow, status_code: int = 200) -> Response:
    zone = to_model(Zone, row)
    return json_response(zone, status_code=status_code, version=zone.version)


@router.get("", response_model=Page[Zone], summary="List the tenant's zones")
async def list_zones(
    caller: CallerDep,
    q: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Response:
    rows, next_cursor = await service.list_zones(caller, q, cursor, limit)
    items = [to_model(Zone, r) for r in rows]
    return json_response(Page[Zone](items=items, next_cursor=next_cursor))


@router.post(
    "", response_model=Zone, status_code=status.HTTP_201_CREATED, summary="Create a zone (admin)"
)
async def create_zone(caller: CallerDep, body: ZoneCreate) -> Response:
    return _out(await service.create_zone(caller, body), status.HTTP_201_CREATED)


@router.get("/{zone_id:uuid}", response_model=Zone)
async def get_zone(caller: CallerDep, zone_id: uuid.UUID) -> Response:
    return _out(await service.get_zone(caller, zone_id))


@router.patch("/{zone_id:uuid}", response_model=Zone, summary="Change a zone (admin)")
async def update_zone(
    caller: CallerDep, zone_id: uuid.UUID, body: ZoneUpdate, if_match: IfMatch
) -> Response:
    return _out(await service.update_zone(caller, zone_id, body, if_match))


@router.delete(
    "/{zone_id:uuid}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a zone (admin)"
)
async def delete_zone(caller: CallerDep, zone_id: uuid.UUID, if_match: IfMatch) -> None:
    await service.delete_zone(caller, zone_id, if_match)
