"""What we know of an ONVIF camera, in our own types (no zeep object leaves :mod:`.device`)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class DeviceInfo:
    manufacturer: str
    model: str
    firmware: str
    serial_number: str
    hardware_id: str = ""


@dataclass(frozen=True, slots=True)
class MediaProfile:
    token: str
    name: str
    stream_uri: str | None
    snapshot_uri: str | None = None
    codec: str | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    bitrate_kbps: int | None = None

    @property
    def pixels(self) -> int:
        return (self.width or 0) * (self.height or 0)


@dataclass(frozen=True, slots=True)
class PtzCapabilities:
    """Flags, never exceptions: a camera that cannot do something simply says no here."""

    supported: bool = False
    continuous: bool = False
    relative: bool = False
    absolute: bool = False
    presets: bool = False
    home: bool = False


@dataclass(frozen=True, slots=True)
class CameraDescription:
    """Everything needed to make a camera record out of one ONVIF address."""

    address: str
    device: DeviceInfo
    profiles: tuple[MediaProfile, ...]
    ptz: PtzCapabilities = field(default_factory=PtzCapabilities)
    clock_offset_s: float = 0.0
    events: bool = False

    @property
    def main(self) -> MediaProfile | None:
        """The largest picture: what a maximised tile and LPR want."""
        usable = [p for p in self.profiles if p.stream_uri]
        return max(usable, key=lambda p: p.pixels, default=None)

    @property
    def sub(self) -> MediaProfile | None:
        """The smallest picture, if it differs from the main one: for wall tiles."""
        usable = [p for p in self.profiles if p.stream_uri]
        smallest = min(usable, key=lambda p: p.pixels, default=None)
        main = self.main
        return smallest if smallest is not None and main is not None and smallest != main else None

    @property
    def snapshot_uri(self) -> str | None:
        return next((p.snapshot_uri for p in self.profiles if p.snapshot_uri), None)


@dataclass(frozen=True, slots=True)
class PtzPosition:
    """Pan and tilt in ONVIF's generic space (-1…1), zoom 0…1."""

    pan: float
    tilt: float
    zoom: float
    moving: bool = False


@dataclass(frozen=True, slots=True)
class PtzPreset:
    token: str
    name: str
