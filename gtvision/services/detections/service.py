"""Searching plate reads. Every search and export is audited with its criteria (LGPD)."""

from __future__ import annotations

import base64
import binascii
import io
import struct
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Select

from gtvision.contract import Detection as DetectionOut
from gtvision.contract import PlateMatch, Role
from gtvision.services.audit.service import AuditEvent, record
from gtvision.services.context import Caller
from gtvision.services.csvsafe import SafeWriter
from gtvision.services.errors import InvalidInputError, NotFoundError
from gtvision.services.lpr.plates import PlateSyntaxError, normalize, plate_key
from gtvision.services.objects import ObjectStore
from gtvision.services.store import queries
from gtvision.services.store.models import Detection

PREFIX_MIN = 2  # one letter would list a 26th of every read
FUZZY_MIN = 5  # shorter texts have too few trigrams to find neighbours by
EXPORT_MAX_ROWS = 100_000


@dataclass(frozen=True, slots=True)
class DetectionQuery:
    plate: str | None = None
    match: PlateMatch = PlateMatch.EXACT
    camera_id: uuid.UUID | None = None
    since: datetime | None = None
    until: datetime | None = None

    def checked(self) -> DetectionQuery:
        if self.since and self.until and self.since >= self.until:
            raise InvalidInputError("from must be before to")
        if self.plate is None:
            return self
        try:
            plate = normalize(self.plate)
        except PlateSyntaxError as exc:
            raise InvalidInputError(f"plate: {exc}") from None
        if self.match is PlateMatch.PREFIX and len(plate) < PREFIX_MIN:
            raise InvalidInputError(f"plate: a prefix needs at least {PREFIX_MIN} characters")
        if self.match is PlateMatch.FUZZY and len(plate) < FUZZY_MIN:
            raise InvalidInputError(f"plate: fuzzy search needs at least {FUZZY_MIN} characters")
        return DetectionQuery(plate, self.match, self.camera_id, self.since, self.until)

    def audit_detail(self) -> dict[str, object]:
        detail = asdict(self)
        return {k: str(v) if v is not None else None for k, v in detail.items()}


_CURSOR = struct.Struct(">q16s")  # microseconds since the epoch, then the id


def encode_cursor(at: datetime, detection_id: uuid.UUID) -> str:
    micros = round(at.timestamp() * 1_000_000)
    return base64.urlsafe_b64encode(_CURSOR.pack(micros, detection_id.bytes)).decode()


def decode_cursor(cursor: str) -> tuple[datetime, uuid.UUID]:
    try:
        micros, raw_id = _CURSOR.unpack(base64.urlsafe_b64decode(cursor))
        at = datetime.fromtimestamp(0, UTC) + timedelta(microseconds=micros)
        return at, uuid.UUID(bytes=raw_id)
    except (binascii.Error, ValueError, struct.error, OverflowError) as exc:
        raise InvalidInputError("cursor is not one this API returned") from exc


def _statement(
    query: DetectionQuery, before: tuple[datetime, uuid.UUID] | None
) -> Select[Detection, str | None]:
    plate = query.plate
    return queries.detections(
        exact=plate if plate and query.match is PlateMatch.EXACT else None,
        prefix=plate if plate and query.match is PlateMatch.PREFIX else None,
        fuzzy_key=plate_key(plate) if plate and query.match is PlateMatch.FUZZY else None,
        camera_id=query.camera_id,
        since=query.since,
        until=query.until,
        before=before,
    )


async def to_contract(
    row: Detection, camera_name: str | None, store: ObjectStore, ttl_s: int
) -> DetectionOut:
    return DetectionOut(
        id=row.id, at=row.at, camera_id=row.camera_id, camera_name=camera_name,
        plate=row.plate, confidence=row.confidence, char_confidences=row.char_confidences,
        format=row.format, box=row.box, frames=row.frames,
        crop_url=await store.url(row.crop_key, ttl_s) if row.crop_key else None,
        frame_url=await store.url(row.frame_key, ttl_s) if row.frame_key else None,
    )  # fmt: skip


async def search(
    caller: Caller, query: DetectionQuery, cursor: str | None, limit: int
) -> tuple[list[DetectionOut], str | None]:
    caller.tenant()
    caller.require(Role.OPERATOR)
    query = query.checked()
    before = decode_cursor(cursor) if cursor else None
    async with caller.session() as session:
        rows = (await session.execute(_statement(query, before).limit(limit + 1))).all()
        detail = {**query.audit_detail(), "results": min(len(rows), limit), "page": bool(cursor)}
        record(session, caller, AuditEvent("detection.search", detail=detail))
    page: Sequence[tuple[Detection, str | None]] = [(d, name) for d, name in rows[:limit]]
    runtime = caller.runtime
    items = [
        await to_contract(d, name, runtime.objects, runtime.settings.object_url_ttl_s)
        for d, name in page
    ]
    next_cursor = encode_cursor(page[-1][0].at, page[-1][0].id) if len(rows) > limit else None
    return items, next_cursor


CSV_COLUMNS = ("id", "at", "camera_id", "camera_name", "plate", "confidence", "format", "frames")


async def export_csv(caller: Caller, query: DetectionQuery) -> tuple[str, bool]:
    """The matching reads as CSV (at most ``EXPORT_MAX_ROWS``), and whether it was cut short."""
    caller.tenant()
    caller.require(Role.OPERATOR)
    query = query.checked()
    out = io.StringIO()
    writer = SafeWriter(out)  # camera names are typed by admins
    writer.writerow(CSV_COLUMNS)
    async with caller.session() as session:
        result = await session.stream(_statement(query, None).limit(EXPORT_MAX_ROWS + 1))
        count, truncated = 0, False
        async for d, name in result:
            if count == EXPORT_MAX_ROWS:  # the one row past the limit: there was more
                truncated = True
                break
            writer.writerow((d.id, d.at.isoformat(), d.camera_id or "", name or "", d.plate,
                             f"{d.confidence:.4f}", d.format, d.frames))  # fmt: skip
            count += 1
        detail = {**query.audit_detail(), "rows": count, "truncated": truncated}
        record(session, caller, AuditEvent("detection.export", detail=detail))
    return out.getvalue(), truncated


async def crop_url(caller: Caller, detection_id: uuid.UUID, kind: str) -> str:
    caller.require(Role.VIEWER)
    async with caller.session() as session:
        row = await queries.detection(session, detection_id)
        key = None if row is None else row.crop_key if kind == "crop" else row.frame_key
        if row is None or key is None:
            raise NotFoundError(f"no {kind} for detection {detection_id}")
        event = AuditEvent("detection.image", target_type="detection", target_id=row.id,
                           detail={"kind": kind})  # fmt: skip
        record(session, caller, event)
    return await caller.runtime.objects.url(key, caller.runtime.settings.object_url_ttl_s)
