"""Aggregates for dashboards (the console's *Painel*, a mobile app, a city's BI): counts over
time, never rows, each scoped to the caller's tenant."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from gtvision.contract._lpr import PriorityName, priority_name

Bucket = Literal["hour", "day"]


class CountAt(BaseModel):
    at: datetime = Field(description="Start of the bucket.")
    count: int


class ReadSeries(BaseModel):
    camera_id: uuid.UUID | None = Field(description="Null for reads of a camera since removed.")
    camera_name: str
    total: int
    points: list[CountAt] = Field(description="Buckets with reads; missing buckets had none.")


class ReadStats(BaseModel):
    since: datetime
    until: datetime
    bucket: Bucket
    total: int
    cameras: list[ReadSeries] = Field(description="Busiest camera first.")


class AlertGroup(BaseModel):
    watchlist_id: uuid.UUID | None
    watchlist_name: str
    priority: int
    open: int
    acknowledged: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def priority_name(self) -> PriorityName:
        return priority_name(self.priority)


class AlertStats(BaseModel):
    since: datetime
    until: datetime
    total: int
    groups: list[AlertGroup] = Field(description="Most urgent first, then the busiest list.")


class StatusCounts(BaseModel):
    at: datetime = Field(description="End of the bucket: how the cameras stood then.")
    online: int = 0
    offline: int = 0
    degraded: int = 0
    unauthorized: int = 0
    unknown: int = 0


class CameraStats(BaseModel):
    since: datetime
    until: datetime
    bucket: Bucket
    now: StatusCounts = Field(description="Enabled cameras by status now.")
    points: list[StatusCounts] = Field(
        description="Enabled cameras by status at the end of each bucket, from their status "
        "changes (cameras added later count from when they reported first)."
    )


class LprCameraLoad(BaseModel):
    camera_id: uuid.UUID
    camera_name: str
    fps: float = Field(description="Frames per second asked of the camera.")
    frames: int = Field(description="Frames read since the worker started.")
    dropped: int = Field(description="Frames skipped because inference was behind.")
    passes: int = Field(description="Vehicle passes stored since the worker started.")


class LprModels(BaseModel):
    """The models an instance reads plates with, as loaded (what its settings asked for)."""

    backend: str = Field(examples=["openvino", "cuda"])
    device: str = Field(examples=["CPU", "CUDA:0"])
    detector: str = Field(examples=["plate_detector.onnx", "plate_detector.int8.onnx"])
    recognizer: str = Field(examples=["br_recognizer"])


class LprStats(BaseModel):
    """What the answering instance is doing now (in a cluster, each instance its share)."""

    instance: str
    models: LprModels | None = Field(
        None, description="The models this instance reads with; null until its first frame."
    )
    cameras: list[LprCameraLoad] = Field(description="The tenant's cameras read here.")
    queue_depth: int = Field(description="Frames waiting for inference (all tenants).")
    inference_p50_ms: float | None
    inference_p95_ms: float | None
    storage_backlog: int = Field(
        description="Reads waiting on this instance's disk to be stored (database or S3 down)."
    )
