from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from gtvision.contract import API_PREFIX, Page, Role, User, UserCreate, UserUpdate
from gtvision.services.api.deps import DEFAULT_PAGE, CallerDep, Cursor, IfMatch, Limit, etag
from gtvision.services.users import service

router = APIRouter(prefix=f"{API_PREFIX}/users", tags=["users"])


def _out(row: object, response: Response) -> User:
    user = User.model_validate(row, from_attributes=True)
    response.headers["ETag"] = etag(user.version)
    return user


@router.get("", summary="List users (admin)")
async def list_users(
    caller: CallerDep,
    role: Role | None = None,
    q: Annotated[str | None, Query(max_length=64, description="Part of the username.")] = None,
    cursor: Cursor = None,
    limit: Limit = DEFAULT_PAGE,
) -> Page[User]:
    rows, next_cursor = await service.list_users(caller, role, q, cursor, limit)
    return Page[User](
        items=[User.model_validate(r, from_attributes=True) for r in rows], next_cursor=next_cursor
    )


@router.post("", status_code=status.HTTP_201_CREATED, summary="Add a user (admin)")
async def create_user(caller: CallerDep, body: UserCreate, response: Response) -> User:
    return _out(await service.create_user(caller, body), response)


@router.get("/{user_id}", summary="A user (admin, or yourself)")
async def get_user(caller: CallerDep, user_id: uuid.UUID, response: Response) -> User:
    return _out(await service.get_user(caller, user_id), response)


@router.patch("/{user_id}", summary="Change a user (admin; yourself: password, name, e-mail)")
async def update_user(
    caller: CallerDep, user_id: uuid.UUID, body: UserUpdate, if_match: IfMatch, response: Response
) -> User:
    return _out(await service.update_user(caller, user_id, body, if_match), response)


@router.delete(
    "/{user_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a user (admin)"
)
async def delete_user(caller: CallerDep, user_id: uuid.UUID, if_match: IfMatch) -> None:
    await service.delete_user(caller, user_id, if_match)
