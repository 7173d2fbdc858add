"""Camera status from MediaMTX's view of each camera's always-on path.

The sub stream (or the main one, for a camera with no sub) is pulled all the time, precisely so
that its state tells the truth: not online → ``offline``; online but no new bytes since the
last look → ``degraded`` (a frozen encoder, a stalled link); online and flowing → ``online``.
Changes are written to the camera and published as ``camera.status`` events.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime

from gtvision.contract import CameraStatus
from gtvision.services.events.bus import publish
from gtvision.services.media.mediamtx import PathState
from gtvision.services.media.paths import PathName, health_variant
from gtvision.services.store import queries
from gtvision.services.store.db import Database
from gtvision.services.store.tenancy import Scope


def assess(state: PathState | None, previous_bytes: int | None) -> CameraStatus:
    if state is None or not state.is_online:
        return CameraStatus.OFFLINE
    if previous_bytes is not None and state.received <= previous_bytes:
        return CameraStatus.DEGRADED
    return CameraStatus.ONLINE


class StreamHealth:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._bytes: dict[str, int] = {}
        self.counts: dict[str, int] = {}  # enabled cameras by status, for /metrics

    async def update(self, states: Mapping[str, PathState]) -> list[tuple[uuid.UUID, CameraStatus]]:
        """Apply one look at MediaMTX; returns the cameras whose status changed."""
        changed: list[tuple[uuid.UUID, CameraStatus]] = []
        counts: dict[str, int] = dict.fromkeys((s.value for s in CameraStatus), 0)
        now = datetime.now(UTC)
        async with self.db.session(Scope.all_tenants()) as session:
            cameras = await queries.enabled_cameras(session)
            for camera in cameras:
                variant = health_variant(camera.main_profile, camera.sub_profile)
                if variant is None:
                    continue
                name = str(PathName(camera.tenant_id, camera.id, variant))
                state = states.get(name)
                status = assess(state, self._bytes.get(name))
                counts[status.value] += 1
                if state is not None:
                    self._bytes[name] = state.received
                if status.value == camera.status:
                    continue
                previous = camera.status
                camera.status, camera.status_changed_at = status.value, now
                changed.append((camera.id, status))
                await publish(
                    session,
                    camera.tenant_id,
                    "camera.status",
                    {"status": status.value, "previous": previous, "name": camera.name},
                    camera_id=camera.id,
                )
        self.counts = counts
        return changed
