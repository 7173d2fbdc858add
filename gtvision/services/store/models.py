"""Tables, in the PostgreSQL schemas of the original design.

``admin``: tenants, users, roles, refresh tokens, audit log · ``cidades``: zones ·
``streaming``: cameras · ``ai``: plate reads, watch lists, alerts, LPR leases. Every
tenant-owned table derives from :class:`TenantOwned`, which is what :mod:`.tenancy` filters on.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from gtvision.services.store.ids import uuid7

SCHEMAS = ("admin", "cidades", "streaming", "ai")

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        uuid.UUID: UUID(as_uuid=True),
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSONB,
    }


class Versioned:
    """Rows the API updates: creation/update times and an optimistic-lock version (the ETag)."""

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now(), onupdate=func.now())
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        # eager_defaults: read updated_at back through RETURNING, not a lazy load later.
        return {"version_id_col": cls.version, "eager_defaults": True}


class TenantScoped:
    """Rows visible by tenant: every ORM query on them is filtered by :mod:`.tenancy`.

    ``tenant_key`` names the column that holds the tenant: ``tenant_id`` on owned rows, ``id``
    on the tenant itself. Users (superadmins) and audit entries may have no tenant at all; such
    rows are seen only from the all-tenants scope.
    """

    tenant_key: ClassVar[str] = "tenant_id"

    @classmethod
    def tenant_column(cls) -> Any:
        return getattr(cls, cls.tenant_key)


class TenantOwned(TenantScoped):
    """Rows that always belong to one tenant; new ones are stamped with the session's tenant."""

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(
            ForeignKey("admin.tenants.id", ondelete="CASCADE"), index=True, nullable=False
        )


class Role(Base):
    __tablename__ = "roles"
    __table_args__ = {"schema": "admin"}  # noqa: RUF012 - SQLAlchemy's declarative attribute

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False)


class Tenant(Versioned, TenantScoped, Base):
    """A prefeitura."""

    tenant_key: ClassVar[str] = "id"

    __tablename__ = "tenants"
    __table_args__ = (
        CheckConstraint("ibge_code ~ '^[0-9]{7}$'", name="ibge_code_digits"),
        {"schema": "admin"},
    )

    slug: Mapped[str] = mapped_column(String(63), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str | None] = mapped_column(String(2))
    ibge_code: Mapped[str | None] = mapped_column(String(7))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    detection_retention_days: Mapped[int] = mapped_column(Integer, default=90, server_default="90")
    crop_retention_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    recording_retention_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")


