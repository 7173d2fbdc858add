"""The one boundary to the ONVIF client library; everything above sees only :mod:`.models`.

We use ``onvif-zeep-async`` (maintained, asyncio-native, used by Home Assistant, ships the
WSDLs). The ``onvif-zeep`` named in the original design has had no release since 2018 and is
synchronous. Its ``adjust_time`` mode reads the camera's clock first and signs the
WS-UsernameToken with the camera's time, so a camera with a wrong clock still authenticates.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

import aiohttp
import httpx
from zeep.exceptions import Fault, TransportError, XMLParseError, XMLSyntaxError

from gtvision.onvif.errors import (
    CameraUnreachableError,
    ClockSkewError,
    NotOnvifError,
    NotSupportedError,
    OnvifError,
    WrongCredentialsError,
)
from gtvision.onvif.events import CameraEvent, parse_notification
from gtvision.onvif.models import (
    CameraDescription,
    DeviceInfo,
    MediaProfile,
    PtzCapabilities,
    PtzPosition,
    PtzPreset,
)


@contextlib.contextmanager
def _root_logger_kept() -> Iterator[None]:
    """``logging.basicConfig`` does nothing where the root logger has a handler: one stands in
    while the client library loads."""
    root = logging.getLogger()
    placeholder = logging.NullHandler()
    root.addHandler(placeholder)
    try:
        yield
    finally:
        root.removeHandler(placeholder)


# onvif-zeep-async calls logging.basicConfig(level=INFO) when imported: every process loading
# this module printed alembic's and the embedded PostgreSQL's INFO lines to stderr (the CLI's
# `create-tenant` wrote 20 around its one line of JSON). The service and the console set up
# their own logging; a command line shows warnings only.
with _root_logger_kept():
    from onvif import ONVIFCamera
    from onvif.exceptions import ONVIFAuthError, ONVIFError, ONVIFTimeoutError

log = logging.getLogger(__name__)

_SKEW_LIMIT_S = 300
_EVENTS_NAMESPACE = "http://www.onvif.org/ver10/events/wsdl"
_AUTH_WORDS = ("not authorized", "notauthorized", "unauthorized", "authority failure", "sender not")


def parse_address(address: str) -> tuple[str, int]:
    """``host``, ``host:port`` or a device-service URL → (host, port)."""
    try:
        parts = urlsplit(address if "://" in address else f"http://{address}")
        host, port = parts.hostname, parts.port  # .port raises for a port that is no number
    except ValueError as exc:
        raise ValueError(f"not a camera address: {address!r} ({exc})") from None
    if not host or parts.scheme not in ("http", "https"):
        raise ValueError(f"not a camera address: {address!r}")
    return host, port or 80


class OnvifDevice:
    """``async with OnvifDevice("198.18.0.2:8080", "admin", "…") as cam: await cam.describe()``."""

    def __init__(
        self, address: str, username: str | None, password: str | None, *, timeout_s: float = 10.0
    ) -> None:
        self.host, self.port = parse_address(address)
        self.address = f"{self.host}:{self.port}"
        self.timeout_s = timeout_s
        self._camera = ONVIFCamera(self.host, self.port, username, password, adjust_time=True)

    async def __aenter__(self) -> OnvifDevice:
        try:
            await self._call(self._camera.update_xaddrs())
        except BaseException:
            await self._camera.close()
            raise
        return self

    async def __aexit__(
        self,
        _type: type[BaseException] | None,
        _value: BaseException | None,
        _tb: TracebackType | None,
    ) -> None:
        await self._camera.close()

    @property
    def clock_offset_s(self) -> float:
        offset = self._camera.dt_diff
        return offset.total_seconds() if offset is not None else 0.0

    async def _call(self, awaitable: Any) -> Any:
        try:
            async with asyncio.timeout(self.timeout_s):
                return await awaitable
        except OnvifError:
            raise
        except Exception as exc:
            raise self._translate(exc) from exc

    def _translate(self, exc: BaseException) -> OnvifError:
        text = str(exc).lower()
        if isinstance(exc, ONVIFAuthError | Fault) and any(w in text for w in _AUTH_WORDS):
            if abs(self.clock_offset_s) > _SKEW_LIMIT_S:
                return ClockSkewError(
                    self.address,
                    f"refused; the camera's clock is {self.clock_offset_s:+.0f} s off (already "
                    "allowed for): set its NTP server, then check the user name and password",
                )
            return WrongCredentialsError(
                self.address, "the camera refused the user name or password"
            )
        if isinstance(
            exc,
            TimeoutError
            | ONVIFTimeoutError
            | aiohttp.ClientConnectionError
            | OSError
            | httpx.ConnectError,
        ):
            return CameraUnreachableError(self.address, f"no answer ({type(exc).__name__})")
        if isinstance(exc, ValueError) and "address" in text:
            return CameraUnreachableError(self.address, f"not a usable address ({exc})")
        if isinstance(exc, ONVIFError) and any(
            w in text for w in ("connect", "timeout", "refused")
        ):
            return CameraUnreachableError(self.address, str(exc))
        if isinstance(
            exc, XMLParseError | XMLSyntaxError | TransportError | ONVIFError | Fault | ValueError
        ):
            return NotOnvifError(self.address, f"does not speak ONVIF ({exc})")
        return OnvifError(self.address, f"{type(exc).__name__}: {exc}")

    # Description ----------------------------------------------------------------------------

    async def device_info(self) -> DeviceInfo:
        service = await self._call(self._camera.create_devicemgmt_service())
        info = await self._call(service.GetDeviceInformation())
        return DeviceInfo(
            manufacturer=str(info.Manufacturer or ""),
            model=str(info.Model or ""),
            firmware=str(info.FirmwareVersion or ""),
            serial_number=str(info.SerialNumber or ""),
            hardware_id=str(getattr(info, "HardwareId", "") or ""),
        )

    async def profiles(self) -> tuple[MediaProfile, ...]:
        media = await self._call(self._camera.create_media_service())
        result = []
        for profile in await self._call(media.GetProfiles()) or []:
            stream = await self._call(
                media.GetStreamUri(
                    {
                        "StreamSetup": {"Stream": "RTP-Unicast", "Transport": {"Protocol": "RTSP"}},
                        "ProfileToken": profile.token,
                    }
                )
            )
            try:
                snapshot = (
                    await self._call(media.GetSnapshotUri({"ProfileToken": profile.token}))
                ).Uri
            except OnvifError:
                snapshot = None  # optional in Profile S
            encoder = getattr(profile, "VideoEncoderConfiguration", None)
            resolution = getattr(encoder, "Resolution", None)
            rate = getattr(encoder, "RateControl", None)
            result.append(
                MediaProfile(
                    token=str(profile.token),
                    name=str(getattr(profile, "Name", "") or profile.token),
                    stream_uri=str(stream.Uri) if stream and stream.Uri else None,
                    snapshot_uri=str(snapshot) if snapshot else None,
                    codec=str(encoder.Encoding) if encoder is not None else None,
                    width=int(resolution.Width) if resolution is not None else None,
                    height=int(resolution.Height) if resolution is not None else None,
                    fps=float(rate.FrameRateLimit)
                    if rate is not None and rate.FrameRateLimit
                    else None,
                    bitrate_kbps=int(rate.BitrateLimit)
                    if rate is not None and rate.BitrateLimit
                    else None,
                )
            )
        return tuple(result)

    async def ptz_capabilities(self) -> PtzCapabilities:
        """Probe PTZ; any failure means "not supported", never an error."""
        try:
            ptz = await self._call(self._camera.create_ptz_service())
            nodes = await self._call(ptz.GetNodes()) or []
        except OnvifError as exc:
            log.debug("%s: no PTZ (%s)", self.address, exc)
            return PtzCapabilities()
        if not nodes:
            return PtzCapabilities()
        spaces = getattr(nodes[0], "SupportedPTZSpaces", None)

        def has(name: str) -> bool:
            return bool(spaces is not None and getattr(spaces, name, None))

        return PtzCapabilities(
            supported=True,
            continuous=has("ContinuousPanTiltVelocitySpace"),
            relative=has("RelativePanTiltTranslationSpace"),
            absolute=has("AbsolutePanTiltPositionSpace"),
            presets=int(getattr(nodes[0], "MaximumNumberOfPresets", 0) or 0) > 0,
            home=bool(getattr(nodes[0], "HomeSupported", False)),
        )

    async def ptz(self, profile_token: str | None = None) -> PtzControl:
        """PTZ control of a profile (default: the first one); NotSupportedError without PTZ."""
        if not (await self.ptz_capabilities()).supported:
            raise NotSupportedError(self.address, "the camera has no PTZ")
        service = await self._call(self._camera.create_ptz_service())
        if profile_token is None:
            profiles = await self.profiles()
            if not profiles:
                raise NotSupportedError(self.address, "the camera has no media profile")
            profile_token = profiles[0].token
        return PtzControl(self, service, profile_token)

    @property
    def supports_events(self) -> bool:
        """Whether the camera offers an event service (GetServices or GetCapabilities said so)."""
        return bool(self._camera.xaddrs.get(_EVENTS_NAMESPACE))

    def events(self, *, lifetime_s: float = 60.0, pull_s: float = 5.0) -> EventSubscription:
        """Motion, tamper and the camera's other events through a pull point:
        ``async with device.events() as events: async for event in events: …``."""
        if not self.supports_events:
            raise NotSupportedError(self.address, "the camera offers no ONVIF events")
        return EventSubscription(self, lifetime_s=lifetime_s, pull_s=pull_s)

    async def describe(self) -> CameraDescription:
        device = await self.device_info()
        profiles = await self.profiles()
        return CameraDescription(
            address=self.address,
            device=device,
            profiles=profiles,
            ptz=await self.ptz_capabilities(),
            clock_offset_s=self.clock_offset_s,
            events=self.supports_events,
        )


class EventSubscription:
    """A pull-point subscription, renewed before it lapses by the ONVIF library.

    Iterating pulls for ever (long polls of ``pull_s``). When the camera forgets the
    subscription (a reboot, a lapse while unreachable) it is made again, with backoff, and the
    first reply carries every property's current state again (``Initialized``), so a consumer
    never keeps a stale "motion on". Wrong credentials end the iteration: retrying cannot help.
    """

    def __init__(self, device: OnvifDevice, *, lifetime_s: float, pull_s: float) -> None:
        self._device = device
        self._lifetime = timedelta(seconds=lifetime_s)
        self._pull = timedelta(seconds=pull_s)
        self._manager: Any = None
        self.resubscriptions = 0

    async def __aenter__(self) -> EventSubscription:
        await self._subscribe()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    async def _subscribe(self) -> None:
        camera = self._device._camera
        try:
            self._manager = await self._device._call(
                camera.create_pullpoint_manager(self._lifetime, lambda: None)
            )
        except NotOnvifError as exc:
            raise NotSupportedError(self._device.address, f"events: {exc.detail}") from exc

    async def close(self) -> None:
        manager, self._manager = self._manager, None
        if manager is not None:
            try:
                async with asyncio.timeout(self._device.timeout_s):
                    await manager.shutdown()
            except Exception as exc:  # the camera may be gone; the subscription then lapses
                log.debug("%s: unsubscribe: %s", self._device.address, exc)

    async def pull(self, limit: int = 100) -> list[CameraEvent]:
        """One long poll: what happened since the last one (waits up to ``pull_s``)."""
        if self._manager is None:
            await self._subscribe()
        service = self._manager.get_service()
        reply = await self._device._call(
            service.PullMessages({"MessageLimit": limit, "Timeout": self._pull})
        )
        received = datetime.now(UTC)
        messages = getattr(reply, "NotificationMessage", None) or []
        return [
            event
            for message in messages
            if (event := parse_notification(self._device.address, message, received)) is not None
        ]

    async def __aiter__(self) -> AsyncIterator[CameraEvent]:
        delay = 1.0
        while True:
            try:
                events = await self.pull()
            except (WrongCredentialsError, ClockSkewError):
                raise
            except OnvifError as exc:
                log.warning("%s: events lost (%s); subscribing again", self._device.address, exc)
                await self.close()
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                try:
                    await self._subscribe()
                    self.resubscriptions += 1
                except OnvifError as again:
                    log.warning("%s: %s", self._device.address, again)
                continue
            delay = 1.0
            for event in events:
                yield event


class PtzControl:
    """PTZ of one media profile. Obtained from :meth:`OnvifDevice.ptz`."""

    def __init__(self, device: OnvifDevice, service: Any, profile_token: str) -> None:
        self._device = device
        self._service = service
        self.profile_token = profile_token

    async def _do(self, operation: str, **params: Any) -> Any:
        request = {"ProfileToken": self.profile_token, **params}
        try:
            return await self._device._call(getattr(self._service, operation)(request))
        except NotOnvifError as exc:
            raise NotSupportedError(self._device.address, f"PTZ {operation}: {exc.detail}") from exc

    async def continuous(self, pan: float, tilt: float, zoom: float = 0.0) -> None:
        await self._do(
            "ContinuousMove", Velocity={"PanTilt": {"x": pan, "y": tilt}, "Zoom": {"x": zoom}}
        )

    async def stop(self) -> None:
        await self._do("Stop", PanTilt=True, Zoom=True)

    async def relative(self, pan: float, tilt: float, zoom: float = 0.0) -> None:
        await self._do(
            "RelativeMove", Translation={"PanTilt": {"x": pan, "y": tilt}, "Zoom": {"x": zoom}}
        )

    async def absolute(self, pan: float, tilt: float, zoom: float = 0.0) -> None:
        await self._do(
            "AbsoluteMove", Position={"PanTilt": {"x": pan, "y": tilt}, "Zoom": {"x": zoom}}
        )

    async def home(self) -> None:
        await self._do("GotoHomePosition")

    async def status(self) -> PtzPosition:
        status = await self._do("GetStatus")
        position = getattr(status, "Position", None)
        pan_tilt = getattr(position, "PanTilt", None)
        zoom = getattr(position, "Zoom", None)
        move = getattr(status, "MoveStatus", None)
        moving = any(
            str(getattr(move, axis, "IDLE")).upper() == "MOVING" for axis in ("PanTilt", "Zoom")
        )
        return PtzPosition(
            pan=float(getattr(pan_tilt, "x", 0.0) or 0.0),
            tilt=float(getattr(pan_tilt, "y", 0.0) or 0.0),
            zoom=float(getattr(zoom, "x", 0.0) or 0.0),
            moving=moving,
        )

    async def presets(self) -> list[PtzPreset]:
        found = await self._do("GetPresets") or []
        return [PtzPreset(str(p.token), str(getattr(p, "Name", "") or p.token)) for p in found]

    async def set_preset(self, name: str, token: str | None = None) -> str:
        params: dict[str, Any] = {"PresetName": name}
        if token:
            params["PresetToken"] = token
        return str(await self._do("SetPreset", **params))

    async def goto_preset(self, token: str) -> None:
        await self._do("GotoPreset", PresetToken=token)

    async def remove_preset(self, token: str) -> None:
        await self._do("RemovePreset", PresetToken=token)

    async def perform(
        self,
        action: str,
        *,
        pan: float = 0.0,
        tilt: float = 0.0,
        zoom: float = 0.0,
        preset: str | None = None,
        name: str | None = None,
    ) -> str | None:
        """One command by name, as a UI or an API sends it; returns a new preset's token."""
        match action:
            case "continuous":
                await self.continuous(pan, tilt, zoom)
            case "stop":
                await self.stop()
            case "relative":
                await self.relative(pan, tilt, zoom)
            case "absolute":
                await self.absolute(pan, tilt, max(zoom, 0.0))
            case "home":
                await self.home()
            case "goto_preset" if preset:
                await self.goto_preset(preset)
            case "set_preset" if name:
                return await self.set_preset(name, preset)
            case "remove_preset" if preset:
                await self.remove_preset(preset)
            case _:
                raise ValueError(f"PTZ {action!r}: unknown, or missing its preset or name")
        return None


async def describe(address: str, username: str | None, password: str | None) -> CameraDescription:
    async with OnvifDevice(address, username, password) as device:
        return await device.describe()
