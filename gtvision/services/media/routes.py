from __future__ import annotations

import uuid

from fastapi import APIRouter, Request, Response

from gtvision.contract import API_PREFIX, CameraStreams, MediaAuthRequest
from gtvision.services.api.deps import CallerDep, json_response
from gtvision.services.errors import UnauthorizedError
from gtvision.services.media import service

router = APIRouter(prefix=API_PREFIX, tags=["media"])


@router.get(
    "/cameras/{camera_id}/streams",
    response_model=CameraStreams,
    summary="Where to play a camera: WebRTC, HLS and RTSP URLs for main and sub streams",
)
async def camera_streams(caller: CallerDep, camera_id: uuid.UUID) -> Response:
    return json_response(await service.stream_urls(caller, camera_id))


@router.post(
    "/media/auth",
    status_code=200,
    summary="MediaMTX's authentication hook (authMethod: http); not for clients",
)
async def media_auth(request: Request, body: MediaAuthRequest) -> dict[str, str]:
    gatekeeper: service.MediaGatekeeper = request.app.state.gatekeeper
    try:
        await gatekeeper.authorize(body)
    except service.StreamAccessDeniedError as exc:
        raise UnauthorizedError(str(exc)) from exc
    return {"status": "ok"}