class User(Versioned, TenantScoped, Base):
    """A person who signs in. ``tenant_id`` is null only for superadmins."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(role = 'superadmin') = (tenant_id IS NULL)", name="superadmin_has_no_tenant"
        ),
        {"schema": "admin"},
    )

    tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("admin.tenants.id", ondelete="CASCADE"), index=True
    )
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    email: Mapped[str | None] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(ForeignKey("admin.roles.name"))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Raised when the user's tokens must die at once (password, role, status): every access and
    # stream token carries the epoch it was issued under.
    token_epoch: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class LoginFailure(Base):
    """Failed sign-ins of one account from one address: the lock-out is per pair, so that a
    stranger's guesses do not lock the owner out (the account as a whole is only slowed)."""

    __tablename__ = "login_failures"
    __table_args__ = {"schema": "admin"}  # noqa: RUF012

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("admin.users.id", ondelete="CASCADE"), primary_key=True
    )
    source_ip: Mapped[str] = mapped_column(String(45), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(server_default=func.now())


class RefreshToken(Base):
    """One issued refresh token; only its SHA-256 is kept. A family is one login's chain."""

    __tablename__ = "refresh_tokens"
    __table_args__ = {"schema": "admin"}  # noqa: RUF012

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("admin.users.id", ondelete="CASCADE"), index=True
    )
    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class AuditEntry(TenantScoped, Base):
    """Who did what to which thing, from where, and how it ended (LGPD)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_tenant_id_id", "tenant_id", "id"),
        {"schema": "admin"},
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    at: Mapped[datetime] = mapped_column(server_default=func.now())
    tenant_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("admin.tenants.id", ondelete="SET NULL")
    )
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("admin.users.id", ondelete="SET NULL")
    )
    username: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64), index=True)
    target_type: Mapped[str | None] = mapped_column(String(32))
    target_id: Mapped[str | None] = mapped_column(String(64))
    source_ip: Mapped[str | None] = mapped_column(String(45))
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")


class Zone(Versioned, TenantOwned, Base):
    """A place cameras are grouped by: a district, a square, a school."""

    __tablename__ = "zones"
    __table_args__ = (UniqueConstraint("tenant_id", "name"), {"schema": "cidades"})

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    latitude: Mapped[float | None] = mapped_column(Double)
    longitude: Mapped[float | None] = mapped_column(Double)


class Camera(Versioned, TenantOwned, Base):
    """A camera as the VMS knows it; the password is Fernet-encrypted (see ``secrets``)."""

    __tablename__ = "cameras"
    __table_args__ = (
        UniqueConstraint("tenant_id", "name"),
        CheckConstraint(
            "status IN ('unknown', 'online', 'offline', 'degraded', 'unauthorized')",
            name="status_known",
        ),
        CheckConstraint(
            "recording_mode IN ('off', 'continuous', 'events')", name="recording_mode_known"
        ),
        {"schema": "streaming"},
    )

    zone_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("cidades.zones.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    onvif_url: Mapped[str | None] = mapped_column(String(2048))
    manufacturer: Mapped[str | None] = mapped_column(String(200))
    model: Mapped[str | None] = mapped_column(String(200))
    firmware: Mapped[str | None] = mapped_column(String(200))
    serial_number: Mapped[str | None] = mapped_column(String(200))
    main_profile: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    sub_profile: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    snapshot_uri: Mapped[str | None] = mapped_column(String(2048))
    ptz_capable: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    username: Mapped[str | None] = mapped_column(String(200))
    password_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    latitude: Mapped[float | None] = mapped_column(Double)
    longitude: Mapped[float | None] = mapped_column(Double)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    status: Mapped[str] = mapped_column(String(16), default="unknown", server_default="unknown")
    status_changed_at: Mapped[datetime | None]
    lpr_enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    lpr_fps: Mapped[float] = mapped_column(Double, default=5.0, server_default="5")
    lpr_stream: Mapped[str] = mapped_column(String(4), default="main", server_default="main")
    lpr_roi: Mapped[list[float] | None] = mapped_column(JSONB)
    recording_mode: Mapped[str] = mapped_column(String(12), default="off", server_default="off")
    recording_pre_s: Mapped[int] = mapped_column(Integer, default=10, server_default="10")
    recording_post_s: Mapped[int] = mapped_column(Integer, default=20, server_default="20")
    recording_retention_days: Mapped[int | None] = mapped_column(Integer)

    @property
    def has_password(self) -> bool:
        return self.password_encrypted is not None


class Event(TenantOwned, Base):
    """The tenant's event stream (camera status, plate reads, alerts), kept for resuming.

    Live delivery goes through PostgreSQL ``NOTIFY``, so every service instance sees every
    event; clients that reconnect ask for what came after the last id they saw.
    """

    __tablename__ = "events"
    __table_args__ = (
        Index("ix_events_tenant_id_id", "tenant_id", "id"),
        Index("ix_events_tenant_id_type_at", "tenant_id", "type", "at"),  # dashboards
        {"schema": "admin"},
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    at: Mapped[datetime] = mapped_column(server_default=func.now())
    type: Mapped[str] = mapped_column(String(64))
    camera_id: Mapped[uuid.UUID | None]
    data: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")


class View(Versioned, TenantOwned, Base):
    """A user's named wall view: layout, camera per tile, optional tour."""

    __tablename__ = "views"
    __table_args__ = (UniqueConstraint("user_id", "name"), {"schema": "admin"})

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("admin.users.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    layout: Mapped[str] = mapped_column(String(8))
    cameras: Mapped[list[str | None]] = mapped_column(JSONB, default=list, server_default="[]")
    tour_s: Mapped[int | None] = mapped_column(Integer)


class Detection(TenantOwned, Base):
    """One vehicle pass read at one camera: the voted plate and where its crop is stored.

    Partitioned by month on ``at`` (created ahead by :mod:`gtvision.services.store.partitions`),
    so retention drops whole months. ``plate_key`` folds confusable glyphs (O/Q/D → 0, I → 1…)
    for fuzzy search through a trigram index.
    """

    __tablename__ = "detections"
    __table_args__ = (
        Index("ix_detections_tenant_id_at", "tenant_id", "at"),
        Index("ix_detections_tenant_id_camera_id_at", "tenant_id", "camera_id", "at"),
        Index(
            "ix_detections_tenant_id_plate",
            "tenant_id",
            "plate",
            postgresql_ops={"plate": "varchar_pattern_ops"},
        ),
        Index(
            "ix_detections_plate_key_trgm",
            "plate_key",
            postgresql_using="gin",
            postgresql_ops={"plate_key": "gin_trgm_ops"},
        ),
        {"schema": "ai", "postgresql_partition_by": "RANGE (at)"},
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(primary_key=True)

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        # No index of its own: every index of this big table already starts with it.
        return mapped_column(ForeignKey("admin.tenants.id", ondelete="CASCADE"), nullable=False)

    camera_id: Mapped[uuid.UUID | None]
    camera_name: Mapped[str | None] = mapped_column(String(200))  # as it was then
    plate: Mapped[str] = mapped_column(String(12))
    plate_key: Mapped[str] = mapped_column(String(12))
    confidence: Mapped[float] = mapped_column(Double)
    char_confidences: Mapped[list[float]] = mapped_column(JSONB)
    format: Mapped[str] = mapped_column(String(16))
    box: Mapped[list[float]] = mapped_column(JSONB)
    crop_key: Mapped[str | None] = mapped_column(String(300))
    frame_key: Mapped[str | None] = mapped_column(String(300))
    frames: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class Watchlist(Versioned, TenantOwned, Base):
    """A tenant's list of plates of interest (stolen, wanted…) or of allowed ones (no alerts)."""

    __tablename__ = "watchlists"
    __table_args__ = (UniqueConstraint("tenant_id", "name"), {"schema": "ai"})

    name: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    raises_alerts: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")


class WatchlistEntry(Versioned, TenantOwned, Base):
    """A plate, or a pattern (``*`` any run, ``?`` one character), on one watch list."""

    __tablename__ = "watchlist_entries"
    __table_args__ = (
        UniqueConstraint("watchlist_id", "pattern"),
        Index("ix_watchlist_entries_tenant_id_pattern", "tenant_id", "pattern"),
        {"schema": "ai"},
    )

    watchlist_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("ai.watchlists.id", ondelete="CASCADE"), index=True
    )
    pattern: Mapped[str] = mapped_column(String(16))
    like_pattern: Mapped[str | None] = mapped_column(String(32))  # null: an exact plate
    reason: Mapped[str] = mapped_column(String(500), default="", server_default="")
    priority: Mapped[int] = mapped_column(Integer, default=2, server_default="2")
    expires_at: Mapped[datetime | None]


class Alert(Versioned, TenantOwned, Base):
    """A read that matched an alerting watch list, until an operator acknowledges it."""

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("detection_id", "entry_id"),
        Index("ix_alerts_tenant_id_acknowledged_at", "tenant_id", "acknowledged_at"),
        Index(
            "ix_alerts_open_by_camera_entry",
            "tenant_id",
            "camera_id",
            "entry_id",
            "last_seen_at",
            postgresql_where=text("acknowledged_at IS NULL"),
        ),
        {"schema": "ai"},
    )

    detection_id: Mapped[uuid.UUID]
    detection_at: Mapped[datetime]
    camera_id: Mapped[uuid.UUID | None]
    camera_name: Mapped[str | None] = mapped_column(String(200))  # as it was then
    plate: Mapped[str] = mapped_column(String(12))
    watchlist_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ai.watchlists.id", ondelete="SET NULL")
    )
    entry_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("ai.watchlist_entries.id", ondelete="SET NULL")
    )
    pattern: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500))
    priority: Mapped[int] = mapped_column(Integer)
    crop_key: Mapped[str | None] = mapped_column(String(300))  # the latest sighting's
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("admin.users.id", ondelete="SET NULL")
    )
    comment: Mapped[str | None] = mapped_column(Text)
    acknowledged_by_name: Mapped[str | None] = mapped_column(String(64))  # as it was then
    watchlist_name: Mapped[str | None] = mapped_column(String(200))  # as it was then
    # The same plate seen again at the same camera while the alert is open updates it.
    sightings: Mapped[int] = mapped_column(Integer, server_default="1", default=1)
    last_seen_at: Mapped[datetime]
    last_detection_id: Mapped[uuid.UUID]
    announced_at: Mapped[datetime | None]  # last re-announcement of an unanswered critical one


