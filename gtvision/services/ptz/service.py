"""Drive a camera's PTZ for an operator: tenant-scoped, audited, with a safety stop.

Camera passwords never leave the service: the console names a camera, the service holds its
ONVIF session (one per camera, kept between commands: :mod:`.sessions`). A ``continuous``
move is followed by a stop after ``duration_s`` unless a newer command for that camera came
first, so a lost "stop" (a closed laptop, a dropped network) cannot leave a camera turning.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

from gtvision.contract import PtzCommand, PtzPreset, PtzResult, Role
from gtvision.onvif.device import PtzControl
from gtvision.onvif.errors import OnvifError
from gtvision.services.audit.service import AuditEvent, record
from gtvision.services.context import Caller
from gtvision.services.errors import InvalidInputError
from gtvision.services.ptz.sessions import PtzTarget
from gtvision.services.store.models import Camera
from gtvision.services.store.rows import get_or_404

log = logging.getLogger(__name__)
T = TypeVar("T")

_safety_stops: dict[uuid.UUID, asyncio.Task[None]] = {}


async def _camera(caller: Caller, camera_id: uuid.UUID) -> Camera:
    async with caller.read_session() as session:
        return await get_or_404(session, Camera, camera_id)  # 404 before any 403: no probing


def _target(caller: Caller, camera: Camera) -> PtzTarget:
    if not camera.ptz_capable or not camera.onvif_url:
        raise InvalidInputError(f"camera {camera.name!r} has no PTZ (or no ONVIF address)")
    password = (
        caller.runtime.keys.decrypt(camera.password_encrypted)
        if camera.password_encrypted is not None
        else None
    )
    token = camera.main_profile.get("token") if camera.main_profile else None
    return PtzTarget(camera.onvif_url, camera.username, password, token)


async def _on_ptz(
    caller: Caller, camera: Camera, operation: Callable[[PtzControl], Awaitable[T]]
) -> T:
    """``operation`` through the camera's kept ONVIF session (see :mod:`.sessions`)."""
    return await caller.runtime.ptz.run(camera.id, _target(caller, camera), operation)


async def command(caller: Caller, camera_id: uuid.UUID, order: PtzCommand) -> PtzResult:
    camera = await _camera(caller, camera_id)
    caller.require(Role.OPERATOR)
    previous = _safety_stops.pop(camera_id, None)
    if previous is not None:
        previous.cancel()
    token = await _on_ptz(caller, camera, lambda ptz: ptz.perform(
        order.action, pan=order.pan, tilt=order.tilt, zoom=order.zoom, preset=order.preset,
        name=order.name,
    ))  # fmt: skip
    if order.action == "continuous":
        _safety_stops[camera_id] = asyncio.create_task(
            _stop_later(caller, camera, order.duration_s)
        )
    if order.action != "stop":  # moves are audited; the stops that end them add nothing
        async with caller.session() as session:
            detail = order.model_dump(exclude_none=True, exclude={"action"})
            event = AuditEvent(
                f"ptz.{order.action}", target_type="camera", target_id=camera_id, detail=detail
            )
            record(session, caller, event)
    return PtzResult(preset=token)


async def presets(caller: Caller, camera_id: uuid.UUID) -> list[PtzPreset]:
    found = await _on_ptz(caller, await _camera(caller, camera_id), PtzControl.presets)
    return [PtzPreset(token=p.token, name=p.name) for p in found]


async def _stop_later(caller: Caller, camera: Camera, delay_s: float) -> None:
    await asyncio.sleep(delay_s)
    if _safety_stops.get(camera.id) is asyncio.current_task():
        del _safety_stops[camera.id]
    try:
        await _on_ptz(caller, camera, PtzControl.stop)
    except OnvifError as exc:
        log.warning("safety stop of camera %s failed: %s", camera.id, exc)
