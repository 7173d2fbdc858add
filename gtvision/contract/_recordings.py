"""Recordings, bookmarks and clip exports as the API shows and accepts them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from gtvision.contract._common import Request
from gtvision.contract._resources import Label, Stored


class TimeRange(BaseModel):
    start: datetime
    end: datetime


class Bookmark(Stored):
    """A marked moment; with ``protect`` an evidence lock that retention never deletes under."""

    camera_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    label: str
    protect: bool
    created_by: str


class BookmarkCreate(Request):
    starts_at: datetime
    ends_at: datetime
    label: Label = Field(min_length=1)
    protect: bool = Field(True, description="Exempt this range from retention (evidence lock).")

    @model_validator(mode="after")
    def _forward(self) -> BookmarkCreate:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class RecordingAvailability(BaseModel):
    """What was recorded in a window, and how to play it."""

    camera_id: uuid.UUID
    since: datetime
    until: datetime
    ranges: list[TimeRange] = Field(
        description="Continuous footage, oldest first; the holes between them are gaps."
    )
    segments: int
    truncated: bool = Field(description="More segments than one answer lists: ask less time.")
    playback_url: str | None = Field(
        description="Add `start` (ISO 8601) and optionally `duration` (seconds, default 300) to "
        "get a fragmented MP4 from the keyframe before `start`; the wall-clock time of its first "
        "frame is in the `X-Recording-Start` header and in the file's `comment` "
        "(`recorded-from=<ISO 8601>`). Null when nothing was recorded."
    )
    expires_at: datetime | None = Field(description="When `playback_url` stops working.")
    bookmarks: list[Bookmark]


ExportStatus = Literal["pending", "running", "ready", "failed"]


class ExportCreate(Request):
    camera_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime

    @model_validator(mode="after")
    def _forward(self) -> ExportCreate:
        if self.ends_at <= self.starts_at:
            raise ValueError("ends_at must be after starts_at")
        return self


class Export(Stored):
    """A clip being made, made (with a short-lived download link) or failed (with why)."""

    camera_id: uuid.UUID
    starts_at: datetime
    ends_at: datetime
    status: ExportStatus
    size: int | None
    error: str | None
    requested_by: str
    download_url: str | None = Field(description="Signed, short-lived link once `ready`.")
