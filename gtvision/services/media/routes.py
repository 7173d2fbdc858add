from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from gtvision.contract import API_PREFIX, CameraStreams, MediaAuthRequest
from gtvision.onvif.snapshot import SnapshotError
from gtvision.services.api.deps import CallerDep, json_response, source_ip
from gtvision.services.api.openapi import CAMERA_TROUBLE
from gtvision.services.errors import (
    CameraTroubleError,
    ForbiddenError,
    InvalidInputError,
    TooManyRequestsError,
    UnauthorizedError,
)
from gtvision.services.media import service

router = APIRouter(prefix=API_PREFIX, tags=["media"])


@router.get(
    "/cameras/{camera_id:uuid}/streams",
    response_model=CameraStreams,
    summary="Where to play a camera: WebRTC, HLS and RTSP URLs for main and sub streams",
)
async def camera_streams(caller: CallerDep, camera_id: uuid.UUID) -> Response:
    return json_response(await service.stream_urls(caller, camera_id))


@router.get(
    "/cameras/{camera_id:uuid}/snapshot",
    response_class=Response,
    responses={200: {"content": {"image/jpeg": {}}}, **CAMERA_TROUBLE},
    summary="A JPEG of what the camera sees now",
)
async def camera_snapshot(caller: CallerDep, camera_id: uuid.UUID) -> Response:
    try:
        jpeg = await service.snapshot(caller, camera_id)
    except SnapshotError as exc:
        if exc.kind == "no_source":
            raise InvalidInputError(exc.detail) from exc
        status = 504 if exc.kind == "unreachable" else 502
        raise CameraTroubleError(exc.detail, status=status, kind=exc.kind) from exc
    return Response(jpeg, media_type="image/jpeg", headers={"Cache-Control": "no-store"})


@router.post(
    "/media/auth",
    status_code=200,
    summary="MediaMTX's authentication hook (authMethod: http); not for clients",
)
async def media_auth(request: Request, body: MediaAuthRequest) -> dict[str, str]:
    gatekeeper: service.MediaGatekeeper = request.app.state.gatekeeper
    try:
        await gatekeeper.authorize(body, source_ip(request))
    except service.HookCallerRefusedError as exc:
        raise ForbiddenError(f"the media hook is for MediaMTX only: {exc}") from exc
    except service.HookFloodError as exc:
        raise TooManyRequestsError(str(exc), retry_after_s=exc.retry_after_s) from exc
    except service.StreamAccessDeniedError as exc:
        raise UnauthorizedError(str(exc)) from exc
    return {"status": "ok"}
