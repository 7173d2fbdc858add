from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response, status

from gtvision.contract import (
    API_PREFIX,
    ImportReport,
    Page,
    Watchlist,
    WatchlistCreate,
    WatchlistEntry,
    WatchlistEntryCreate,
    WatchlistEntryUpdate,
    WatchlistUpdate,
)
from gtvision.services.api.deps import CallerDep, Cursor, IfMatch, Limit, json_response
from gtvision.services.store.models import Watchlist as WatchlistRow
from gtvision.services.store.models import WatchlistEntry as EntryRow
from gtvision.services.store.paging import DEFAULT_LIMIT
from gtvision.services.store.rows import to_model
from gtvision.services.watchlists import service

router = APIRouter(prefix=f"{API_PREFIX}/watchlists", tags=["watchlists"])
Q = Annotated[str | None, Query(max_length=200)]


def _list(row: WatchlistRow, status_code: int = 200) -> Response:
    out = to_model(Watchlist, row)
    return json_response(out, status_code=status_code, version=out.version)


def _entry(row: EntryRow, status_code: int = 200) -> Response:
    out = to_model(WatchlistEntry, row)
    return json_response(out, status_code=status_code, version=out.version)


@router.get("", response_model=Page[Watchlist], summary="The tenant's watch lists (operator)")
async def list_watchlists(
    caller: CallerDep, q: Q = None, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Response:
    rows, next_cursor = await service.list_watchlists(caller, q, cursor, limit)
    items = [to_model(Watchlist, r) for r in rows]
    return json_response(Page[Watchlist](items=items, next_cursor=next_cursor))


@router.post("", response_model=Watchlist, status_code=201, summary="Create a watch list (admin)")
async def create_watchlist(caller: CallerDep, body: WatchlistCreate) -> Response:
    return _list(await service.create_watchlist(caller, body), status.HTTP_201_CREATED)


@router.get("/{watchlist_id:uuid}", response_model=Watchlist)
async def get_watchlist(caller: CallerDep, watchlist_id: uuid.UUID) -> Response:
    return _list(await service.get_watchlist(caller, watchlist_id))


@router.patch(
    "/{watchlist_id:uuid}", response_model=Watchlist, summary="Change a watch list (admin)"
)
async def update_watchlist(
    caller: CallerDep, watchlist_id: uuid.UUID, body: WatchlistUpdate, if_match: IfMatch
) -> Response:
    return _list(await service.update_watchlist(caller, watchlist_id, body, if_match))


@router.delete("/{watchlist_id:uuid}", status_code=204, summary="Delete a watch list (admin)")
async def delete_watchlist(caller: CallerDep, watchlist_id: uuid.UUID, if_match: IfMatch) -> None:
    await service.delete_watchlist(caller, watchlist_id, if_match)


@router.get("/{watchlist_id:uuid}/entries", response_model=Page[WatchlistEntry])
async def list_entries(
    caller: CallerDep,
    watchlist_id: uuid.UUID,
    q: Annotated[str | None, Query(max_length=16, description="Beginning of the pattern.")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Response:
    rows, next_cursor = await service.list_entries(caller, watchlist_id, q, cursor, limit)
    items = [to_model(WatchlistEntry, r) for r in rows]
    return json_response(Page[WatchlistEntry](items=items, next_cursor=next_cursor))


@router.post(
    "/{watchlist_id:uuid}/entries",
    response_model=WatchlistEntry,
    status_code=201,
    summary="Add a plate or pattern (admin)",
)
async def add_entry(
    caller: CallerDep, watchlist_id: uuid.UUID, body: WatchlistEntryCreate
) -> Response:
    return _entry(await service.add_entry(caller, watchlist_id, body), status.HTTP_201_CREATED)


@router.patch("/{watchlist_id:uuid}/entries/{entry_id:uuid}", response_model=WatchlistEntry)
async def update_entry(
    caller: CallerDep,
    watchlist_id: uuid.UUID,
    entry_id: uuid.UUID,
    body: WatchlistEntryUpdate,
    if_match: IfMatch,
) -> Response:
    return _entry(await service.update_entry(caller, watchlist_id, entry_id, body, if_match))


@router.delete("/{watchlist_id:uuid}/entries/{entry_id:uuid}", status_code=204)
async def remove_entry(
    caller: CallerDep, watchlist_id: uuid.UUID, entry_id: uuid.UUID, if_match: IfMatch
) -> None:
    await service.remove_entry(caller, watchlist_id, entry_id, if_match)


@router.post(
    "/{watchlist_id:uuid}/entries/import",
    response_model=ImportReport,
    summary="Import entries from CSV: pattern,reason,priority,expires_at (admin)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string"}}},
        }
    },
)
async def import_entries(caller: CallerDep, watchlist_id: uuid.UUID, request: Request) -> Response:
    return json_response(await service.import_csv(caller, watchlist_id, await request.body()))


@router.get(
    "/{watchlist_id:uuid}/entries/export",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}},
    summary="Export entries as CSV (operator)",
)
async def export_entries(caller: CallerDep, watchlist_id: uuid.UUID) -> Response:
    body = await service.export_csv(caller, watchlist_id)
    headers = {"Content-Disposition": 'attachment; filename="watchlist.csv"'}
    return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
