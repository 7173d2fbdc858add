from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from gtvision.contract import (
    API_PREFIX,
    Camera,
    CameraCreate,
    CameraFromOnvif,
    CameraStatus,
    CameraUpdate,
    DiscoveredCamera,
    DiscoveryRequest,
    Page,
)
from gtvision.onvif.errors import OnvifError
from gtvision.services.api.deps import (
    CallerDep,
    Cursor,
    IfMatch,
    Limit,
    json_response,
)
from gtvision.services.api.openapi import CAMERA_TROUBLE
from gtvision.services.cameras import service
from gtvision.services.errors import CameraTroubleError
from gtvision.services.store.models import Camera as CameraRow
from gtvision.services.store.paging import DEFAULT_LIMIT

router = APIRouter(prefix=f"{API_PREFIX}/cameras", tags=["cameras"])


def _out(row: CameraRow, status_code: int = 200) -> Response:
    camera = service.to_contract(row)
    return json_response(camera, status_code=status_code, version=camera.version)


@router.get("", response_model=Page[Camera], summary="List the tenant's cameras")
async def list_cameras(
    caller: CallerDep,
    zone_id: uuid.UUID | None = None,
    enabled: bool | None = None,
    status: CameraStatus | None = None,
    ptz_capable: bool | None = None,
    q: Annotated[str | None, Query(max_length=200, description="Part of the name.")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Response:
    filters = service.CameraFilter(zone_id, enabled, status, ptz_capable, q)
    rows, next_cursor = await service.list_cameras(caller, filters, cursor, limit)
    items = [service.to_contract(r) for r in rows]
    return json_response(Page[Camera](items=items, next_cursor=next_cursor))


@router.post(
    "", response_model=Camera, status_code=status.HTTP_201_CREATED, summary="Add a camera (admin)"
)
async def create_camera(caller: CallerDep, body: CameraCreate) -> Response:
    return _out(await service.create_camera(caller, body), status.HTTP_201_CREATED)


@router.post(
    "/discover",
    response_model=list[DiscoveredCamera],
    summary="Look for cameras on the service's network: WS-Discovery and mDNS (admin)",
)
async def discover(caller: CallerDep, body: DiscoveryRequest) -> list[DiscoveredCamera]:
    return await service.discover(caller, body)


@router.post(
    "/from-onvif",
    response_model=Camera,
    status_code=status.HTTP_201_CREATED,
    responses=CAMERA_TROUBLE,
    summary="Add a camera from its ONVIF address: profiles, stream URIs, PTZ asked of it (admin)",
)
async def create_from_onvif(caller: CallerDep, body: CameraFromOnvif) -> Response:
    try:
        camera = await service.create_from_onvif(caller, body)
    except OnvifError as exc:
        raise CameraTroubleError.of(exc) from exc
    return _out(camera, status.HTTP_201_CREATED)


@router.post(
    "/{camera_id:uuid}/reread",
    response_model=Camera,
    responses=CAMERA_TROUBLE,
    summary="Ask the camera again over ONVIF: profiles, stream URIs, snapshot, PTZ (admin)",
)
async def reread_camera(caller: CallerDep, camera_id: uuid.UUID, if_match: IfMatch) -> Response:
    try:
        camera = await service.reread_from_onvif(caller, camera_id, if_match)
    except OnvifError as exc:
        raise CameraTroubleError.of(exc) from exc
    return _out(camera)


@router.get("/{camera_id:uuid}", response_model=Camera)
async def get_camera(caller: CallerDep, camera_id: uuid.UUID) -> Response:
    return _out(await service.get_camera(caller, camera_id))


@router.patch("/{camera_id:uuid}", response_model=Camera, summary="Change a camera (admin)")
async def update_camera(
    caller: CallerDep, camera_id: uuid.UUID, body: CameraUpdate, if_match: IfMatch
) -> Response:
    return _out(await service.update_camera(caller, camera_id, body, if_match))


@router.delete(
    "/{camera_id:uuid}", status_code=status.HTTP_204_NO_CONTENT, summary="Remove a camera (admin)"
)
async def delete_camera(caller: CallerDep, camera_id: uuid.UUID, if_match: IfMatch) -> None:
    await service.delete_camera(caller, camera_id, if_match)
