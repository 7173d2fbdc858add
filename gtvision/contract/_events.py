from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field


class EventMessage(BaseModel):
    """One message on ``WS /api/v1/events``; resume with ``?since=<id>`` after a reconnect."""

    id: uuid.UUID
    at: datetime
    type: str = Field(examples=["camera.status", "plate.read", "alert.raised"])
    tenant_id: uuid.UUID
    camera_id: uuid.UUID | None = None
    data: dict[str, object]


class DirectoryChange(BaseModel):
    """``data`` of ``camera.*``, ``zone.*`` and ``watchlist.*`` (``created|updated|deleted``):
    what changed in the city's directory, so every open console follows at once. A watch list's
    entries changed (added, edited, removed, imported) is ``watchlist.updated`` with
    ``fields=["entries"]``."""

    kind: Literal["camera", "zone", "watchlist"]
    change: Literal["created", "updated", "deleted"]
    id: uuid.UUID
    name: str
    zone_id: uuid.UUID | None = None  # a camera's zone
    fields: list[str] = Field(default_factory=list, description="What an update changed.")
