"""``camera.status`` from the LPR worker's side: can it read the camera, and if not, why.

Only changes are published. Where no MediaMTX watches the cameras (direct mode) the worker is
the one that knows, so it also writes the camera's status; with MediaMTX the reconciler owns
the status column and the worker's events carry ``"source": "lpr"`` alongside.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError, InterfaceError

from gtvision.services.events.bus import publish
from gtvision.services.store.db import Database
from gtvision.services.store.models import Camera
from gtvision.services.store.tenancy import Scope

if TYPE_CHECKING:
    from gtvision.services.lpr.worker import LprCamera

log = logging.getLogger(__name__)


class StatusReporter:
    def __init__(self, db: Database, *, owns_status: bool) -> None:
        self.db = db
        self.owns_status = owns_status
        self._last: dict[uuid.UUID, tuple[str, str | None]] = {}
        self._lock = asyncio.Lock()  # reports go out in the order they were made
        self._tasks: set[asyncio.Task[None]] = set()

    def report_soon(self, camera: LprCamera, status: str, reason: str | None) -> None:
        """Report without making the caller wait (the database may be slow or away)."""

        async def locked() -> None:
            async with self._lock:
                await self.report(camera, status, reason)

        task = asyncio.create_task(locked())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def report(self, camera: LprCamera, status: str, reason: str | None) -> None:
        if self._last.get(camera.camera_id) == (status, reason):
            return
        previous = self._last.get(camera.camera_id, ("unknown", None))[0]
        self._last[camera.camera_id] = (status, reason)
        log.info("LPR camera %s %s%s", camera.camera_id, status, f": {reason}" if reason else "")
        data = {"status": status, "previous": previous, "name": camera.name, "source": "lpr",
                "reason": reason}  # fmt: skip
        try:
            async with self.db.session(Scope.tenant(camera.tenant_id)) as session:
                if self.owns_status:
                    row = await session.get(Camera, camera.camera_id)
                    if row is not None and row.status != status:
                        row.status, row.status_changed_at = status, datetime.now(UTC)
                await publish(session, camera.tenant_id, "camera.status", data,
                              camera_id=camera.camera_id)  # fmt: skip
        except (DBAPIError, InterfaceError, OSError, TimeoutError) as exc:
            # A live signal: one lost while the database is away is not replayed.
            log.warning("camera.status not published (database: %s)", type(exc).__name__)

    def forget(self, camera_id: uuid.UUID) -> None:
        self._last.pop(camera_id, None)
