from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from gtvision.contract import API_PREFIX, Page, View, ViewCreate, ViewUpdate
from gtvision.services.api.deps import CallerDep, Cursor, IfMatch, Limit, json_response
from gtvision.services.store.models import View as ViewRow
from gtvision.services.store.paging import DEFAULT_LIMIT
from gtvision.services.store.rows import to_model
from gtvision.services.views import service

router = APIRouter(prefix=f"{API_PREFIX}/views", tags=["views"])


def _out(row: ViewRow, status_code: int = 200) -> Response:
    view = to_model(View, row)
    return json_response(view, status_code=status_code, version=view.version)


@router.get("", response_model=Page[View], summary="Your saved wall views")
async def list_views(
    caller: CallerDep, cursor: Cursor = None, limit: Limit = DEFAULT_LIMIT
) -> Response:
    rows, next_cursor = await service.list_views(caller, cursor, limit)
    items = [to_model(View, r) for r in rows]
    return json_response(Page[View](items=items, next_cursor=next_cursor))


@router.post("", response_model=View, status_code=status.HTTP_201_CREATED, summary="Save a view")
async def create_view(caller: CallerDep, body: ViewCreate) -> Response:
    return _out(await service.create_view(caller, body), status.HTTP_201_CREATED)


@router.get("/{view_id:uuid}", response_model=View)
async def get_view(caller: CallerDep, view_id: uuid.UUID) -> Response:
    return _out(await service.get_view(caller, view_id))


@router.patch("/{view_id:uuid}", response_model=View, summary="Change one of your views")
async def update_view(
    caller: CallerDep, view_id: uuid.UUID, body: ViewUpdate, if_match: IfMatch
) -> Response:
    return _out(await service.update_view(caller, view_id, body, if_match))


@router.delete("/{view_id:uuid}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a view")
async def delete_view(caller: CallerDep, view_id: uuid.UUID, if_match: IfMatch) -> None:
    await service.delete_view(caller, view_id, if_match)
