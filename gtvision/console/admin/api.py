"""What the console's administration asks of the service, as typed calls over the one
:class:`~gtvision.console.api.ServiceClient` (same token, same errors, same 429 handling).

Changes to something read earlier carry ``If-Match`` with the version read, so a colleague's
change made meanwhile is a 412 to show, never overwritten.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter

from gtvision.console.api import ServiceClient
from gtvision.contract import (
    API_PREFIX,
    AlertStats,
    AuditEntry,
    Camera,
    CameraCreate,
    CameraStats,
    DiscoveredCamera,
    ImportReport,
    LprStats,
    ReadStats,
    Tenant,
    TenantCreate,
    User,
    UserCreate,
    Watchlist,
    WatchlistCreate,
    WatchlistEntry,
    WatchlistEntryCreate,
    Webhook,
    WebhookCreate,
    WebhookTest,
    Zone,
)

M = TypeVar("M", bound=BaseModel)
_DISCOVERY_SLACK_S = 20.0  # the service waits timeout_s for answers, then asks each device


def if_match(item: Any) -> dict[str, str]:
    """The ETag of what was read (the service builds it from ``version``)."""
    return {"If-Match": f'"{item.version}"'}


class AdminApi:
    def __init__(self, client: ServiceClient) -> None:
        self.client = client

    async def _model(self, model: type[M], method: str, path: str, **kwargs: Any) -> M:
        response = await self.client.request(method, f"{API_PREFIX}{path}", **kwargs)
        return model.model_validate_json(response.content)

    async def _all(self, model: type[M], path: str, **params: str) -> list[M]:
        return [item async for item in self.client.pages(f"{API_PREFIX}{path}", model, params)]

    # Cameras -------------------------------------------------------------------------------

    async def discover(
        self, interfaces: list[str], subnets: list[str], timeout_s: float = 2.0
    ) -> list[DiscoveredCamera]:
        body = {"interfaces": interfaces, "subnets": subnets, "timeout_s": timeout_s,
                "multicast": not subnets or bool(interfaces)}  # fmt: skip
        response = await self.client.request(
            "POST", f"{API_PREFIX}/cameras/discover", json=body,
            timeout=timeout_s * 2 + _DISCOVERY_SLACK_S,
        )  # fmt: skip
        return TypeAdapter(list[DiscoveredCamera]).validate_json(response.content)

    async def add_from_onvif(
        self,
        address: str,
        username: str,
        password: str,
        zone_id: uuid.UUID | None,
        name: str | None = None,
    ) -> Camera:
        """``name``: as the camera announced itself (else the service names it by maker,
        model and address)."""
        body = {
            "address": address,
            "username": username or None,
            "password": password or None,
            "zone_id": str(zone_id) if zone_id else None,
            "name": name or None,
        }
        return await self._model(Camera, "POST", "/cameras/from-onvif", json=body, timeout=60)

    async def create_camera(self, camera: CameraCreate) -> Camera:
        body = camera.model_dump(mode="json", exclude_unset=True)
        if camera.password is not None:
            body["password"] = camera.password.get_secret_value()
        return await self._model(Camera, "POST", "/cameras", json=body)

    async def camera(self, camera_id: uuid.UUID) -> Camera:
        return await self._model(Camera, "GET", f"/cameras/{camera_id}")

    async def update_camera(self, camera: Camera, changes: dict[str, Any]) -> Camera:
        return await self._model(
            Camera, "PATCH", f"/cameras/{camera.id}", json=changes, headers=if_match(camera)
        )

    async def reread_camera(self, camera: Camera) -> Camera:
        """Profiles, stream URIs, snapshot and PTZ asked of the camera again over ONVIF."""
        return await self._model(
            Camera, "POST", f"/cameras/{camera.id}/reread", headers=if_match(camera), timeout=60
        )

    async def delete_camera(self, camera: Camera) -> None:
        await self.client.request(
            "DELETE", f"{API_PREFIX}/cameras/{camera.id}", headers=if_match(camera)
        )

    # Zones ---------------------------------------------------------------------------------

    async def create_zone(self, name: str) -> Zone:
        return await self._model(Zone, "POST", "/zones", json={"name": name})

    async def update_zone(self, zone: Zone, changes: dict[str, Any]) -> Zone:
        return await self._model(
            Zone, "PATCH", f"/zones/{zone.id}", json=changes, headers=if_match(zone)
        )

    async def delete_zone(self, zone: Zone) -> None:
        await self.client.request("DELETE", f"{API_PREFIX}/zones/{zone.id}", headers=if_match(zone))

    # Watch lists ---------------------------------------------------------------------------

    async def watchlists(self) -> list[Watchlist]:
        return await self._all(Watchlist, "/watchlists")

    async def create_watchlist(self, watchlist: WatchlistCreate) -> Watchlist:
        return await self._model(
            Watchlist, "POST", "/watchlists", json=watchlist.model_dump(mode="json")
        )

    async def update_watchlist(self, watchlist: Watchlist, changes: dict[str, Any]) -> Watchlist:
        path = f"/watchlists/{watchlist.id}"
        return await self._model(
            Watchlist, "PATCH", path, json=changes, headers=if_match(watchlist)
        )

    async def delete_watchlist(self, watchlist: Watchlist) -> None:
        path = f"{API_PREFIX}/watchlists/{watchlist.id}"
        await self.client.request("DELETE", path, headers=if_match(watchlist))

    async def entries(self, watchlist_id: uuid.UUID) -> list[WatchlistEntry]:
        return await self._all(WatchlistEntry, f"/watchlists/{watchlist_id}/entries")

    async def add_entry(self, watchlist_id: uuid.UUID, entry: WatchlistEntryCreate) -> None:
        path = f"{API_PREFIX}/watchlists/{watchlist_id}/entries"
        await self.client.request("POST", path, json=entry.model_dump(mode="json"))

    async def remove_entry(self, entry: WatchlistEntry) -> None:
        path = f"{API_PREFIX}/watchlists/{entry.watchlist_id}/entries/{entry.id}"
        await self.client.request("DELETE", path, headers=if_match(entry))

    async def import_entries(self, watchlist_id: uuid.UUID, csv: bytes) -> ImportReport:
        return await self._model(
            ImportReport, "POST", f"/watchlists/{watchlist_id}/entries/import", content=csv,
            headers={"Content-Type": "text/csv"},
        )  # fmt: skip

    async def export_entries(self, watchlist_id: uuid.UUID) -> bytes:
        path = f"{API_PREFIX}/watchlists/{watchlist_id}/entries/export"
        return (await self.client.request("GET", path)).content

    # Tenants (superadmin) ------------------------------------------------------------------

    async def tenants(self) -> list[Tenant]:
        return await self._all(Tenant, "/tenants")

    async def create_tenant(self, tenant: TenantCreate) -> Tenant:
        return await self._model(Tenant, "POST", "/tenants", json=tenant.model_dump(mode="json"))

    async def update_tenant(self, tenant: Tenant, changes: dict[str, Any]) -> Tenant:
        path = f"/tenants/{tenant.id}"
        return await self._model(Tenant, "PATCH", path, json=changes, headers=if_match(tenant))

    # Users ---------------------------------------------------------------------------------

    async def users(self) -> list[User]:
        return await self._all(User, "/users")

    async def create_user(self, user: UserCreate) -> User:
        body = user.model_dump(mode="json", exclude_none=True)
        body["password"] = user.password.get_secret_value()
        return await self._model(User, "POST", "/users", json=body)

    async def update_user(self, user: User, changes: dict[str, Any]) -> User:
        return await self._model(
            User, "PATCH", f"/users/{user.id}", json=changes, headers=if_match(user)
        )

    # Webhooks and audit --------------------------------------------------------------------

    async def webhooks(self) -> list[Webhook]:
        return await self._all(Webhook, "/webhooks")

    async def create_webhook(self, webhook: WebhookCreate) -> Webhook:
        body = webhook.model_dump(mode="json")
        body["secret"] = webhook.secret.get_secret_value()
        return await self._model(Webhook, "POST", "/webhooks", json=body)

    async def update_webhook(self, webhook: Webhook, changes: dict[str, Any]) -> Webhook:
        path = f"/webhooks/{webhook.id}"
        return await self._model(Webhook, "PATCH", path, json=changes, headers=if_match(webhook))

    async def delete_webhook(self, webhook: Webhook) -> None:
        path = f"{API_PREFIX}/webhooks/{webhook.id}"
        await self.client.request("DELETE", path, headers=if_match(webhook))

    async def test_webhook(self, webhook: Webhook) -> WebhookTest:
        return await self._model(WebhookTest, "POST", f"/webhooks/{webhook.id}/test", timeout=70)

    async def audit(self, filters: dict[str, str], most: int = 2000) -> list[AuditEntry]:
        """The first ``most`` matching entries, oldest first (the export has them all)."""
        entries: list[AuditEntry] = []
        async for entry in self.client.pages(f"{API_PREFIX}/audit", AuditEntry, filters):
            entries.append(entry)
            if len(entries) >= most:
                break
        return entries

    async def export_audit(self, filters: dict[str, str]) -> bytes:
        path = f"{API_PREFIX}/audit/export"
        return (await self.client.request("GET", path, params=filters, timeout=120)).content

    # Dashboard -----------------------------------------------------------------------------

    async def read_stats(self, since: datetime, until: datetime, bucket: str) -> ReadStats:
        params = {"from": since.isoformat(), "to": until.isoformat(), "bucket": bucket}
        return await self._model(ReadStats, "GET", "/stats/reads", params=params)

    async def alert_stats(self, since: datetime, until: datetime) -> AlertStats:
        params = {"from": since.isoformat(), "to": until.isoformat()}
        return await self._model(AlertStats, "GET", "/stats/alerts", params=params)

    async def camera_stats(self, since: datetime, until: datetime, bucket: str) -> CameraStats:
        params = {"from": since.isoformat(), "to": until.isoformat(), "bucket": bucket}
        return await self._model(CameraStats, "GET", "/stats/cameras", params=params)

    async def lpr_stats(self) -> LprStats:
        return await self._model(LprStats, "GET", "/stats/lpr")
