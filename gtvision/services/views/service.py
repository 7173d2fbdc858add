"""A user's own views: nobody else's are listed, read or changed (404, as if absent).

Cameras are checked against the caller's tenant when a view is saved, so a view can never
carry another tenant's camera ids; a camera deleted later simply leaves an empty tile.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.contract import ViewCreate, ViewUpdate
from gtvision.services.audit.service import AuditEvent, record
from gtvision.services.context import Caller
from gtvision.services.errors import InvalidInputError, NotFoundError
from gtvision.services.store import queries
from gtvision.services.store.models import Camera, View
from gtvision.services.store.paging import fetch_page
from gtvision.services.store.rows import apply_changes, check_version


def _owner(caller: Caller) -> uuid.UUID:
    caller.tenant()
    if caller.principal.user_id is None:  # pragma: no cover - API tokens always name a user
        raise InvalidInputError("views belong to users")
    return caller.principal.user_id


async def _own(session: AsyncSession, caller: Caller, view_id: uuid.UUID) -> View:
    view = await session.get(View, view_id)
    if view is None or view.user_id != _owner(caller):
        raise NotFoundError(f"view {view_id} not found")
    return view


async def _camera_ids(session: AsyncSession, cameras: list[uuid.UUID | None]) -> list[str | None]:
    wanted = {c for c in cameras if c is not None}
    for camera_id in wanted:
        if await session.get(Camera, camera_id) is None:  # tenant-filtered: foreign = absent
            raise InvalidInputError(f"camera {camera_id} not found")
    return [str(c) if c is not None else None for c in cameras]


async def list_views(
    caller: Caller, cursor: str | None, limit: int
) -> tuple[Sequence[View], str | None]:
    owner = _owner(caller)
    async with caller.read_session() as session:
        return await fetch_page(session, queries.views(user_id=owner), View.id, cursor, limit)


async def get_view(caller: Caller, view_id: uuid.UUID) -> View:
    async with caller.read_session() as session:
        return await _own(session, caller, view_id)


async def create_view(caller: Caller, data: ViewCreate) -> View:
    owner = _owner(caller)
    async with caller.session() as session:
        view = View(
            user_id=owner,
            name=data.name,
            layout=data.layout,
            cameras=await _camera_ids(session, data.cameras),
            tour_s=data.tour_s,
        )
        session.add(view)
        await session.flush()
        record(session, caller, AuditEvent("view.create", target_type="view", target_id=view.id))
    return view


async def update_view(
    caller: Caller, view_id: uuid.UUID, data: ViewUpdate, expected_version: int | None
) -> View:
    async with caller.session() as session:
        view = await _own(session, caller, view_id)
        check_version(view, expected_version)
        changes = {name: getattr(data, name) for name in data.model_fields_set}
        if "cameras" in changes:
            changes["cameras"] = await _camera_ids(session, data.cameras)
        changed = apply_changes(view, changes)
        if changed:
            await session.flush()
            detail = {"fields": changed}
            event = AuditEvent("view.update", target_type="view", target_id=view.id, detail=detail)
            record(session, caller, event)
    return view


async def delete_view(caller: Caller, view_id: uuid.UUID, expected_version: int | None) -> None:
    async with caller.session() as session:
        view = await _own(session, caller, view_id)
        check_version(view, expected_version)
        await session.delete(view)
        record(session, caller, AuditEvent("view.delete", target_type="view", target_id=view.id))
