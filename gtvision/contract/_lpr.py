"""Plate reads, watch lists and alerts as the API shows and accepts them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, Field, computed_field

from gtvision.contract._common import Request
from gtvision.contract._resources import Name, Stored, Text, omittable

PlatePattern = Annotated[
    str,
    Field(
        min_length=1,
        max_length=24,
        examples=["ABC1D23", "ABC*", "AB?1D23"],
        description="A plate, or a pattern: `*` any characters, `?` one character.",
    ),
]
Reason = Annotated[str, Field(max_length=500)]
Priority = Annotated[int, Field(ge=1, le=4, description="1 low · 2 medium · 3 high · 4 critical.")]


class PriorityName(StrEnum):
    """A priority as people say it (the console shows it translated: baixa, média, alta,
    crítica), next to the number wherever the number is sent."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


def priority_name(priority: int) -> PriorityName:
    names = list(PriorityName)
    return names[min(max(priority, 1), len(names)) - 1]


class PlateMatch(StrEnum):
    EXACT = "exact"
    PREFIX = "prefix"
    FUZZY = "fuzzy"


class Detection(BaseModel):
    """One vehicle pass at one camera: the plate voted over the frames it was seen in."""

    id: uuid.UUID
    at: datetime = Field(description="When the best frame of the pass was taken.")
    camera_id: uuid.UUID | None
    camera_name: str | None
    plate: str
    confidence: float
    char_confidences: list[float]
    format: str = Field(examples=["mercosul", "antigo", "moto"])
    box: list[float] = Field(description="x, y, width, height of the plate in the frame (px).")
    frames: int = Field(description="Frames the plate was read in during the pass.")
    crop_url: str | None = Field(description="Signed, short-lived link to the plate crop.")
    frame_url: str | None = Field(description="Signed, short-lived link to the whole frame.")


class WatchlistCategory(StrEnum):
    STOLEN = "stolen"
    WANTED = "wanted"
    AUTHORISED = "authorised"
    MONITORED = "monitored"
    OTHER = "other"


class WatchlistCreate(Request):
    name: Name
    category: WatchlistCategory
    description: Text = ""
    raises_alerts: bool = Field(True, description="False for lists of allowed plates.")
    active: bool = True


class WatchlistUpdate(Request):
    name: Name = omittable()
    category: WatchlistCategory = omittable()
    description: Text = omittable()
    raises_alerts: bool = omittable()
    active: bool = omittable()


class Watchlist(Stored):
    tenant_id: uuid.UUID
    name: str
    category: WatchlistCategory
    description: str
    raises_alerts: bool
    active: bool


class WatchlistEntryCreate(Request):
    pattern: PlatePattern
    reason: Reason = ""
    priority: Priority = 2
    expires_at: datetime | None = None


class WatchlistEntryUpdate(Request):
    reason: Reason = omittable()
    priority: Priority = omittable()
    expires_at: datetime | None = None


class WatchlistEntry(Stored):
    watchlist_id: uuid.UUID
    pattern: str
    reason: str
    priority: int
    expires_at: datetime | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def priority_name(self) -> PriorityName:
        return priority_name(self.priority)


class ImportRowError(BaseModel):
    line: int
    error: str


class ImportReport(BaseModel):
    """A CSV import: every good row imported, every bad one named by its line."""

    imported: int
    updated: int
    errors: list[ImportRowError]


class AlertStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"


class Alert(Stored):
    tenant_id: uuid.UUID
    detection_id: uuid.UUID
    detection_at: datetime
    camera_id: uuid.UUID | None
    camera_name: str | None = Field(None, description="The camera's name when it read the plate.")
    plate: str
    watchlist_id: uuid.UUID | None
    entry_id: uuid.UUID | None
    pattern: str
    reason: str
    priority: int
    status: AlertStatus
    acknowledged_at: datetime | None
    acknowledged_by: uuid.UUID | None
    acknowledged_by_name: str | None = None
    watchlist_name: str | None = None
    comment: str | None
    crop_url: str | None = None  # the latest sighting's crop
    sightings: int = Field(1, description="Reads of the plate at this camera the alert covers.")
    last_seen_at: datetime | None = None
    last_detection_id: uuid.UUID | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def priority_name(self) -> PriorityName:
        return priority_name(self.priority)


class AlertAcknowledge(Request):
    comment: Annotated[str, Field(min_length=1, max_length=2000)] = Field(
        description="What the operator did about it (kept in the audit log)."
    )
