"""Directory events: a camera, zone or watch list created, changed or deleted, published in the
same transaction as the change (so a console never sees a change that was rolled back)."""

from __future__ import annotations

import uuid
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.contract import DirectoryChange
from gtvision.services.events.bus import publish
from gtvision.services.store.models import Camera, Watchlist, Zone


async def publish_change(
    session: AsyncSession,
    tenant_id: uuid.UUID,
    row: Camera | Zone | Watchlist,
    change: Literal["created", "updated", "deleted"],
    fields: list[str] | None = None,
) -> None:
    kind: Literal["camera", "zone", "watchlist"] = (
        "camera" if isinstance(row, Camera) else "zone" if isinstance(row, Zone) else "watchlist"
    )
    data = DirectoryChange(
        kind=kind, change=change, id=row.id, name=row.name,
        zone_id=row.zone_id if isinstance(row, Camera) else None, fields=fields or [],
    )  # fmt: skip
    await publish(session, tenant_id, f"{kind}.{change}", data.model_dump(mode="json"),
                  camera_id=row.id if isinstance(row, Camera) else None)  # fmt: skip
