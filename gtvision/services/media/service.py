"""Stream URLs for a caller, and the auth hook that MediaMTX asks before serving anyone.

The hook is what keeps tenants apart on the media side: a stream token names one camera of
one tenant, and a path names one camera of one tenant; both must agree, and the camera must
still exist and be enabled. Every first use of a token on a path is audited as a view.
"""

from __future__ import annotations

import hmac
import uuid
from collections import OrderedDict
from urllib.parse import parse_qs

from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.contract import CameraStreams, MediaAuthRequest, Role, StreamEndpoints
from gtvision.onvif.snapshot import SnapshotError, http_snapshot, rtsp_snapshot
from gtvision.onvif.uris import with_credentials
from gtvision.services.audit.service import AuditEvent, record, record_alone
from gtvision.services.auth.revocation import Revocations
from gtvision.services.context import Caller, Runtime
from gtvision.services.media.hookguard import HookGuard
from gtvision.services.media.paths import VARIANTS, PathName, Variant
from gtvision.services.media.tokens import (
    InvalidStreamTokenError,
    StreamGrant,
    issue_stream_token,
    new_token_id,
    verify_stream_token,
)
from gtvision.services.store.models import Camera
from gtvision.services.store.rows import get_or_404
from gtvision.services.store.tenancy import Scope


class StreamAccessDeniedError(Exception):
    """The hook says no; MediaMTX turns our 401 into a refusal (and RTSP clients retry)."""


class HookCallerRefusedError(Exception):
    """Whoever called the hook is not MediaMTX."""


class HookFloodError(Exception):
    """Too many denials from one source: answered without looking."""

    def __init__(self, retry_after_s: float) -> None:
        super().__init__("too many refused stream requests from this source")
        self.retry_after_s = retry_after_s


def _stream_uri(camera: Camera, variant: Variant) -> str | None:
    profile = camera.main_profile if variant == "main" else camera.sub_profile
    return str(profile["stream_uri"]) if profile and profile.get("stream_uri") else None


async def stream_urls(caller: Caller, camera_id: uuid.UUID) -> CameraStreams:
    settings = caller.runtime.settings
    async with caller.session() as session:
        camera = await get_or_404(session, Camera, camera_id)
        record(
            session, caller, AuditEvent("stream.urls", target_type="camera", target_id=camera.id)
        )
        password = (
            caller.runtime.keys.decrypt(camera.password_encrypted)
            if camera.password_encrypted is not None
            else None
        )
    if settings.mediamtx_api_url is None:
        # Direct mode hands out the camera's own URL: with its password only to those who may
        # administer streams; a viewer must never learn a camera's credentials.
        withheld = password is not None and not caller.principal.at_least(Role.OPERATOR)
        direct = {
            v: StreamEndpoints(
                rtsp=uri if withheld else with_credentials(uri, camera.username, password)
            )
            for v in VARIANTS
            if (uri := _stream_uri(camera, v)) is not None
        }
        return CameraStreams(
            camera_id=camera.id,
            mode="direct",
            main=direct.get("main"),
            sub=direct.get("sub"),
            credentials_withheld=withheld,
        )
    grant = StreamGrant(
        tenant_id=camera.tenant_id,
        camera_id=camera.id,
        user_id=caller.principal.user_id,
        username=caller.principal.username,
        token_id=new_token_id(),
        epoch=caller.principal.epoch,
    )
    token, expires = issue_stream_token(
        grant, caller.runtime.keys.stream_key, settings.stream_token_ttl_s
    )
    endpoints = {}
    for variant in VARIANTS:
        if _stream_uri(camera, variant) is None:
            continue
        path = PathName(camera.tenant_id, camera.id, variant)
        endpoints[variant] = StreamEndpoints(
            webrtc=f"{settings.mediamtx_webrtc_url.rstrip('/')}/{path}/whep?token={token}",
            hls=f"{settings.mediamtx_hls_url.rstrip('/')}/{path}/index.m3u8?token={token}",
            rtsp=f"{settings.mediamtx_rtsp_url.rstrip('/')}/{path}?token={token}",
        )
    return CameraStreams(
        camera_id=camera.id,
        mode="mediamtx",
        token=token,
        expires_at=expires,
        main=endpoints.get("main"),
        sub=endpoints.get("sub"),
    )


async def snapshot(caller: Caller, camera_id: uuid.UUID) -> bytes:
    """ONVIF snapshot URI if the camera has one, else a frame of its sub (or main) stream."""
    async with caller.session() as session:
        camera = await get_or_404(session, Camera, camera_id)
        event = AuditEvent("camera.snapshot", target_type="camera", target_id=camera.id)
        record(session, caller, event)
        password = (
            caller.runtime.keys.decrypt(camera.password_encrypted)
            if camera.password_encrypted is not None
            else None
        )
    if camera.snapshot_uri:
        return await http_snapshot(camera.snapshot_uri, camera.username, password)
    uri = _stream_uri(camera, "sub") or _stream_uri(camera, "main")
    if uri is None:
        raise SnapshotError("no_source", "the camera has neither a snapshot URI nor a stream")
    return await rtsp_snapshot(with_credentials(uri, camera.username, password))


