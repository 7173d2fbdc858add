"""The durable queue between the workers and the stores: nothing is lost while they are down.

Every voted read is written here first — one file per read, named by a sequence number,
made atomic by write-to-temp, fsync and rename — and deleted only after the writer has stored
it. Reads are handed out oldest first, so they reach PostgreSQL in the order they happened.
The file holds a JSON header line followed by the crop and context-frame JPEG bytes. Several
processes of one service (``run --workers``) may share the directory: a read stored twice is
ignored by the writer (its id is the key), so sharing costs a little work, never a duplicate.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import uuid
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from gtvision.services.background import woken_or_after

_SUFFIX = ".read"
log = logging.getLogger(__name__)


@dataclass(slots=True)
class PendingRead:
    id: uuid.UUID
    tenant_id: uuid.UUID
    camera_id: uuid.UUID
    camera_name: str
    at: datetime
    plate: str
    confidence: float
    char_confidences: list[float]
    format: str
    box: list[float]
    frames: int
    crop: bytes = field(default=b"", repr=False)
    frame: bytes = field(default=b"", repr=False)

    def header(self) -> dict[str, Any]:
        values = asdict(self)
        values.pop("crop"), values.pop("frame")
        values.update(
            id=str(self.id), tenant_id=str(self.tenant_id), camera_id=str(self.camera_id),
            at=self.at.isoformat(), crop_len=len(self.crop), frame_len=len(self.frame),
        )  # fmt: skip
        return values

    def encode(self) -> bytes:
        return json.dumps(self.header()).encode() + b"\n" + self.crop + self.frame

    @classmethod
    def decode(cls, blob: bytes) -> PendingRead:
        line, _, rest = blob.partition(b"\n")
        h = json.loads(line)
        crop_len, frame_len = h.pop("crop_len"), h.pop("frame_len")
        if len(rest) != crop_len + frame_len:
            raise ValueError("truncated queue entry")
        return cls(
            **{**h, "id": uuid.UUID(h["id"]), "tenant_id": uuid.UUID(h["tenant_id"]),
               "camera_id": uuid.UUID(h["camera_id"]), "at": datetime.fromisoformat(h["at"])},
            crop=rest[:crop_len], frame=rest[crop_len:],
        )  # fmt: skip


class Spool:
    """A directory of pending reads; one writer drains it, any number of workers append."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        directory.chmod(0o700)  # frames of people's cars: owner-only
        for stale in directory.glob(".*.tmp"):  # a crash between write and rename
            stale.unlink(missing_ok=True)
        self._seq = max((self._seq_of(p) for p in self._files()), default=0)
        self._changed = asyncio.Event()
        self.corrupt = 0

    @staticmethod
    def _seq_of(path: Path) -> int:
        return int(path.name.split("-", 1)[0])

    def _files(self) -> list[Path]:
        return sorted(self.directory.glob(f"*{_SUFFIX}"), key=self._seq_of)

    def __len__(self) -> int:
        return len(self._files())

    async def append(self, read: PendingRead) -> Path:
        self._seq += 1
        path = self.directory / f"{self._seq:016d}-{read.id}{_SUFFIX}"
        await asyncio.to_thread(self._write, path, read.encode())
        self._changed.set()
        return path

    def _write(self, path: Path, data: bytes) -> None:
        tmp = path.with_name(f".{path.name}.tmp")
        with tmp.open("wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        tmp.replace(path)
        fd = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(fd)  # the rename itself survives a power cut
        finally:
            os.close(fd)

    async def oldest(self) -> tuple[Path, PendingRead] | None:
        """The oldest readable entry; an unreadable one is set aside (``.bad``), not retried."""
        for path in self._files():
            try:
                blob = await asyncio.to_thread(path.read_bytes)
                return path, PendingRead.decode(blob)
            except FileNotFoundError:
                continue  # stored meanwhile by another process sharing the queue (run --workers)
            except (ValueError, KeyError, TypeError) as exc:
                self.corrupt += 1
                log.error("unreadable LPR queue entry %s set aside: %s", path.name, exc)
                self.set_aside(path)
        return None

    def set_aside(self, path: Path) -> Path:
        """Out of the queue, kept on disk (``.bad``) for someone to look at."""
        target = path.with_suffix(".bad")
        path.replace(target)
        return target

    def done(self, path: Path) -> None:
        path.unlink(missing_ok=True)  # another process may have stored (and removed) it too

    async def next(self, poll_s: float = 1.0) -> tuple[Path, PendingRead]:
        """Wait for the oldest entry (woken by ``append``; the poll covers other processes)."""
        while True:
            self._changed.clear()
            entry = await self.oldest()
            if entry is not None:
                return entry
            await woken_or_after(self._changed, poll_s)
