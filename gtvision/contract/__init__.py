"""The REST contract: pydantic models shared by the service, the console and API clients.

Request bodies reject unknown fields (``extra="forbid"``) so a typo is a 422, not a silently
ignored field; responses ignore unknown fields so an older client can read a newer service.
"""

from gtvision.contract._auth import Me, RefreshRequest, TokenPair
from gtvision.contract._common import API_PREFIX, Page, Problem, Role
from gtvision.contract._events import EventMessage
from gtvision.contract._lpr import (
    Alert,
    AlertAcknowledge,
    AlertStatus,
    Detection,
    ImportReport,
    PlateMatch,
    Watchlist,
    WatchlistCategory,
    WatchlistCreate,
    WatchlistEntry,
    WatchlistEntryCreate,
    WatchlistEntryUpdate,
    WatchlistUpdate,
)
from gtvision.contract._media import CameraStreams, MediaAuthRequest, StreamEndpoints
from gtvision.contract._ptz import PtzCommand, PtzPreset, PtzResult
from gtvision.contract._resources import (
    AuditEntry,
    Camera,
    CameraCreate,
    CameraFromOnvif,
    CameraStatus,
    CameraUpdate,
    DiscoveredCamera,
    DiscoveryRequest,
    StreamProfile,
    StreamProfileInfo,
    Tenant,
    TenantCreate,
    TenantUpdate,
    User,
    UserCreate,
    UserUpdate,
    Zone,
    ZoneCreate,
    ZoneUpdate,
)
from gtvision.contract._views import View, ViewCreate, ViewUpdate
from gtvision.contract._webhooks import Webhook, WebhookCreate, WebhookUpdate

__all__ = [
    "API_PREFIX",
    "Alert",
    "AlertAcknowledge",
    "AlertStatus",
    "AuditEntry",
    "Camera",
    "CameraCreate",
    "CameraFromOnvif",
    "CameraStatus",
    "CameraStreams",
    "CameraUpdate",
    "Detection",
    "DiscoveredCamera",
    "DiscoveryRequest",
    "EventMessage",
    "ImportReport",
    "Me",
    "MediaAuthRequest",
    "Page",
    "PlateMatch",
    "Problem",
    "PtzCommand",
    "PtzPreset",
    "PtzResult",
    "RefreshRequest",
    "Role",
    "StreamEndpoints",
    "StreamProfile",
    "StreamProfileInfo",
    "Tenant",
    "TenantCreate",
    "TenantUpdate",
    "TokenPair",
    "User",
    "UserCreate",
    "UserUpdate",
    "View",
    "ViewCreate",
    "ViewUpdate",
    "Watchlist",
    "WatchlistCategory",
    "WatchlistCreate",
    "WatchlistEntry",
    "WatchlistEntryCreate",
    "WatchlistEntryUpdate",
    "WatchlistUpdate",
    "Webhook",
    "WebhookCreate",
    "WebhookUpdate",
    "Zone",
    "ZoneCreate",
    "ZoneUpdate",
]
