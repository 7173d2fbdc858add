"""Every error leaves the API as ``application/problem+json`` (RFC 9457)."""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.orm.exc import StaleDataError
from starlette.exceptions import HTTPException

from gtvision.contract import Problem
from gtvision.services.errors import ServiceError

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
DB_RETRY_AFTER_S = 5

_TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    412: "Precondition failed",
    413: "Content too large",
    415: "Unsupported media type",
    422: "Invalid input",
    428: "Precondition required",
    429: "Too many requests",
    503: "Service unavailable",
}


def problem(
    request: Request | None,
    status: int,
    detail: str | None = None,
    *,
    title: str | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
    kind: str | None = None,
) -> JSONResponse:
    body = Problem(
        title=title or _TITLES.get(status, "Error"),
        status=status,
        detail=detail,
        instance=request.url.path if request is not None else None,
        errors=errors,
        kind=kind,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=headers,
    )


def is_unavailable(exc: BaseException) -> bool:
    """True when the database is down or unreachable (as opposed to a bad query)."""
    if isinstance(exc, OperationalError | InterfaceError | PoolTimeoutError):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    # A server starting up, shutting down or in crash recovery (SQLSTATE class 57P), or a
    # connection exception (class 08): the database is there, but not answering yet.
    sqlstate = str(getattr(getattr(exc, "orig", None), "sqlstate", None) or "")
    if isinstance(exc, DBAPIError) and sqlstate.startswith(("57P", "08")):
        return True
    return isinstance(exc, OSError | ConnectionError | TimeoutError)


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"loc": list(err.get("loc", ())), "msg": err.get("msg", ""), "type": err.get("type", "")}
        for err in exc.errors()
    ]


def allowed_methods(app: FastAPI, request: Request) -> list[str]:
    """The methods the API documents for this request's path: of the templates that match it,
    the most literal ones (``/entries/export`` before ``/entries/{entry_id}``)."""
    path = request.url.path
    matching = [
        (template.count("{"), methods)
        for template, pattern, methods in _documented_paths(app)
        if pattern.fullmatch(path)
    ]
    if not matching:
        return []
    fewest = min(params for params, _ in matching)
    return sorted({m for params, methods in matching if params == fewest for m in methods})


def _documented_paths(app: FastAPI) -> list[tuple[str, re.Pattern[str], list[str]]]:
    cached: list[tuple[str, re.Pattern[str], list[str]]] | None = getattr(
        app.state, "documented_paths", None
    )
    if cached is None:
        cached = [
            (
                template,
                re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))),
                [method.upper() for method in operations],
            )
            for template, operations in app.openapi()["paths"].items()
        ]
        app.state.documented_paths = cached
    return cached


def install(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def _service(request: Request, exc: ServiceError) -> JSONResponse:
        return problem(
            request, exc.status, exc.detail, title=exc.title, headers=exc.headers, kind=exc.kind
        )

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        headers = exc.headers
        if exc.status_code == 405:
            # Starlette names only the first route that matched the path; a resource often has
            # several (GET and POST /zones are two routes): name every method it supports.
            headers = {**(headers or {}), "Allow": ", ".join(allowed_methods(app, request))}
        return problem(request, exc.status_code, str(exc.detail), headers=headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _field_errors(exc)
        fields = ", ".join(".".join(str(p) for p in e["loc"]) for e in errors)
        return problem(request, 422, f"invalid fields: {fields}", errors=errors)

    async def _database(request: Request, exc: Exception) -> JSONResponse:
        if isinstance(exc, IntegrityError):
            return problem(request, 409, "conflicts with an existing record")
        if str(getattr(getattr(exc, "orig", None), "sqlstate", None) or "").startswith("22"):
            # Data exception (too long, out of range): input the contract should have refused;
            # still the caller's input, so a 4xx — and logged, to tighten the contract.
            log.warning("database refused a value: %s", getattr(exc, "orig", exc))
            return problem(request, 422, "a value is too long or out of range for its field")
        if is_unavailable(exc):
            log.warning("database unavailable: %s", type(exc).__name__)
            return problem(
                request,
                503,
                "database unavailable, retry shortly",
                headers={"Retry-After": str(DB_RETRY_AFTER_S)},
            )
        log.exception("unexpected database error")
        return problem(request, 500, "internal error")

    for exc_type in (DBAPIError, PoolTimeoutError, OSError):
        app.add_exception_handler(exc_type, _database)

    @app.exception_handler(StaleDataError)
    async def _gone(request: Request, exc: StaleDataError) -> JSONResponse:
        # Another request deleted (or replaced) the row between our read and our write: for
        # this caller it is simply not there any more, as it would be a moment later.
        return problem(request, 404, "not found (changed or removed by another request)")
