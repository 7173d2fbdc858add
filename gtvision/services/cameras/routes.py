from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from gtvision.contract import API_PREFIX, Camera, CameraCreate, CameraStatus, CameraUpdate, Page
from gtvision.services.api.deps import DEFAULT_PAGE, CallerDep, Cursor, IfMatch, Limit, etag
from gtvision.services.cameras import service
from gtvision.services.store.models import Camera as CameraRow

router = APIRouter(prefix=f"{API_PREFIX}/cameras", tags=["cameras"])


def _out(row: CameraRow, response: Response) -> Camera:
    camera = service.to_contract(row)
    response.headers["ETag"] = etag(camera.version)
    return camera


@router.get("", summary="List the tenant's cameras")
async def list_cameras(
    caller: CallerDep,
    zone_id: uuid.UUID | None = None,
    enabled: bool | None = None,
    status: CameraStatus | None = None,
    ptz_capable: bool | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE,
) -> Page[Camera]:
    filters = service.CameraFilter(zone_id, enabled, status, ptz_capable, q)
    rows, next_cursor = await service.list_cameras(caller, filters, cursor, limit)
    return Page[Camera](items=[service.to_contract(r) for r in rows], next_cursor=next_cursor)


@router.post("", status_code=status.HTTP_201_CREATED, summary="Add a camera (admin)")
async def create_camera(caller: CallerDep, body: CameraCreate, response: Response) -> Camera:
    return _out(await service.create_camera(caller, body), response)


@router.get("/{camera_id}")
async def get_camera(caller: CallerDep, camera_id: uuid.UUID, response: Response) -> Camera:
    return _out(await service.get_camera(caller, camera_id), response)


@router.patch("/{camera_id}", summary="Change a camera (admin)")
async def update_camera(
    caller: CallerDep,
    camera_id: uuid.UUID,
    body: CameraUpdate,
    if_match: IfMatch,
    response: Response,
) -> Camera:
    return _out(await service.update_camera(caller, camera_id, body, if_match), response)


@router.delete(
    "/{camera_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove a camera (admin)"
)
async def delete_camera(caller: CallerDep, camera_id: uuid.UUID, if_match: IfMatch) -> None:
    await service.delete_camera(caller, camera_id, if_match)
