"""Pure-ASGI middleware (no ``BaseHTTPMiddleware``: it costs a task and a copy per request).

Order, outermost first: request context (request id, access log, metrics) → NUL in the URL →
body size limit → rate limits. Rate limits sit inside so that a 429 is logged and counted like
any response.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from urllib.parse import parse_qs

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gtvision.contract import API_PREFIX
from gtvision.services.api.metrics import ApiMetrics
from gtvision.services.api.problems import problem
from gtvision.services.auth.ratelimit import SlidingWindowLimiter
from gtvision.services.auth.tokens import InvalidTokenError, decode_access_token
from gtvision.services.logs import request_id_var
from gtvision.services.objects.store import verify_local

access_log = logging.getLogger("gtvision.access")

# Probes, and MediaMTX's auth hook (one address asking for every viewer; tokens protect it).
_UNLIMITED = frozenset({"/healthz", "/readyz", "/metrics", "/api/v1/media/auth"})
_OBJECTS = f"{API_PREFIX}/objects/"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


def client_ip(scope: Scope) -> str:
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


class RequestContextMiddleware:
    """Carries ``X-Request-ID`` through logs and the response; logs and measures each request."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = Headers(scope=scope).get("x-request-id", "")
        request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message).append("X-Request-ID", request_id)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            # The template as documented ({camera_id}, not {camera_id:uuid}): one label per route.
            template = getattr(route, "path_format", None) or "<unmatched>"
            self.metrics.requests.labels(scope["method"], template, str(status)).inc()
            self.metrics.latency.labels(scope["method"], template).observe(elapsed)
            access_log.info(
                "request",
                extra={
                    "method": scope["method"],
                    "path": scope["path"],  # never the query string: it may carry tokens
                    "route": template,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                    "client": client_ip(scope),
                },
            )
            request_id_var.reset(token)


class NulInUrlMiddleware:
    """422 for a NUL character anywhere in the path or query: PostgreSQL text cannot hold one,
    so every text filter would otherwise fail deep inside as a 500. (Bodies: ``Request``.)"""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and (
            "\x00" in scope["path"]
            or b"%00" in scope["query_string"]
            or b"\x00" in scope["query_string"]
        ):
            response = problem(None, 422, "the URL must not contain NUL characters (%00)")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class BodySizeLimitMiddleware:
    """413 for a body over the limit, whether announced by Content-Length or streamed."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._reject(scope, receive, send)
            return
        received = 0
        response_started = rejected = False

        async def limited_receive() -> Message:
            nonlocal received, rejected
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes and not rejected:
                    # Answer now and tell the app the client left: whatever it does with that
                    # (FastAPI turns body errors into a 400) never reaches the client.
                    rejected = True
                    if not response_started:
                        await self._reject(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal response_started
            if rejected:
                return
            response_started = response_started or message["type"] == "http.response.start"
            await send(message)

        await self.app(scope, limited_receive, guarded_send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = problem(None, 413, f"request body is larger than {self.max_bytes} bytes")
        await response(scope, receive, send)


class RateLimitMiddleware:
    """Requests per minute per client address, and per user for signed-in callers.

    A valid signed object link (a crop, a segment) was paid for by the authorised request that
    issued it: it counts against a separate, ten times larger per-address budget, so a console
    showing a busy street's crops never trips the limit meant for abuse, and a leaked link
    still cannot be fetched without bound.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        per_ip: int,
        per_user: int,
        jwt_key: bytes,
        object_url_key: bytes | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.app = app
        self.by_ip = SlidingWindowLimiter(limit=per_ip)
        self.by_user = SlidingWindowLimiter(limit=per_user)
        self.by_link = SlidingWindowLimiter(limit=per_ip * 10)
        self.jwt_key = jwt_key
        self.object_url_key = object_url_key
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in _UNLIMITED:
            await self.app(scope, receive, send)
            return
        now = self.clock()
        signed = self._signed_link(scope)
        limiter = self.by_link if signed else self.by_ip
        retry_after = limiter.hit(client_ip(scope), now)
        who = "this address"
        if retry_after is None:
            user = self._user(scope)
            if user is not None:
                retry_after = self.by_user.hit(user, now)
                who = "this user"
        if retry_after is not None:
            response = problem(
                None,
                429,
                f"rate limit exceeded for {who}",
                headers={"Retry-After": str(max(1, round(retry_after)))},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _signed_link(self, scope: Scope) -> bool:
        path: str = scope["path"]
        if self.object_url_key is None or not path.startswith(_OBJECTS):
            return False
        query = parse_qs(scope["query_string"].decode("latin-1"))
        expires, sig = query.get("expires", [""])[0], query.get("sig", [""])[0]
        if not expires.isdigit() or not sig or len(expires) > 12:
            return False
        return verify_local(self.object_url_key, path[len(_OBJECTS) :], int(expires), sig)

    def _user(self, scope: Scope) -> str | None:
        authorization = Headers(scope=scope).get("authorization", "")
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer" or not token:
            return None
        try:
            return str(decode_access_token(token, self.jwt_key).user_id)
        except InvalidTokenError:
            return None
