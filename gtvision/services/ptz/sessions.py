"""One ONVIF session per PTZ camera, kept between commands.

Opening a session costs GetCapabilities/GetServices, GetProfiles and the PTZ service's WSDL:
hundreds of milliseconds on a real camera, paid on every step of a held arrow when each
command opened its own. Here a camera's session is opened on its first command and reused
until it has been idle for ``idle_s``, the camera's address or credentials change, or the
camera stops answering on it (then one fresh session is tried before the error is the
caller's). Commands to one camera go out one at a time, in order: a stop never overtakes
the move it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

from gtvision.onvif.device import OnvifDevice, PtzControl
from gtvision.onvif.errors import CameraUnreachableError, OnvifError

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class PtzTarget:
    """What a session is opened with; a change of any of it opens a new one."""

    address: str
    username: str | None
    password: str | None = field(repr=False)
    profile_token: str | None

    @property
    def key(self) -> Hashable:
        return (self.address, self.username, self.password, self.profile_token)


@dataclass(slots=True)
class _Session:
    key: Hashable
    device: OnvifDevice
    ptz: PtzControl
    used_at: float


class PtzSessions:
    def __init__(self, idle_s: float = 60.0) -> None:
        self.idle_s = idle_s
        self.opened = 0  # sessions opened, for tests and the curious
        self._sessions: dict[uuid.UUID, _Session] = {}
        self._locks: dict[uuid.UUID, asyncio.Lock] = {}

    async def run(
        self,
        camera_id: uuid.UUID,
        target: PtzTarget,
        operation: Callable[[PtzControl], Awaitable[T]],
    ) -> T:
        """``operation`` on the camera's PTZ; its session stays open for the next command."""
        await self._close_idle(keep=camera_id)
        async with self._locks.setdefault(camera_id, asyncio.Lock()):
            session = self._sessions.get(camera_id)
            if session is not None and session.key != target.key:
                await self._close(camera_id)
                session = None
            if session is not None:
                try:
                    return await self._use(camera_id, session, operation)
                except CameraUnreachableError:
                    # A kept connection the camera dropped (a reboot, a NAT timeout): one
                    # fresh session, once. A camera that is really gone fails again below.
                    log.info("PTZ session of camera %s went stale; opening another", camera_id)
                    await self._close(camera_id)
            session = await self._open(camera_id, target)
            try:
                return await self._use(camera_id, session, operation)
            except CameraUnreachableError:
                await self._close(camera_id)
                raise

    async def _use(
        self,
        camera_id: uuid.UUID,
        session: _Session,
        operation: Callable[[PtzControl], Awaitable[T]],
    ) -> T:
        try:
            return await operation(session.ptz)
        finally:
            session.used_at = time.monotonic()
            if self.idle_s <= 0:
                await self._close(camera_id)

    async def _open(self, camera_id: uuid.UUID, target: PtzTarget) -> _Session:
        device = OnvifDevice(target.address, target.username, target.password)
        await device.__aenter__()
        try:
            ptz = await device.ptz(target.profile_token)
        except BaseException:
            await device.__aexit__(None, None, None)
            raise
        self.opened += 1
        session = _Session(target.key, device, ptz, time.monotonic())
        self._sessions[camera_id] = session
        return session

    async def _close(self, camera_id: uuid.UUID) -> None:
        session = self._sessions.pop(camera_id, None)
        if session is not None:
            with contextlib.suppress(OnvifError, OSError):
                await session.device.__aexit__(None, None, None)

    async def _close_idle(self, keep: uuid.UUID) -> None:
        now = time.monotonic()
        for camera_id, session in list(self._sessions.items()):
            lock = self._locks.get(camera_id)
            idle = now - session.used_at > self.idle_s
            if camera_id != keep and idle and not (lock and lock.locked()):
                await self._close(camera_id)

    async def aclose(self) -> None:
        for camera_id in list(self._sessions):
            await self._close(camera_id)
