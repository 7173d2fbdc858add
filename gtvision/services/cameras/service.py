"""Camera rules: admins change cameras; passwords are encrypted at rest and never returned."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession

from gtvision.contract import Camera as CameraOut
from gtvision.contract import (
    CameraCreate,
    CameraFromOnvif,
    CameraStatus,
    CameraUpdate,
    DiscoveredCamera,
    DiscoveryRequest,
    Role,
    StreamProfile,
)
from gtvision.onvif.device import describe as onvif_describe
from gtvision.onvif.discovery import probe as ws_probe
from gtvision.onvif.discovery import resolve_sources
from gtvision.onvif.mdns import browse as mdns_browse
from gtvision.onvif.models import MediaProfile
from gtvision.services.audit.service import AuditEvent, record
from gtvision.services.context import Caller
from gtvision.services.errors import InvalidInputError
from gtvision.services.events.directory import publish_change
from gtvision.services.store import queries
from gtvision.services.store.models import Camera, Zone
from gtvision.services.store.paging import fetch_page
from gtvision.services.store.rows import apply_changes, check_version, get_or_404, to_model
from gtvision.services.store.values import column_values


@dataclass(frozen=True, slots=True)
class CameraFilter:
    zone_id: uuid.UUID | None = None
    enabled: bool | None = None
    status: CameraStatus | None = None
    ptz_capable: bool | None = None
    q: str | None = None


def to_contract(camera: Camera) -> CameraOut:
    return to_model(CameraOut, camera)


async def _check_zone(session: AsyncSession, zone_id: uuid.UUID | None) -> None:
    if zone_id is not None and await session.get(Zone, zone_id) is None:
        raise InvalidInputError(f"zone_id: no zone {zone_id} in this tenant")


def _values(caller: Caller, data: CameraCreate | CameraUpdate, *, only_set: bool) -> dict[str, Any]:
    values = column_values(data, only_set=only_set, exclude={"password"})
    if "password" in data.model_fields_set or not only_set:
        password = data.password
        values["password_encrypted"] = (
            None if password is None else caller.runtime.keys.encrypt(password.get_secret_value())
        )
    return values


async def list_cameras(
    caller: Caller, filters: CameraFilter, cursor: str | None, limit: int
) -> tuple[Sequence[Camera], str | None]:
    caller.tenant()
    stmt = queries.cameras(
        zone_id=filters.zone_id,
        enabled=filters.enabled,
        status=filters.status.value if filters.status else None,
        ptz_capable=filters.ptz_capable,
        q=filters.q,
    )
    async with caller.read_session() as session:
        return await fetch_page(session, stmt, Camera.id, cursor, limit)


async def get_camera(caller: Caller, camera_id: uuid.UUID) -> Camera:
    async with caller.read_session() as session:
        return await get_or_404(session, Camera, camera_id)


async def create_camera(caller: Caller, data: CameraCreate) -> Camera:
    caller.tenant()
    caller.require(Role.ADMIN)
    async with caller.session() as session:
        await _check_zone(session, data.zone_id)
        camera = Camera(**_values(caller, data, only_set=False))
        session.add(camera)
        await session.flush()
        record(
            session, caller, AuditEvent("camera.create", target_type="camera", target_id=camera.id)
        )
        await publish_change(session, camera.tenant_id, camera, "created")
    caller.runtime.cameras_changed()
    return camera


async def update_camera(
    caller: Caller, camera_id: uuid.UUID, data: CameraUpdate, expected_version: int | None
) -> Camera:
    changes = _values(caller, data, only_set=True)
    async with caller.session() as session:
        camera = await get_or_404(session, Camera, camera_id)
        caller.require(Role.ADMIN)
        check_version(camera, expected_version)
        if "zone_id" in changes:
            await _check_zone(session, changes["zone_id"])
        changed = apply_changes(camera, changes)
        if changed:
            await session.flush()
            record(
                session,
                caller,
                AuditEvent(
                    "camera.update",
                    target_type="camera",
                    target_id=camera.id,
                    detail={"fields": changed},
                ),
            )
            await publish_change(session, camera.tenant_id, camera, "updated", list(changed))
    caller.runtime.cameras_changed()
    return camera


async def delete_camera(caller: Caller, camera_id: uuid.UUID, expected_version: int | None) -> None:
    async with caller.session() as session:
        camera = await get_or_404(session, Camera, camera_id)
        caller.require(Role.ADMIN)
        check_version(camera, expected_version)
        await session.delete(camera)
        record(
            session,
            caller,
            AuditEvent(
                "camera.delete",
                target_type="camera",
                target_id=camera.id,
                detail={"name": camera.name},
            ),
        )
        await publish_change(session, camera.tenant_id, camera, "deleted")
    caller.runtime.cameras_changed()


def _profile(p: MediaProfile | None) -> StreamProfile | None:
    if p is None or p.stream_uri is None:
        return None
    return StreamProfile.model_validate({
        "stream_uri": p.stream_uri, "token": p.token, "codec": p.codec, "width": p.width,
        "height": p.height, "fps": p.fps, "bitrate_kbps": p.bitrate_kbps,
    })  # fmt: skip


async def reread_from_onvif(
    caller: Caller, camera_id: uuid.UUID, expected_version: int | None
) -> Camera:
    """Ask the camera again (new firmware, a profile changed on its web page): profiles and
    stream URIs, snapshot URI, PTZ, maker and model, with the stored credentials."""
    async with caller.read_session() as session:
        camera = await get_or_404(session, Camera, camera_id)
    caller.require(Role.ADMIN)
    if not camera.onvif_url:
        raise InvalidInputError(
            f"camera {camera.name!r} was added by its stream URL: it has no ONVIF address"
        )
    password = (
        caller.runtime.keys.decrypt(camera.password_encrypted)
        if camera.password_encrypted is not None
        else None
    )
    found = await onvif_describe(camera.onvif_url, camera.username, password)
    device = found.device
    update = CameraUpdate.model_validate({
        "manufacturer": device.manufacturer or None, "model": device.model or None,
        "firmware": device.firmware or None, "serial_number": device.serial_number or None,
        "main_profile": _profile(found.main), "sub_profile": _profile(found.sub),
        "snapshot_uri": found.snapshot_uri, "ptz_capable": found.ptz.supported,
    })  # fmt: skip
    return await update_camera(caller, camera_id, update, expected_version)


async def create_from_onvif(caller: Caller, data: CameraFromOnvif) -> Camera:
    """Describe the camera over ONVIF, then store it as if an admin had typed it all in."""
    caller.tenant()
    caller.require(Role.ADMIN)
    password = data.password.get_secret_value() if data.password else None
    found = await onvif_describe(data.address, data.username, password)

    device = found.device
    create = CameraCreate.model_validate(
        {
            "name": data.name or f"{device.manufacturer} {device.model} {found.address}".strip(),
            "zone_id": data.zone_id,
            "onvif_url": f"http://{found.address}/onvif/device_service",
            "manufacturer": device.manufacturer or None,
            "model": device.model or None,
            "firmware": device.firmware or None,
            "serial_number": device.serial_number or None,
            "main_profile": _profile(found.main),
            "sub_profile": _profile(found.sub),
            "snapshot_uri": found.snapshot_uri,
            "ptz_capable": found.ptz.supported,
            "username": data.username,
            "password": data.password,
        }
    )
    return await create_camera(caller, create)


async def discover(caller: Caller, request: DiscoveryRequest) -> list[DiscoveredCamera]:
    """WS-Discovery (and mDNS) from the service's network, marked against known cameras."""
    caller.tenant()
    caller.require(Role.ADMIN)
    found: list[DiscoveredCamera] = []
    if request.interfaces:
        try:
            resolve_sources(request.interfaces)
        except ValueError as exc:
            raise InvalidInputError(f"interfaces: {exc}") from exc
    try:
        devices = await ws_probe(
            interfaces=request.interfaces or None,
            unicast=request.subnets,
            timeout_s=request.timeout_s,
            multicast=request.multicast,
        )
    except ValueError as exc:  # a malformed range, or one too large
        raise InvalidInputError(f"subnets: {exc}") from exc
    found += [
        DiscoveredCamera(
            source="ws-discovery",
            endpoint=d.endpoint,
            addresses=list(d.addresses),
            xaddrs=list(d.xaddrs),
            name=d.name,
            hardware=d.hardware,
            location=d.location,
        )
        for d in devices
    ]
    if request.mdns and request.multicast:
        services = await mdns_browse(
            interfaces=request.interfaces or None, timeout_s=request.timeout_s
        )
        found += [
            DiscoveredCamera(
                source="mdns",
                endpoint=f"{s.name}.{s.type}",
                addresses=list(s.addresses),
                xaddrs=[],
                name=s.name,
            )
            for s in services
        ]
    async with caller.session() as session:
        known = await queries.camera_onvif_urls(session)
        record(
            session,
            caller,
            AuditEvent(
                "camera.discover",
                detail={
                    "found": len(found),
                    "interfaces": request.interfaces,
                    "subnets": request.subnets,
                },
            ),
        )
    by_host = {urlsplit(url).hostname: camera_id for camera_id, url in known}
    return [
        d.model_copy(
            update={"camera_id": next((by_host[a] for a in d.addresses if a in by_host), None)}
        )
        for d in found
    ]