class LprLease(Base):
    """Which service instance reads a camera's plates, until when (instances share the DB)."""

    __tablename__ = "lpr_leases"
    __table_args__ = {"schema": "ai"}  # noqa: RUF012

    camera_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("streaming.cameras.id", ondelete="CASCADE"), primary_key=True
    )
    instance_id: Mapped[str] = mapped_column(String(64), index=True)
    expires_at: Mapped[datetime]


class LprInstance(Base):
    """A live service instance, so cameras can be split evenly among those alive."""

    __tablename__ = "lpr_instances"
    __table_args__ = {"schema": "ai"}  # noqa: RUF012

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    heartbeat_at: Mapped[datetime]


class Webhook(Versioned, TenantOwned, Base):
    """An external system's endpoint for the tenant's events; the secret signs every delivery."""

    __tablename__ = "webhooks"
    __table_args__ = {"schema": "admin"}  # noqa: RUF012

    url: Mapped[str] = mapped_column(String(2048))
    secret_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    types: Mapped[list[str]] = mapped_column(JSONB, default=list, server_default="[]")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")


class WebhookDelivery(TenantOwned, Base):
    """The outbox: one event for one webhook, written with the event, sent until it succeeds."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index(
            "ix_webhook_deliveries_due",
            "next_attempt_at",
            postgresql_where="delivered_at IS NULL AND failed_at IS NULL",
        ),
        {"schema": "admin"},
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    webhook_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("admin.webhooks.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[uuid.UUID]
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_attempt_at: Mapped[datetime] = mapped_column(server_default=func.now())
    delivered_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))


class Recording(TenantOwned, Base):
    """One archived segment of a camera's main stream: fMP4 in the ``recordings`` bucket.

    The id is derived from the camera and the start (see :mod:`gtvision.services.recordings`),
    so indexing a segment twice after a crash is a no-op.
    """

    __tablename__ = "recordings"
    __table_args__ = (
        Index("ix_recordings_camera_id_started_at", "camera_id", "started_at"),
        Index("ix_recordings_ended_at", "ended_at"),
        {"schema": "streaming"},
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)

    @declared_attr
    def tenant_id(cls) -> Mapped[uuid.UUID]:
        # Queries go by camera; the tenant filter rides along, no index of its own needed.
        return mapped_column(ForeignKey("admin.tenants.id", ondelete="CASCADE"), nullable=False)

    camera_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("streaming.cameras.id", ondelete="CASCADE")
    )
    started_at: Mapped[datetime]
    ended_at: Mapped[datetime]
    key: Mapped[str] = mapped_column(String(300))
    size: Mapped[int] = mapped_column(BigInteger)
    codec: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(server_default=func.now())


class RecordingLock(Versioned, TenantOwned, Base):
    """A bookmark; with ``protect`` an evidence lock that retention must not delete under."""

    __tablename__ = "recording_locks"
    __table_args__ = (
        Index("ix_recording_locks_camera_id_starts_at", "camera_id", "starts_at"),
        CheckConstraint("ends_at > starts_at", name="range_forward"),
        {"schema": "streaming"},
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    camera_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("streaming.cameras.id", ondelete="CASCADE")
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    label: Mapped[str] = mapped_column(String(200))
    protect: Mapped[bool] = mapped_column(Boolean, default=True, server_default="true")
    created_by: Mapped[str] = mapped_column(String(200))


class Export(Versioned, TenantOwned, Base):
    """A clip asked for by an operator: remuxed from archived segments into one MP4."""

    __tablename__ = "exports"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'running', 'ready', 'failed')", name="status_known"),
        Index("ix_exports_pending", "created_at", postgresql_where="status = 'pending'"),
        {"schema": "streaming"},
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid7)
    camera_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("streaming.cameras.id", ondelete="CASCADE")
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(8), default="pending", server_default="pending")
    key: Mapped[str | None] = mapped_column(String(300))
    size: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(500))
    requested_by: Mapped[str] = mapped_column(String(200))


class EventRelay(Base):
    """An outbound relay that wants every event (``amqp``): while its row exists, ``publish``
    writes each event to :class:`RelayOutbox` in the event's own transaction."""

    __tablename__ = "event_relays"
    __table_args__ = {"schema": "admin"}  # noqa: RUF012

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    since: Mapped[datetime] = mapped_column(server_default=func.now())


class RelayOutbox(Base):
    """Events not yet handed to a relay; deleted once the broker confirmed them."""

    __tablename__ = "relay_outbox"
    __table_args__ = {"schema": "admin"}  # noqa: RUF012

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    relay: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[uuid.UUID]
    tenant_id: Mapped[uuid.UUID]
    event_type: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime]
    payload: Mapped[str] = mapped_column(Text)
