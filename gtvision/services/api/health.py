"""Liveness, readiness and metrics, outside ``/api/v1`` where load balancers expect them."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from gtvision.services.api.problems import DB_RETRY_AFTER_S, is_unavailable

router = APIRouter(include_in_schema=False)

_READY_TIMEOUT_S = 2.0


@router.get("/healthz")
async def healthz(request: Request) -> JSONResponse:
    """The process is up and can recover: a database that is down for a while leaves it up
    (``/readyz`` says so), an embedded database that will not start again does not."""
    runtime = getattr(request.app.state, "runtime", None)
    failing = runtime.db.failing if runtime is not None else None
    if failing:
        return JSONResponse({"status": "failing", "reason": failing}, status_code=503)
    return JSONResponse({"status": "ok"})


@router.get("/readyz")
async def readyz(request: Request) -> JSONResponse:
    """Ready to serve: the database answers, and no background task keeps crashing."""
    runtime = getattr(request.app.state, "runtime", None)
    database = "starting"
    failing: dict[str, str] = {}
    if runtime is not None:
        try:
            async with asyncio.timeout(_READY_TIMEOUT_S):
                await runtime.db.ping()
            database = "ok"
        except Exception as exc:
            if not is_unavailable(exc):
                raise
            database = "unavailable"
        failing = runtime.supervisor.failing()
    ready = database == "ok" and not failing
    checks: dict[str, object] = {"database": database}
    if failing:  # named, with the last error: what the operator's log search starts from
        checks["tasks"] = failing
    reconciler = getattr(request.app.state, "reconciler", None)
    if reconciler is not None:
        # The API works without MediaMTX: report it, but stay in the load balancer.
        checks["media"] = "ok" if reconciler.healthy else "degraded"
    return JSONResponse(
        {"status": "ready" if ready else "degraded", "checks": checks},
        status_code=200 if ready else 503,
        headers=None if ready else {"Retry-After": str(DB_RETRY_AFTER_S)},
    )


@router.get("/metrics")
async def metrics(request: Request) -> Response:
    return Response(
        generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST
    )
