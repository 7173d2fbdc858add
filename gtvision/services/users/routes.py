from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from gtvision.contract import API_PREFIX, Page, Role, User, UserCreate, UserUpdate
from gtvision.services.api.deps import (
    CallerDep,
    Cursor,
    IfMatch,
    Limit,
    json_response,
)
from gtvision.services.store.models import User as UserRow
from gtvision.services.store.paging import DEFAULT_LIMIT
from gtvision.services.store.rows import to_model
from gtvision.services.users import service

router = APIRouter(prefix=f"{API_PREFIX}/users", tags=["users"])


def _out(row: UserRow, status_code: int = 200) -> Response:
    user = to_model(User, row)
    return json_response(user, status_code=status_code, version=user.version)


@router.get("", response_model=Page[User], summary="List users (admin)")
async def list_users(
    caller: CallerDep,
    role: Role | None = None,
    q: Annotated[str | None, Query(max_length=64, description="Part of the username.")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_LIMIT,
) -> Response:
    rows, next_cursor = await service.list_users(caller, role, q, cursor, limit)
    items = [to_model(User, r) for r in rows]
    return json_response(Page[User](items=items, next_cursor=next_cursor))


@router.post(
    "", response_model=User, status_code=status.HTTP_201_CREATED, summary="Add a user (admin)"
)
async def create_user(caller: CallerDep, body: UserCreate) -> Response:
    return _out(await service.create_user(caller, body), status.HTTP_201_CREATED)


@router.get("/{user_id:uuid}", response_model=User, summary="A user (admin, or yourself)")
async def get_user(caller: CallerDep, user_id: uuid.UUID) -> Response:
    return _out(await service.get_user(caller, user_id))


@router.patch(
    "/{user_id:uuid}",
    response_model=User,
    summary="Change a user (admin; yourself: password, name, e-mail)",
)
async def update_user(
    caller: CallerDep, user_id: uuid.UUID, body: UserUpdate, if_match: IfMatch
) -> Response:
    return _out(await service.update_user(caller, user_id, body, if_match))


@router.delete(
    "/{user_id:uuid}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a user (admin)"
)
async def delete_user(caller: CallerDep, user_id: uuid.UUID, if_match: IfMatch) -> None:
    await service.delete_user(caller, user_id, if_match)
