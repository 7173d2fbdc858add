from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter

from gtvision.contract import API_PREFIX, PtzCommand, PtzPreset, PtzResult
from gtvision.onvif.errors import NotSupportedError, OnvifError
from gtvision.services.api.deps import CallerDep
from gtvision.services.api.openapi import CAMERA_TROUBLE
from gtvision.services.errors import CameraTroubleError, InvalidInputError
from gtvision.services.ptz import service

router = APIRouter(prefix=f"{API_PREFIX}/cameras", tags=["ptz"])


@asynccontextmanager
async def _camera_trouble() -> AsyncIterator[None]:
    """What the camera said, as a status: unsupported 422, unreachable 504, refused 502."""
    try:
        yield
    except NotSupportedError as exc:
        raise InvalidInputError(str(exc)) from exc
    except OnvifError as exc:
        raise CameraTroubleError.of(exc) from exc


@router.post(
    "/{camera_id:uuid}/ptz",
    response_model=PtzResult,
    responses=CAMERA_TROUBLE,
    summary="Move the camera, or use its presets (operator)",
)
async def ptz_command(caller: CallerDep, camera_id: uuid.UUID, body: PtzCommand) -> PtzResult:
    async with _camera_trouble():
        return await service.command(caller, camera_id, body)


@router.get(
    "/{camera_id:uuid}/ptz/presets",
    response_model=list[PtzPreset],
    responses=CAMERA_TROUBLE,
    summary="The camera's PTZ presets",
)
async def ptz_presets(caller: CallerDep, camera_id: uuid.UUID) -> list[PtzPreset]:
    async with _camera_trouble():
        return await service.presets(caller, camera_id)
