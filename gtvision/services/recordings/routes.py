from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from gtvision.contract import (
    API_PREFIX,
    Bookmark,
    BookmarkCreate,
    Export,
    ExportCreate,
    Instant,
    Page,
    RecordingAvailability,
)
from gtvision.services.api.deps import CallerDep, Cursor, Limit, json_response
from gtvision.services.recordings import service
from gtvision.services.store.paging import DEFAULT_LIMIT

cameras = APIRouter(prefix=f"{API_PREFIX}/cameras", tags=["recordings"])
exports = APIRouter(prefix=f"{API_PREFIX}/exports", tags=["recordings"])

From = Annotated[
    Instant | None,
    Query(alias="from", description="Start of the window (default: a day ago)."),
]
To = Annotated[Instant | None, Query(alias="to", description="End of the window (default: now).")]


@cameras.get(
    "/{camera_id:uuid}/recordings",
    response_model=RecordingAvailability,
    summary="What was recorded in a window, bookmarks, and a playback link (audited)",
)
async def availability(
    caller: CallerDep, camera_id: uuid.UUID, since: From = None, until: To = None
) -> Response:
    return json_response(await service.availability(caller, camera_id, since, until))


@cameras.get(
    "/{camera_id:uuid}/recordings/play",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {"video/mp4": {}},
            "description": "Fragmented MP4 from the keyframe at or before `start`; the header "
            "`X-Recording-Start` (and the file's `creation_time`) give its first frame's time.",
        }
    },
    summary="Play recorded footage (the `playback_url` of the recordings answer)",
)
async def play(
    request: Request,
    camera_id: uuid.UUID,
    token: Annotated[str, Query(max_length=2048, description="From `playback_url`.")],
    start: Annotated[Instant, Query(description="Wall-clock time to start at (ISO 8601).")],
    duration: Annotated[
        float, Query(gt=0, le=service.MAX_PLAY_S, description="Seconds of footage at most.")
    ] = 300,
) -> Response:
    clip = await service.play(request.app.state.runtime, camera_id, token, start, duration)
    return StreamingResponse(
        clip.chunks,
        media_type="video/mp4",
        headers={"X-Recording-Start": clip.first_at.isoformat(), "Cache-Control": "no-store"},
    )


@cameras.get(
    "/{camera_id:uuid}/bookmarks",
    response_model=Page[Bookmark],
    summary="Bookmarks and evidence locks of a camera",
)
async def list_bookmarks(
    caller: CallerDep, camera_id: uuid.UUID, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Response:
    rows, next_cursor = await service.list_bookmarks(caller, camera_id, cursor, limit)
    items = [service.to_bookmark(r) for r in rows]
    return json_response(Page[Bookmark](items=items, next_cursor=next_cursor))


@cameras.post(
    "/{camera_id:uuid}/bookmarks",
    status_code=201,
    response_model=Bookmark,
    summary="Mark a moment; `protect` keeps its footage past retention (operator; audited)",
)
async def create_bookmark(
    caller: CallerDep, camera_id: uuid.UUID, body: BookmarkCreate
) -> Response:
    lock = await service.create_bookmark(caller, camera_id, body)
    return json_response(service.to_bookmark(lock), status_code=201, version=lock.version)


@cameras.delete(
    "/{camera_id:uuid}/bookmarks/{bookmark_id:uuid}",
    status_code=204,
    summary="Remove a bookmark; lifting an evidence lock needs an admin (audited)",
)
async def delete_bookmark(
    caller: CallerDep, camera_id: uuid.UUID, bookmark_id: uuid.UUID
) -> Response:
    await service.delete_bookmark(caller, camera_id, bookmark_id)
    return Response(status_code=204)


@exports.post(
    "",
    status_code=202,
    response_model=Export,
    summary="Export a clip (at most an hour; remuxed, not re-encoded; operator; audited)",
)
async def create_export(caller: CallerDep, body: ExportCreate) -> Response:
    export = await service.create_export(caller, body)
    return json_response(
        await service.to_export(caller, export), status_code=202, version=export.version
    )


@exports.get("", response_model=Page[Export], summary="Clip exports, oldest first")
async def list_exports(
    caller: CallerDep, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Response:
    rows, next_cursor = await service.list_exports(caller, cursor, limit)
    items = [await service.to_export(caller, r) for r in rows]
    return json_response(Page[Export](items=items, next_cursor=next_cursor))


@exports.get(
    "/{export_id:uuid}", response_model=Export, summary="A clip export and its download link"
)
async def get_export(caller: CallerDep, export_id: uuid.UUID) -> Response:
    export = await service.get_export(caller, export_id)
    return json_response(await service.to_export(caller, export), version=export.version)
