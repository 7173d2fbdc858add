from __future__ import annotations

import uuid
from collections.abc import Sequence

from gtvision.contract import Role, ZoneCreate, ZoneUpdate
from gtvision.services.audit.service import AuditEvent, record
from gtvision.services.context import Caller
from gtvision.services.events.directory import publish_change
from gtvision.services.store import queries
from gtvision.services.store.models import Zone
from gtvision.services.store.paging import fetch_page
from gtvision.services.store.rows import apply_changes, check_version, get_or_404
from gtvision.services.store.values import column_values


async def list_zones(
    caller: Caller, q: str | None, cursor: str | None, limit: int
) -> tuple[Sequence[Zone], str | None]:
    caller.tenant()
    async with caller.read_session() as session:
        return await fetch_page(session, queries.zones(q=q), Zone.id, cursor, limit)


async def get_zone(caller: Caller, zone_id: uuid.UUID) -> Zone:
    async with caller.read_session() as session:
        return await get_or_404(session, Zone, zone_id)


async def create_zone(caller: Caller, data: ZoneCreate) -> Zone:
    caller.tenant()
    caller.require(Role.ADMIN)
    async with caller.session() as session:
        zone = Zone(**column_values(data))
        session.add(zone)
        await session.flush()
        event = AuditEvent("zone.create", target_type="zone", target_id=zone.id,
                           detail={"name": zone.name})  # fmt: skip
        record(session, caller, event)
        await publish_change(session, zone.tenant_id, zone, "created")
    return zone


async def update_zone(
    caller: Caller, zone_id: uuid.UUID, data: ZoneUpdate, expected_version: int | None
) -> Zone:
    changes = column_values(data, only_set=True)
    async with caller.session() as session:
        zone = await get_or_404(session, Zone, zone_id)
        caller.require(Role.ADMIN)
        check_version(zone, expected_version)
        changed = apply_changes(zone, changes)
        if changed:
            await session.flush()
            record(
                session,
                caller,
                AuditEvent(
                    "zone.update", target_type="zone", target_id=zone.id, detail={"fields": changed}
                ),
            )
            await publish_change(session, zone.tenant_id, zone, "updated", list(changed))
    return zone


async def delete_zone(caller: Caller, zone_id: uuid.UUID, expected_version: int | None) -> None:
    async with caller.session() as session:
        zone = await get_or_404(session, Zone, zone_id)
        caller.require(Role.ADMIN)
        check_version(zone, expected_version)
        await session.delete(zone)
        record(
            session,
            caller,
            AuditEvent(
                "zone.delete", target_type="zone", target_id=zone.id, detail={"name": zone.name}
            ),
        )
        await publish_change(session, zone.tenant_id, zone, "deleted")
