from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from gtvision.contract import API_PREFIX, AuditEntry, Instant, Page
from gtvision.services.api.deps import CallerDep, Cursor, Limit, json_response
from gtvision.services.audit import service
from gtvision.services.store.paging import DEFAULT_LIMIT
from gtvision.services.store.rows import to_model

router = APIRouter(prefix=f"{API_PREFIX}/audit", tags=["audit"])


Action = Annotated[str | None, Query(max_length=64, examples=["camera.update"])]
Since = Annotated[Instant | None, Query(alias="from")]
Until = Annotated[Instant | None, Query(alias="to")]


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The entries as CSV."}},
    summary="Export the audit trail as CSV, oldest first (admin; audited; at most 100,000 rows)",
)
async def export_audit(
    caller: CallerDep,
    action: Action = None,
    user_id: uuid.UUID | None = None,
    target_id: Annotated[str | None, Query(max_length=64)] = None,
    since: Since = None,
    until: Until = None,
) -> Response:
    filters = service.AuditFilter(action, user_id, target_id, since, until)
    body, truncated = await service.export_csv(caller, filters)
    headers = {
        "Content-Disposition": 'attachment; filename="audit.csv"',
        "X-Truncated": "true" if truncated else "false",
    }
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)


@router.get(
    "", response_model=Page[AuditEntry], summary="The tenant's audit trail, oldest first (admin)"
)
async def list_audit(
    caller: CallerDep,
    action: Action = None,
    user_id: uuid.UUID | None = None,
    target_id: Annotated[str | None, Query(max_length=64)] = None,
    since: Since = None,
    until: Until = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Response:
    filters = service.AuditFilter(action, user_id, target_id, since, until)
    rows, next_cursor = await service.list_entries(caller, filters, cursor, limit)
    items = [to_model(AuditEntry, r) for r in rows]
    return json_response(Page[AuditEntry](items=items, next_cursor=next_cursor))
