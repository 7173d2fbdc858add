"""Tenants, users, zones, cameras and audit entries as the API shows and accepts them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    AnyUrl,
    BaseModel,
    Field,
    SecretStr,
    UrlConstraints,
    field_validator,
)

from gtvision.contract._common import Request, Role

Slug = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$", examples=["campinas"])]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Username = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.@-]{3,64}$")]
Password = Annotated[SecretStr, Field(min_length=10, max_length=256)]
Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
Text = Annotated[str, Field(max_length=4000)]
Label = Annotated[str, Field(max_length=200)]
RetentionDays = Annotated[
    int, Field(ge=1, le=3650, description="Days plate reads (or their crops) are kept (LGPD).")
]
LprFps = Annotated[float, Field(gt=0, le=30, description="Frames per second read for plates.")]
Roi = Annotated[
    list[Annotated[float, Field(ge=0, le=1)]],
    Field(
        min_length=4,
        max_length=4,
        description="Region of interest for LPR: x, y, width, height as fractions of the frame.",
    ),
]
RecordingMode = Literal["off", "continuous", "events"]
RecordingMargin = Annotated[
    int, Field(ge=0, le=600, description="Seconds kept before (pre) or after (post) an event.")
]
RecordingDays = Annotated[
    int, Field(ge=1, le=3650, description="Days recordings are kept, evidence locks excepted.")
]
URL_MAX = 2048  # the columns' size


def _fits(url: AnyUrl) -> AnyUrl:
    # The length limit applies to what is typed; normalising (a "/" added, a name in punycode)
    # can make it longer than the column that stores it.
    if len(str(url)) > URL_MAX:
        raise ValueError(f"URL longer than {URL_MAX} characters once normalised")
    return url


HttpUrl = Annotated[
    AnyUrl,
    UrlConstraints(max_length=URL_MAX, allowed_schemes=["http", "https"]),
    AfterValidator(_fits),
]
StreamUrl = Annotated[
    AnyUrl,
    UrlConstraints(max_length=URL_MAX, allowed_schemes=["rtsp", "rtsps", "http", "https"]),
    AfterValidator(_fits),
]


class Stored(BaseModel):
    id: uuid.UUID
    created_at: datetime
    updated_at: datetime
    version: int = Field(description="Increases on every change; the ETag is built from it.")


def omittable() -> Any:
    """A PATCH field that may be left out but not set to null.

    Pydantic never validates the default, so leaving it out works, while an explicit null
    fails validation with a 422 and the schema says the field is not nullable.
    """
    return Field(None)


# Tenants -------------------------------------------------------------------------------------


class TenantFields(BaseModel):
    name: Name
    city: Label | None = None
    state: str | None = Field(None, pattern=r"^[A-Z]{2}$", description="UF, e.g. SP.")
    ibge_code: str | None = Field(
        None, pattern=r"^[0-9]{7}$", description="IBGE municipality code."
    )


class TenantCreate(TenantFields, Request):
    slug: Slug


class TenantUpdate(Request):
    name: Name = omittable()
    city: Label | None = None
    state: str | None = Field(None, pattern=r"^[A-Z]{2}$")
    ibge_code: str | None = Field(None, pattern=r"^[0-9]{7}$")
    active: bool = omittable()
    detection_retention_days: RetentionDays = omittable()
    crop_retention_days: RetentionDays = omittable()
    recording_retention_days: RecordingDays = omittable()


class Tenant(TenantFields, Stored):
    slug: str
    active: bool
    detection_retention_days: int
    crop_retention_days: int
    recording_retention_days: int


# Users ---------------------------------------------------------------------------------------


class UserCreate(Request):
    username: Username
    password: Password
    role: Role
    full_name: Label = ""
    email: str | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    tenant_id: uuid.UUID | None = Field(
        None, description="Only a superadmin sets it; others create users in their own tenant."
    )


class UserUpdate(Request):
    password: Password = omittable()
    current_password: SecretStr | None = Field(
        None,
        max_length=256,
        description="Your current password: required to change your own password (a stolen "
        "session must not be able to take the account over).",
    )
    role: Role = omittable()
    full_name: Label = omittable()
    email: str | None = Field(None, max_length=254, pattern=r"^[^@\s]+@[^@\s]+$")
    active: bool = omittable()


class User(Stored):
    tenant_id: uuid.UUID | None
    username: str
    role: Role
    full_name: str
    email: str | None
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None


# Zones ---------------------------------------------------------------------------------------


class ZoneFields(BaseModel):
    name: Name
    description: Text = ""
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class ZoneCreate(ZoneFields, Request):
    pass


class ZoneUpdate(Request):
    name: Name = omittable()
    description: Text = omittable()
    latitude: Latitude | None = None
    longitude: Longitude | None = None


class Zone(ZoneFields, Stored):
    tenant_id: uuid.UUID


# Cameras -------------------------------------------------------------------------------------


class CameraStatus(StrEnum):
    UNKNOWN = "unknown"
    ONLINE = "online"
    OFFLINE = "offline"
    DEGRADED = "degraded"
    UNAUTHORIZED = "unauthorized"


class _ProfileFields(BaseModel):
    token: Label | None = Field(None, description="ONVIF profile token.")
    codec: str | None = Field(None, max_length=16, examples=["H264"])
    width: int | None = Field(None, ge=1, le=16384)
    height: int | None = Field(None, ge=1, le=16384)
    fps: float | None = Field(None, gt=0, le=1000)
    bitrate_kbps: int | None = Field(None, ge=1, le=1_000_000)


class StreamProfile(_ProfileFields, Request):
    """One ONVIF media profile: the main (full resolution) or sub (wall tiles) stream."""

    stream_uri: StreamUrl


class StreamProfileInfo(_ProfileFields):
    """A stored profile as the API returns it (validated on the way in, not again)."""

    stream_uri: str


class CameraFields(BaseModel):
    name: Name
    zone_id: uuid.UUID | None = None
    description: Text = ""
    manufacturer: Label | None = None
    model: Label | None = None
    firmware: Label | None = None
    serial_number: Label | None = None
    ptz_capable: bool = False
    username: Label | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    enabled: bool = True
    lpr_enabled: bool = Field(False, description="Read licence plates on this camera.")
    lpr_fps: LprFps = 5.0
    lpr_stream: Literal["main", "sub"] = "main"
    lpr_roi: Roi | None = None
    recording_mode: RecordingMode = Field(
        "off",
        description="Archive the main stream all the time, or only around plate reads and "
        "alarms (`recording_pre_s` before, `recording_post_s` after).",
    )
    recording_pre_s: RecordingMargin = 10
    recording_post_s: RecordingMargin = 20
    recording_retention_days: RecordingDays | None = Field(
        None, description="Overrides the tenant's `recording_retention_days` for this camera."
    )


class CameraCreate(CameraFields, Request):
    onvif_url: HttpUrl | None = None
    snapshot_uri: HttpUrl | None = None
    main_profile: StreamProfile | None = None
    sub_profile: StreamProfile | None = None
    password: SecretStr | None = Field(
        None, max_length=256, description="Write-only; stored encrypted, never returned."
    )


class CameraUpdate(Request):
    name: Name = omittable()
    zone_id: uuid.UUID | None = None
    description: Text = omittable()
    onvif_url: HttpUrl | None = None
    manufacturer: Label | None = None
    model: Label | None = None
    firmware: Label | None = None
    serial_number: Label | None = None
    main_profile: StreamProfile | None = None
    sub_profile: StreamProfile | None = None
    snapshot_uri: HttpUrl | None = None
    ptz_capable: bool = omittable()
    username: Label | None = None
    password: SecretStr | None = Field(None, max_length=256)
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    enabled: bool = omittable()
    lpr_enabled: bool = omittable()
    lpr_fps: LprFps = omittable()
    lpr_stream: Literal["main", "sub"] = omittable()
    lpr_roi: Roi | None = None
    recording_mode: RecordingMode = omittable()
    recording_pre_s: RecordingMargin = omittable()
    recording_post_s: RecordingMargin = omittable()
    recording_retention_days: RecordingDays | None = None


class CameraFromOnvif(Request):
    """Add a camera by its ONVIF address: the service asks the camera for everything else."""

    address: str = Field(
        min_length=1,
        max_length=255,
        pattern=r"^[A-Za-z0-9._:\[\]/-]+$",
        examples=["198.18.0.2:8080", "http://cam-12.local/onvif/device_service"],
        description="host, host:port or the device-service URL",
    )
    username: Label | None = None
    password: SecretStr | None = Field(None, max_length=256)
    name: Name | None = Field(None, description="Defaults to maker, model and address.")
    zone_id: uuid.UUID | None = None

    @field_validator("address")
    @classmethod
    def _an_address(cls, value: str) -> str:
        try:
            parts = urlsplit(value if "://" in value else f"http://{value}")
            port = parts.port  # raises for a port that is no number or out of range
        except ValueError as exc:
            raise ValueError(f"not host, host:port or a URL ({exc})") from None
        if not parts.hostname or parts.scheme not in ("http", "https") or port == 0:
            raise ValueError("not host, host:port or an http(s) URL")
        return value


class DiscoveryRequest(Request):
    """Where to look. Leave ``interfaces`` empty to multicast on every interface."""

    interfaces: list[Annotated[str, Field(max_length=64)]] = Field(
        default_factory=list, max_length=32, description="Interface names or IPv4 addresses."
    )
    subnets: list[Annotated[str, Field(max_length=43)]] = Field(
        default_factory=list,
        max_length=16,
        description="Hosts or CIDR ranges to probe by unicast, where multicast is blocked.",
    )
    multicast: bool = True
    mdns: bool = Field(True, description="Also browse _rtsp._tcp / _onvif._tcp announcements.")
    timeout_s: float = Field(2.0, ge=0.2, le=10)


class DiscoveredCamera(BaseModel):
    source: Literal["ws-discovery", "mdns"]
    endpoint: str = Field(description="WS-Discovery endpoint reference, or the mDNS name.")
    addresses: list[str]
    xaddrs: list[str] = Field(description="ONVIF device-service URLs.")
    name: str | None
    hardware: str | None = None
    location: str | None = None
    camera_id: uuid.UUID | None = Field(
        None, description="The tenant's camera already at one of these addresses, if any."
    )


class Camera(CameraFields, Stored):
    tenant_id: uuid.UUID
    onvif_url: str | None
    snapshot_uri: str | None
    main_profile: StreamProfileInfo | None
    sub_profile: StreamProfileInfo | None
    has_password: bool
    status: CameraStatus
    status_changed_at: datetime | None


# Audit ---------------------------------------------------------------------------------------


class AuditEntry(BaseModel):
    id: uuid.UUID
    at: datetime
    tenant_id: uuid.UUID | None
    user_id: uuid.UUID | None
    username: str | None
    action: str
    target_type: str | None
    target_id: str | None
    source_ip: str | None
    outcome: str
    detail: dict[str, object]
