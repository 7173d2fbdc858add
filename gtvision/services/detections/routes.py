from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response
from fastapi.responses import RedirectResponse

from gtvision.contract import API_PREFIX, Detection, Instant, Page, PlateMatch
from gtvision.services.api.deps import CallerDep, Limit, json_response
from gtvision.services.detections import service
from gtvision.services.store.paging import DEFAULT_LIMIT

router = APIRouter(prefix=f"{API_PREFIX}/detections", tags=["detections"])

Plate = Annotated[
    str | None,
    Query(max_length=24, description="Plate or its beginning (prefix); separators are ignored."),
]
Match = Annotated[
    PlateMatch,
    Query(description="exact · prefix · fuzzy (one wrong character, confusable glyphs alike)"),
]
From = Annotated[Instant | None, Query(alias="from", description="Reads at or after (ISO 8601).")]
To = Annotated[Instant | None, Query(alias="to", description="Reads before (ISO 8601).")]
CameraId = Annotated[uuid.UUID | None, Query(alias="camera")]
Cursor = Annotated[
    str | None,
    Query(pattern=r"^[A-Za-z0-9_-]{32}$", description="`next_cursor` of the previous page."),
]


@router.get("", response_model=Page[Detection], summary="Search plate reads (operator; audited)")
async def search(
    caller: CallerDep,
    plate: Plate = None,
    match: Match = PlateMatch.EXACT,
    camera: CameraId = None,
    since: From = None,
    until: To = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Response:
    query = service.DetectionQuery(plate, match, camera, since, until)
    items, next_cursor = await service.search(caller, query, cursor, limit)
    return json_response(Page[Detection](items=items, next_cursor=next_cursor))


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The reads as CSV."}},
    summary="Export plate reads as CSV (operator; audited; at most 100,000 rows)",
)
async def export(
    caller: CallerDep,
    plate: Plate = None,
    match: Match = PlateMatch.EXACT,
    camera: CameraId = None,
    since: From = None,
    until: To = None,
) -> Response:
    query = service.DetectionQuery(plate, match, camera, since, until)
    body, truncated = await service.export_csv(caller, query)
    headers = {
        "Content-Disposition": 'attachment; filename="detections.csv"',
        "X-Truncated": "true" if truncated else "false",
    }
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@router.get(
    "/{detection_id:uuid}/{kind}",
    status_code=307,
    response_class=RedirectResponse,
    responses={307: {"description": "Redirect to a signed, short-lived image URL."}},
    summary="The plate crop or the whole frame of a read",
)
async def image(
    caller: CallerDep, detection_id: uuid.UUID, kind: Literal["crop", "frame"]
) -> RedirectResponse:
    return RedirectResponse(await service.crop_url(caller, detection_id, kind), status_code=307)
