"""Plate reads written through the service's own writer, for tests that need them in place."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from gtvision.services.lpr.spool import PendingRead, Spool
from gtvision.services.lpr.writer import DetectionWriter
from gtvision.services.objects.store import LocalObjectStore
from gtvision.services.store.db import Database
from gtvision.services.store.ids import uuid7


def letterbox(
    image: npt.NDArray[np.uint8], size: tuple[int, int] = (960, 540)
) -> npt.NDArray[np.uint8]:
    """A photo scaled into a video frame of ``size`` (width, height), black bars around it."""
    h, w = image.shape[:2]
    s = min(size[0] / w, size[1] / h)
    nw, nh = int(w * s), int(h * s)
    canvas = np.zeros((size[1], size[0], 3), np.uint8)
    y, x = (size[1] - nh) // 2, (size[0] - nw) // 2
    canvas[y : y + nh, x : x + nw] = cv2.resize(image, (nw, nh), interpolation=cv2.INTER_AREA)
    return canvas


JPEG = bytes.fromhex("ffd8ffe000104a464946") + b"\x00" * 32 + bytes.fromhex("ffd9")


def pending_read(
    tenant_id: str | uuid.UUID,
    camera_id: str | uuid.UUID,
    plate: str,
    *,
    at: datetime | None = None,
    crop: bytes = JPEG,
    camera_name: str = "test camera",
) -> PendingRead:
    return PendingRead(
        id=uuid7(), tenant_id=uuid.UUID(str(tenant_id)), camera_id=uuid.UUID(str(camera_id)),
        camera_name=camera_name, at=at or datetime.now(UTC), plate=plate, confidence=0.97,
        char_confidences=[0.97] * len(plate), format="mercosul", box=[10.0, 20.0, 120.0, 40.0],
        frames=3, crop=crop, frame=crop,
    )  # fmt: skip


def write_reads(database_url: str, objects_dir: Path, reads: list[PendingRead]) -> list[bool]:
    """Store ``reads`` as the LPR writer does (objects in a local store); new or not, each."""

    async def main() -> list[bool]:
        db = Database(database_url)
        try:
            store = LocalObjectStore(objects_dir, b"k" * 32, "http://127.0.0.1")
            writer = DetectionWriter(db, store, Spool(objects_dir / "spool"))
            return [await writer.write(read) for read in reads]
        finally:
            await db.dispose()

    return asyncio.run(main())