def _presented_token(request: MediaAuthRequest) -> str:
    """MediaMTX forwards a Bearer token as ``token``; RTSP/HLS carry ours in the query."""
    if request.token:
        return request.token
    from_query = parse_qs(request.query).get("token")
    if from_query:
        return from_query[0]
    return request.password


class MediaGatekeeper:
    """Decides MediaMTX's auth requests; remembers which views it already audited."""

    def __init__(
        self,
        runtime: Runtime,
        revocations: Revocations,
        guard: HookGuard,
        remembered_views: int = 10_000,
    ) -> None:
        self.runtime = runtime
        self.revocations = revocations
        self.guard = guard
        self._audited: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._remember = remembered_views

    async def authorize(self, request: MediaAuthRequest, caller: str) -> None:
        """``caller``: the address the hook was called from (MediaMTX's, or an intruder's)."""
        if why := self.guard.caller_refusal(caller):
            raise HookCallerRefusedError(why)
        source = f"{caller}|{request.ip}"
        if (wait := self.guard.retry_after(source)) is not None:
            raise HookFloodError(wait)
        try:
            await self._authorize(request, source)
        except StreamAccessDeniedError:
            self.guard.denied(source)
            raise

    async def _authorize(self, request: MediaAuthRequest, source: str) -> None:
        token = _presented_token(request)
        if request.action == "api":
            expected = self.runtime.keys.mediamtx_api_token.encode()
            if not hmac.compare_digest(token.encode(), expected):
                raise StreamAccessDeniedError("api: wrong token")
            return
        if request.action not in ("read", "playback"):
            raise StreamAccessDeniedError(f"{request.action or 'unknown'}: not allowed")
        if not token:
            raise StreamAccessDeniedError("no token")  # RTSP clients then send credentials
        path = PathName.parse(request.path)
        try:
            grant = verify_stream_token(token, self.runtime.keys.stream_key)
        except InvalidStreamTokenError as exc:
            # A genuine but expired token still says whose it was: audit it in that tenant.
            try:
                known = verify_stream_token(token, self.runtime.keys.stream_key, allow_expired=True)
            except InvalidStreamTokenError:
                known = None
            await self._audit_denial(request, source, known, f"token: {exc}")
            raise StreamAccessDeniedError("invalid token") from exc
        if path is None or (path.tenant_id, path.camera_id) != (grant.tenant_id, grant.camera_id):
            await self._audit_denial(request, source, grant, "token is for another camera")
            raise StreamAccessDeniedError("token is for another camera")
        if revoked := await self.revocations.reason(grant.user_id, grant.epoch):
            await self._audit_denial(request, source, grant, f"token revoked: {revoked}")
            raise StreamAccessDeniedError("token revoked")
        async with self.runtime.db.read_session(Scope.tenant(grant.tenant_id)) as session:
            usable = await _camera_enabled(session, grant)
        if not usable:
            await self._audit_denial(request, source, grant, "camera disabled or removed")
            raise StreamAccessDeniedError("camera disabled or removed")
        key = (grant.token_id, request.path)
        if key not in self._audited:
            await self._audit(request, grant, "success", None)
            self._audited[key] = None
            while len(self._audited) > self._remember:
                self._audited.popitem(last=False)

    async def _audit_denial(
        self, request: MediaAuthRequest, source: str, grant: StreamGrant | None, reason: str
    ) -> None:
        """One row per source (and tenant) per minute; the denials in between are counted."""
        tenant = grant.tenant_id if grant else None
        folded = self.guard.audit_now(f"{source}|{tenant}")
        if folded is not None:
            await self._audit(request, grant, "denied", reason, folded)

    async def _audit(
        self,
        request: MediaAuthRequest,
        grant: StreamGrant | None,
        outcome: str,
        reason: str | None,
        folded: int = 0,
    ) -> None:
        detail: dict[str, object] = {"path": request.path, "protocol": request.protocol}
        if reason:
            detail["reason"] = reason
        if folded:
            detail["denials_not_audited_before"] = folded
        await record_alone(
            self.runtime.db,
            AuditEvent(
                "stream.view",
                outcome,
                "camera",
                grant.camera_id if grant else None,
                detail,
            ),
            tenant_id=grant.tenant_id if grant else None,
            user_id=grant.user_id if grant else None,
            username=grant.username if grant else None,
            source_ip=request.ip or None,
        )


async def _camera_enabled(session: AsyncSession, grant: StreamGrant) -> bool:
    camera = await session.get(Camera, grant.camera_id)
    return camera is not None and camera.enabled
