"""Wall views: a user's named layouts with cameras per tile, restored on any workstation."""

from __future__ import annotations

import uuid
from typing import Annotated

from pydantic import Field

from gtvision.contract._common import Request
from gtvision.contract._resources import Name, Stored, omittable

LayoutName = Annotated[
    str,
    Field(
        pattern=r"^([1-8]x[1-8]|1\+5|1\+7)$",
        examples=["2x2", "1+5", "4x4"],
        description="`RxC` grid (1 to 8 each way), or `1+5` / `1+7` (one big tile first).",
    ),
]
Tiles = Annotated[
    list[uuid.UUID | None],
    Field(
        max_length=256,
        description=(
            "Camera per tile in reading order (null: empty tile). More cameras than tiles make "
            "a tour: the wall shows them a page at a time, every `tour_s` seconds."
        ),
    ),
]
TourSeconds = Annotated[int, Field(ge=5, le=3600, description="Seconds per page of a tour.")]


class ViewCreate(Request):
    name: Name
    layout: LayoutName
    cameras: Tiles = Field(default_factory=list)
    tour_s: TourSeconds | None = None


class ViewUpdate(Request):
    name: Name = omittable()
    layout: LayoutName = omittable()
    cameras: Tiles = omittable()
    tour_s: TourSeconds | None = None


class View(Stored):
    tenant_id: uuid.UUID
    user_id: uuid.UUID
    name: str
    layout: str
    cameras: list[uuid.UUID | None]
    tour_s: int | None
