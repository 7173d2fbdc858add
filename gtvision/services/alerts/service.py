"""Alerts: listed for the wall, acknowledged once with a comment (audited, published)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from gtvision.contract import Alert as AlertOut
from gtvision.contract import AlertStatus, Role
from gtvision.services.audit.service import AuditEvent, record
from gtvision.services.context import Caller
from gtvision.services.errors import ConflictError
from gtvision.services.events.bus import publish
from gtvision.services.store import queries
from gtvision.services.store.models import Alert
from gtvision.services.store.paging import fetch_page
from gtvision.services.store.rows import get_or_404


async def to_contract(caller: Caller, alert: Alert) -> AlertOut:
    runtime = caller.runtime
    crop_url = (
        await runtime.objects.url(alert.crop_key, runtime.settings.object_url_ttl_s)
        if alert.crop_key
        else None
    )
    status = AlertStatus.OPEN if alert.acknowledged_at is None else AlertStatus.ACKNOWLEDGED
    return AlertOut.model_validate(
        {
            **{k: getattr(alert, k) for k in AlertOut.model_fields if hasattr(alert, k)},
            "status": status,
            "crop_url": crop_url,
        }
    )


async def list_alerts(
    caller: Caller,
    status: AlertStatus | None,
    camera_id: uuid.UUID | None,
    plate: str | None,
    cursor: str | None,
    limit: int,
    since: datetime | None = None,
    until: datetime | None = None,
) -> tuple[Sequence[Alert], str | None]:
    caller.tenant()
    caller.require(Role.VIEWER)
    acknowledged = None if status is None else status is AlertStatus.ACKNOWLEDGED
    stmt = queries.alerts(
        acknowledged=acknowledged, camera_id=camera_id, plate=plate, since=since, until=until
    )
    async with caller.read_session() as session:
        return await fetch_page(session, stmt, Alert.id, cursor, limit)


async def get_alert(caller: Caller, alert_id: uuid.UUID) -> Alert:
    async with caller.read_session() as session:
        return await get_or_404(session, Alert, alert_id)


async def acknowledge(caller: Caller, alert_id: uuid.UUID, comment: str) -> Alert:
    tenant_id = caller.tenant()
    async with caller.session() as session:
        alert = await get_or_404(session, Alert, alert_id)
        caller.require(Role.OPERATOR)
        if alert.acknowledged_at is not None:
            raise ConflictError(f"alert {alert_id} was already acknowledged")
        alert.acknowledged_at = datetime.now(UTC)
        alert.acknowledged_by = caller.principal.user_id
        alert.acknowledged_by_name = caller.principal.username
        alert.comment = comment
        await session.flush()
        record(session, caller, AuditEvent(
            "alert.acknowledge", target_type="alert", target_id=alert.id,
            detail={"plate": alert.plate, "comment": comment},
        ))  # fmt: skip
        await publish(
            session,
            tenant_id,
            "alert.acknowledged",
            {
                "alert_id": str(alert.id),
                "plate": alert.plate,
                "by": caller.principal.username,
                "comment": comment,
            },
            camera_id=alert.camera_id,
        )
    return alert
