"""The OpenAPI document, with every error a route can answer documented as problem+json.

FastAPI documents only a 422 ``HTTPValidationError``; our errors all leave as RFC 9457
problems, so clients (and schemathesis) must see that media type for each status.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from gtvision.contract import Problem
from gtvision.services.api.problems import PROBLEM_JSON

_ERRORS = {
    400: "Malformed request",
    401: "Missing, invalid or expired credentials",
    403: "The caller's role may not do this",
    404: "No such resource in the caller's tenant",
    409: "Conflicts with an existing resource",
    412: "If-Match does not match the current ETag",
    413: "Request body too large",
    422: "Invalid fields (each one named in `errors`)",
    429: "Rate limit or sign-in lock-out; see Retry-After",
    503: "Database unavailable; see Retry-After",
}


_PROBLEM = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}

# For routes that talk to a camera: declared on the route, kept by build_openapi.
CAMERA_TROUBLE: dict[int | str, dict[str, object]] = {
    502: {
        "description": "The camera refused the credentials, or answered nonsense",
        "content": _PROBLEM,
    },
    504: {"description": "The camera could not be reached", "content": _PROBLEM},
}


def _codes(path: str, method: str, operation: dict[str, Any]) -> list[int]:
    codes = [400, 401, 403, 422, 429, 503]
    if "{" in path:
        codes.append(404)
    if method in ("post", "patch", "delete"):
        codes.append(409)
    if method in ("patch", "delete") and "{" in path:
        codes.append(412)
    if "requestBody" in operation:
        codes.append(413)
    return sorted(codes)


def build_openapi(app: FastAPI) -> dict[str, Any]:
    if app.openapi_schema:
        return app.openapi_schema
    spec = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        routes=app.routes,
    )
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    _no_null_parameters(spec)
    problem = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for code in _codes(path, method, operation):
                responses[str(code)] = {"description": _ERRORS[code], "content": problem}
    app.openapi_schema = spec
    return spec


def _no_null_parameters(spec: dict[str, Any]) -> None:
    """Query and header parameters cannot carry null: leaving them out is the null.

    FastAPI documents ``x: T | None = None`` as ``anyOf: [T, null]``, which tells clients
    (and schemathesis) that the string ``null`` is a valid value. Keep only ``T``.
    """
    for operations in spec["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                options = schema.get("anyOf")
                if options and {"type": "null"} in options:
                    rest = [o for o in options if o != {"type": "null"}]
                    schema.pop("anyOf")
                    schema.update(rest[0] if len(rest) == 1 else {"anyOf": rest})
