from __future__ import annotations

import os
import socket
from typing import Annotated

from fastapi import APIRouter, Query, Request

from gtvision.contract import API_PREFIX, AlertStats, CameraStats, Instant, LprStats, ReadStats
from gtvision.contract._stats import Bucket
from gtvision.services.api.deps import CallerDep
from gtvision.services.stats import service

router = APIRouter(prefix=f"{API_PREFIX}/stats", tags=["stats"])

From = Annotated[Instant | None, Query(alias="from", description="Default: a day before `to`.")]
To = Annotated[Instant | None, Query(alias="to", description="Default: now.")]
BucketQuery = Annotated[Bucket, Query(description="hour or day; at most 400 buckets.")]
TimeZone = Annotated[
    str,
    Query(max_length=64, pattern=r"^[A-Za-z0-9_+\-/]+$",
          description="IANA time zone where hours and days are cut."),
]  # fmt: skip
_INSTANCE = f"{socket.gethostname()}:{os.getpid()}"


@router.get(
    "/reads", response_model=ReadStats, summary="Plate reads per hour or day, by camera (audited)"
)
async def reads(
    caller: CallerDep,
    since: From = None,
    until: To = None,
    bucket: BucketQuery = "hour",
    tz: TimeZone = "America/Sao_Paulo",
) -> ReadStats:
    return await service.reads(caller, service.Period.checked(since, until, bucket, tz))


@router.get(
    "/alerts",
    response_model=AlertStats,
    summary="Watch-list alerts by list and priority, open and acknowledged (audited)",
)
async def alerts(
    caller: CallerDep, since: From = None, until: To = None, tz: TimeZone = "America/Sao_Paulo"
) -> AlertStats:
    return await service.alerts(caller, service.Period.checked(since, until, "day", tz))


@router.get(
    "/cameras",
    response_model=CameraStats,
    summary="Enabled cameras online, offline… now and at the end of each hour or day (audited)",
)
async def cameras(
    caller: CallerDep,
    since: From = None,
    until: To = None,
    bucket: BucketQuery = "hour",
    tz: TimeZone = "America/Sao_Paulo",
) -> CameraStats:
    return await service.cameras(caller, service.Period.checked(since, until, bucket, tz))


@router.get(
    "/lpr",
    response_model=LprStats,
    summary="Plate reading on the answering instance: per-camera frames and drops, inference "
    "time, reads waiting to be stored (admin)",
)
async def lpr(caller: CallerDep, request: Request) -> LprStats:
    return await service.lpr(caller, request.app.state.lpr, _INSTANCE)
