"""FastAPI dependencies: the runtime, the authenticated caller, paging and ETag parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Query, Request, Response
from fastapi.security import OAuth2PasswordBearer
from pydantic import BaseModel

from gtvision.contract import API_PREFIX
from gtvision.services.api.middleware import client_ip
from gtvision.services.auth.revocation import Revocations
from gtvision.services.auth.tokens import InvalidTokenError, decode_access_token
from gtvision.services.context import Caller, Runtime
from gtvision.services.errors import PreconditionFailedError, UnauthorizedError
from gtvision.services.store.paging import MAX_LIMIT

_bearer = OAuth2PasswordBearer(tokenUrl=f"{API_PREFIX}/auth/token", auto_error=False)


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


def source_ip(request: Request) -> str:
    return client_ip(request.scope)


async def get_caller(
    request: Request, runtime: RuntimeDep, token: Annotated[str | None, Depends(_bearer)]
) -> Caller:
    if not token:
        raise UnauthorizedError("sign in first: missing bearer token")
    try:
        principal = decode_access_token(token, runtime.keys.jwt_key)
    except InvalidTokenError as exc:
        raise UnauthorizedError("access token invalid or expired") from exc
    revocations: Revocations = request.app.state.revocations
    if reason := await revocations.reason(principal.user_id, principal.epoch):
        raise UnauthorizedError(f"access token revoked: {reason}; sign in again")
    return Caller(principal=principal, source_ip=source_ip(request), runtime=runtime)


CallerDep = Annotated[Caller, Depends(get_caller)]
Cursor = Annotated[
    str | None,
    Query(pattern=r"^[A-Za-z0-9_-]{22}$", description="`next_cursor` of the previous page."),
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]


def etag(version: int) -> str:
    return f'"{version}"'


async def _if_match(
    if_match: Annotated[
        str | None,
        Header(
            pattern=r'^(\*|(W/)?"[0-9]+"|[0-9]+)$',
            description='ETag of the version you read (`"3"`; a bare version number, 3, is '
            "taken too); the change fails with 412 if stale.",
        ),
    ] = None,
) -> int | None:
    if if_match is None or if_match.strip() == "*":
        return None
    value = if_match.strip().removeprefix("W/").strip('"')
    if not value.isdigit():
        raise PreconditionFailedError("If-Match must be an ETag this API returned")
    return int(value)


IfMatch = Annotated[int | None, Depends(_if_match)]


def json_response(
    body: BaseModel, *, status_code: int = 200, version: int | None = None
) -> Response:
    """Serialise an already-validated model once (FastAPI would validate it again).

    Routes declare ``response_model`` for the OpenAPI document and return this.
    """
    headers = {"ETag": etag(version)} if version is not None else None
    return Response(
        body.model_dump_json(),
        status_code=status_code,
        media_type="application/json",
        headers=headers,
    )
