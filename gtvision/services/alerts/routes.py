from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response

from gtvision.contract import API_PREFIX, Alert, AlertAcknowledge, AlertStatus, Instant, Page
from gtvision.services.alerts import service
from gtvision.services.api.deps import CallerDep, Cursor, Limit, json_response
from gtvision.services.store.paging import DEFAULT_LIMIT

router = APIRouter(prefix=f"{API_PREFIX}/alerts", tags=["alerts"])


@router.get("", response_model=Page[Alert], summary="Watch-list alerts, oldest first")
async def list_alerts(
    caller: CallerDep,
    status: AlertStatus | None = None,
    camera: Annotated[uuid.UUID | None, Query()] = None,
    plate: Annotated[str | None, Query(max_length=12)] = None,
    since: Annotated[
        Instant | None, Query(alias="from", description="Reads at or after (ISO 8601).")
    ] = None,
    until: Annotated[Instant | None, Query(alias="to", description="Reads before.")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Response:
    rows, next_cursor = await service.list_alerts(
        caller, status, camera, plate.upper() if plate else None, cursor, limit, since, until
    )
    items = [await service.to_contract(caller, r) for r in rows]
    return json_response(Page[Alert](items=items, next_cursor=next_cursor))


@router.get("/{alert_id:uuid}", response_model=Alert)
async def get_alert(caller: CallerDep, alert_id: uuid.UUID) -> Response:
    alert = await service.to_contract(caller, await service.get_alert(caller, alert_id))
    return json_response(alert, version=alert.version)


@router.post(
    "/{alert_id:uuid}/acknowledge",
    response_model=Alert,
    summary="Acknowledge an alert with what was done about it (operator; audited)",
)
async def acknowledge(caller: CallerDep, alert_id: uuid.UUID, body: AlertAcknowledge) -> Response:
    alert = await service.to_contract(
        caller, await service.acknowledge(caller, alert_id, body.comment)
    )
    return json_response(alert, version=alert.version)
