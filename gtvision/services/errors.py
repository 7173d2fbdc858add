"""Domain errors raised by service layers; the API turns each into one RFC 9457 problem.

ServiceError
├── UnauthorizedError      401 — no, expired or wrong credentials
├── NotFoundError          404 — also for other tenants' ids, never 403
├── ForbiddenError         403 — the caller's role may not do this
├── ConflictError          409 — a unique name is taken, a row changed underneath
├── PreconditionFailedError 412 — If-Match does not match the current ETag
├── InvalidInputError      422 — valid JSON that breaks a rule (e.g. a zone that is not yours)
└── TooManyRequestsError   429 — rate limit or login lock-out, with Retry-After
"""

from __future__ import annotations

from gtvision.onvif.errors import CameraUnreachableError, OnvifError


class ServiceError(Exception):
    status = 500
    title = "Internal error"
    kind: str | None = None  # a machine-readable reason, where a client acts on it

    def __init__(self, detail: str, *, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.headers = headers or {}


class NotFoundError(ServiceError):
    status = 404
    title = "Not found"


class ForbiddenError(ServiceError):
    status = 403
    title = "Forbidden"


class ConflictError(ServiceError):
    status = 409
    title = "Conflict"


class PreconditionFailedError(ServiceError):
    status = 412
    title = "Precondition failed"


class InvalidInputError(ServiceError):
    status = 422
    title = "Invalid input"


class TooManyRequestsError(ServiceError):
    status = 429
    title = "Too many requests"

    def __init__(self, detail: str, *, retry_after_s: float) -> None:
        super().__init__(detail, headers={"Retry-After": str(max(1, round(retry_after_s)))})


class UnauthorizedError(ServiceError):
    status = 401
    title = "Unauthorized"

    def __init__(self, detail: str) -> None:
        super().__init__(detail, headers={"WWW-Authenticate": "Bearer"})


class CameraTroubleError(ServiceError):
    """The camera refused us or gave nothing usable (502), or could not be reached (504)."""

    title = "Camera unavailable"

    def __init__(self, detail: str, *, status: int = 502, kind: str | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind

    @classmethod
    def of(cls, exc: OnvifError) -> CameraTroubleError:
        """Unreachable is 504, anything else the camera said 502; ``kind`` says which."""
        status = 504 if isinstance(exc, CameraUnreachableError) else 502
        return cls(str(exc), status=status, kind=exc.kind)
