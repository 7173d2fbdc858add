from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field


class EventMessage(BaseModel):
    """One message on ``WS /api/v1/events``; resume with ``?since=<id>`` after a reconnect."""

    id: uuid.UUID
    at: datetime
    type: str = Field(examples=["camera.status", "plate.read", "alert.raised"])
    tenant_id: uuid.UUID
    camera_id: uuid.UUID | None = None
    data: dict[str, object]
