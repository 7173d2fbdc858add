"""The console's one door to the service: an async httpx client speaking the REST contract.

Everything the console knows about the service comes through here as :mod:`gtvision.contract`
models; every failure is one of the errors below, each phrased for an operator::

    ServiceError
     ├── ServiceUnreachable   wrong URL, network down, service stopped
     ├── LoginRefused         wrong user or password, account locked
     ├── SessionExpired       the refresh token is gone too: sign in again
     └── RequestRejected      the service said no (4xx/5xx) with its RFC 9457 detail,
         └── RateLimited      still 429 after waiting what ``Retry-After`` asked, twice

A rejection reads in the operator's language (Qt's translation, context ``ServiceError``),
with the service's own detail after it. The access token is refreshed shortly before it
expires and once more on a 401, so a 12-hour shift never sees a login prompt while the refresh
token lives. Images (crops, frames) are immutable: each is fetched once, concurrent asks for
the same one share the fetch, and a bounded LRU keeps them for every window of the console.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter
from PySide6.QtCore import QCoreApplication

from gtvision.contract import (
    API_PREFIX,
    Alert,
    Camera,
    CameraStreams,
    Detection,
    Export,
    Me,
    Page,
    PtzCommand,
    PtzPreset,
    PtzResult,
    RecordingAvailability,
    RefreshRequest,
    Tenant,
    TokenPair,
    View,
    ViewCreate,
    Zone,
)

M = TypeVar("M", bound=BaseModel)
_REFRESH_MARGIN_S = 30.0


class ServiceError(Exception):
    """Base of every error the console shows about the service."""


class ServiceUnreachable(ServiceError):
    pass


class LoginRefused(ServiceError):
    pass


class SessionExpired(ServiceError):
    pass


def _phrase(status: int) -> str:
    """What a status means to an operator, translated; the service's detail follows it."""
    if status == 403:
        return QCoreApplication.translate("ServiceError", "Not allowed for your role")
    if status == 404:
        return QCoreApplication.translate("ServiceError", "Not found (deleted, or of another city)")
    if status in (409, 412):
        return QCoreApplication.translate(
            "ServiceError", "Changed or done by someone else meanwhile"
        )
    if status in (400, 413, 422):
        return QCoreApplication.translate("ServiceError", "The service refused the data")
    if status == 429:
        return QCoreApplication.translate(
            "ServiceError", "Too many requests: the service asks to wait"
        )
    if status >= 500:
        return QCoreApplication.translate("ServiceError", "The service failed")
    return QCoreApplication.translate("ServiceError", "The service refused")


class RequestRejected(ServiceError):
    def __init__(self, status: int, detail: str, kind: str | None = None) -> None:
        super().__init__(f"{_phrase(status)}: {detail} (HTTP {status})")
        self.status = status
        self.detail = detail
        self.kind = kind  # the problem's machine-readable reason (wrong_credentials…), if any


class RateLimited(RequestRejected):
    def __init__(self, detail: str, retry_after_s: float) -> None:
        super().__init__(429, detail)
        self.retry_after_s = retry_after_s


_RETRIES_ON_429 = 2
_LONGEST_429_WAIT_S = 10.0  # longer than that, the operator is told rather than kept waiting
_IMAGE_CACHE_BYTES = 64 * 1024 * 1024


def _retry_after_s(response: httpx.Response) -> float:
    value = response.headers.get("retry-after", "1")
    return float(value) if value.replace(".", "", 1).isdigit() else 1.0


def _problem(response: httpx.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _detail(response: httpx.Response) -> str:
    body = _problem(response)
    return str(body.get("detail") or body.get("title") or response.reason_phrase or "error")


def _kind(response: httpx.Response) -> str | None:
    kind = _problem(response).get("kind")
    return str(kind) if kind else None


class ServiceClient:
    """One signed-in session with one service; safe to share between coroutines."""

    def __init__(self, base_url: str, *, timeout_s: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout_s)
        self._tokens: TokenPair | None = None
        self._expires_at = 0.0
        self._refreshing = asyncio.Lock()
        self._images: OrderedDict[str, bytes] = OrderedDict()
        self._images_bytes = 0
        self._fetching: dict[str, asyncio.Future[bytes]] = {}
        self.image_fetches = 0  # requests actually sent for images, for tests and the curious

    async def aclose(self) -> None:
        await self._http.aclose()

    @property
    def signed_in(self) -> bool:
        return self._tokens is not None

    @property
    def access_token(self) -> str:
        if self._tokens is None:
            raise SessionExpired("not signed in")
        return self._tokens.access_token

    @property
    def events_url(self) -> str:
        scheme = "wss" if self.base_url.startswith("https") else "ws"
        return f"{scheme}{self.base_url[self.base_url.index(':') :]}{API_PREFIX}/events"

    # Session --------------------------------------------------------------------------------

    async def login(self, username: str, password: str) -> Me:
        response = await self._send(
            "POST",
            f"{API_PREFIX}/auth/token",
            data={"username": username, "password": password},
        )
        if response.status_code in (400, 401, 403, 423, 429):
            raise LoginRefused(_detail(response))
        self._accept(response)
        return await self.me()

    async def logout(self) -> None:
        if self._tokens is None:
            return
        body = RefreshRequest(refresh_token=self._tokens.refresh_token).model_dump()
        self._tokens = None
        with contextlib.suppress(ServiceUnreachable):  # the refresh token expires by itself
            await self._send("POST", f"{API_PREFIX}/auth/logout", json=body)

    async def ensure_fresh(self) -> None:
        """Refresh the access token if it expires within a margin (one refresh at a time)."""
        async with self._refreshing:
            if self._tokens is None:
                raise SessionExpired("not signed in")
            if time.monotonic() < self._expires_at - _REFRESH_MARGIN_S:
                return
            await self._refresh()

    async def _refresh(self) -> None:
        assert self._tokens is not None
        body = RefreshRequest(refresh_token=self._tokens.refresh_token).model_dump()
        response = await self._send("POST", f"{API_PREFIX}/auth/refresh", json=body)
        if response.status_code in (400, 401, 403, 422):
            self._tokens = None
            raise SessionExpired(f"the session ended: {_detail(response)}")
        self._accept(response)

    def _accept(self, response: httpx.Response) -> None:
        if response.status_code != 200:
            raise RequestRejected(response.status_code, _detail(response))
        self._tokens = TokenPair.model_validate_json(response.content)
        self._expires_at = time.monotonic() + self._tokens.expires_in

    # Resources ------------------------------------------------------------------------------

    async def me(self) -> Me:
        return await self._get_model(f"{API_PREFIX}/auth/me", Me)

    async def tenant(self, tenant_id: uuid.UUID) -> Tenant:
        return await self._get_model(f"{API_PREFIX}/tenants/{tenant_id}", Tenant)

    async def cameras(self) -> list[Camera]:
        return [c async for c in self.pages(f"{API_PREFIX}/cameras", Camera)]

    async def zones(self) -> list[Zone]:
        return [z async for z in self.pages(f"{API_PREFIX}/zones", Zone)]

    async def streams(self, camera_id: uuid.UUID) -> CameraStreams:
        return await self._get_model(f"{API_PREFIX}/cameras/{camera_id}/streams", CameraStreams)

    async def views(self) -> list[View]:
        return [v async for v in self.pages(f"{API_PREFIX}/views", View)]

    async def save_view(self, view: ViewCreate) -> View:
        """Create the view, or replace the caller's view of the same name."""
        existing = next((v for v in await self.views() if v.name == view.name), None)
        body = view.model_dump(mode="json")
        if existing is None:
            response = await self.request("POST", f"{API_PREFIX}/views", json=body)
        else:
            response = await self.request(
                "PATCH",
                f"{API_PREFIX}/views/{existing.id}",
                json=body,
                headers={"If-Match": f'"{existing.version}"'},
            )
        return View.model_validate_json(response.content)

    async def ptz(self, camera_id: uuid.UUID, command: PtzCommand) -> PtzResult:
        path = f"{API_PREFIX}/cameras/{camera_id}/ptz"
        body = command.model_dump(mode="json", exclude_none=True)
        response = await self.request("POST", path, json=body)
        return PtzResult.model_validate_json(response.content)

    async def ptz_presets(self, camera_id: uuid.UUID) -> list[PtzPreset]:
        response = await self.request("GET", f"{API_PREFIX}/cameras/{camera_id}/ptz/presets")
        return TypeAdapter(list[PtzPreset]).validate_json(response.content)

    async def snapshot(self, camera_id: uuid.UUID) -> bytes:
        response = await self.request("GET", f"{API_PREFIX}/cameras/{camera_id}/snapshot")
        return response.content

    async def open_alerts(self) -> list[Alert]:
        path = f"{API_PREFIX}/alerts?status=open"
        return [a async for a in self.pages(path, Alert)]

    async def acknowledged_alerts(self, since: datetime) -> list[Alert]:
        """Alerts acknowledged since ``since`` (raised then or later), for the Alarms list."""
        params = {"status": "acknowledged", "from": since.isoformat(), "limit": "200"}
        response = await self.request("GET", f"{API_PREFIX}/alerts", params=params)
        return Page[Alert].model_validate_json(response.content).items

    async def alerts_between(
        self, camera_id: uuid.UUID, since: datetime, until: datetime
    ) -> list[Alert]:
        """A camera's alerts in a window, for the playback timeline (the first 200)."""
        params = {"camera": str(camera_id), "from": since.isoformat(), "to": until.isoformat(),
                  "limit": "200"}  # fmt: skip
        response = await self.request("GET", f"{API_PREFIX}/alerts", params=params)
        return Page[Alert].model_validate_json(response.content).items

    async def acknowledge_alert(self, alert_id: uuid.UUID, comment: str) -> Alert:
        path = f"{API_PREFIX}/alerts/{alert_id}/acknowledge"
        response = await self.request("POST", path, json={"comment": comment})
        return Alert.model_validate_json(response.content)

    async def detections(self, query: dict[str, str], cursor: str | None = None) -> Page[Detection]:
        """One page of plate reads; ``query`` holds the API's filters (plate, match, camera…)."""
        params = {**query, "limit": "100", **({"cursor": cursor} if cursor else {})}
        response = await self.request("GET", f"{API_PREFIX}/detections", params=params)
        return Page[Detection].model_validate_json(response.content)

    async def export_detections(self, query: dict[str, str]) -> bytes:
        response = await self.request("GET", f"{API_PREFIX}/detections/export", params=query)
        return response.content

    async def image(self, path: str) -> bytes:
        """A read's crop or frame, from the cache, or from the service once however many
        windows ask for it at the same time."""
        if (cached := self._images.get(path)) is not None:
            self._images.move_to_end(path)
            return cached
        if (pending := self._fetching.get(path)) is not None:
            return await asyncio.shield(pending)
        future: asyncio.Future[bytes] = asyncio.get_running_loop().create_future()
        self._fetching[path] = future
        try:
            data = await self._fetch_image(path)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: nobody else may be waiting
            raise
        finally:
            del self._fetching[path]
        future.set_result(data)
        self._images[path] = data
        self._images_bytes += len(data)
        while self._images_bytes > _IMAGE_CACHE_BYTES and len(self._images) > 1:
            _, evicted = self._images.popitem(last=False)
            self._images_bytes -= len(evicted)
        return data

    async def _fetch_image(self, path: str) -> bytes:
        """The API answers with a signed link, fetched without our token (the link may point
        at an S3 server, which must never see it)."""
        self.image_fetches += 1
        response = await self.request("GET", path)
        if response.is_redirect:
            location = response.headers["location"]
            try:
                response = await self._http.get(location, timeout=10)
            except httpx.TransportError as exc:
                raise ServiceUnreachable(f"cannot fetch the image: {exc}") from exc
            if response.status_code != 200:
                raise RequestRejected(response.status_code, "the image link was refused")
        return response.content

    async def recordings(
        self, camera_id: uuid.UUID, since: datetime, until: datetime
    ) -> RecordingAvailability:
        params = {"from": since.isoformat(), "to": until.isoformat()}
        path = f"{API_PREFIX}/cameras/{camera_id}/recordings"
        response = await self.request("GET", path, params=params)
        return RecordingAvailability.model_validate_json(response.content)

    async def create_export(self, camera_id: uuid.UUID, since: datetime, until: datetime) -> Export:
        body = {"camera_id": str(camera_id), "starts_at": since.isoformat(),
                "ends_at": until.isoformat()}  # fmt: skip
        response = await self.request("POST", f"{API_PREFIX}/exports", json=body)
        return Export.model_validate_json(response.content)

    async def export(self, export_id: uuid.UUID) -> Export:
        return await self._get_model(f"{API_PREFIX}/exports/{export_id}", Export)

    async def download(self, url: str) -> bytes:
        """A signed link (S3 or the service's own): fetched without our token."""
        try:
            response = await self._http.get(url, timeout=120)
        except httpx.TransportError as exc:
            raise ServiceUnreachable(f"cannot download: {exc}") from exc
        if response.status_code != 200:
            raise RequestRejected(response.status_code, "the download link was refused")
        return response.content

    async def create_bookmark(
        self, camera_id: uuid.UUID, since: datetime, until: datetime, label: str
    ) -> None:
        body = {"starts_at": since.isoformat(), "ends_at": until.isoformat(), "label": label}
        await self.request("POST", f"{API_PREFIX}/cameras/{camera_id}/bookmarks", json=body)

    # Plumbing -------------------------------------------------------------------------------

    async def pages(
        self, path: str, model: type[M], filters: dict[str, str] | None = None
    ) -> AsyncIterator[M]:
        """Every item of a paged list, page after page."""
        cursor: str | None = None
        while True:
            params = {**(filters or {}), "limit": "200", **({"cursor": cursor} if cursor else {})}
            response = await self.request("GET", path, params=params)
            page = Page[model].model_validate_json(response.content)  # type: ignore[valid-type]
            for item in page.items:
                yield item
            cursor = page.next_cursor
            if cursor is None:
                return

    async def _get_model(self, path: str, model: type[M]) -> M:
        response = await self.request("GET", path)
        return model.model_validate_json(response.content)

    async def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One request as the signed-in user: fresh token, 429 waited out, errors raised."""
        await self.ensure_fresh()
        extra = kwargs.pop("headers", {})
        response = await self._send(method, path, headers={**extra, **self._bearer()}, **kwargs)
        if response.status_code == 401:  # revoked or expired early: one refresh, one retry
            async with self._refreshing:
                await self._refresh()
            response = await self._send(method, path, headers={**extra, **self._bearer()}, **kwargs)
        for _ in range(_RETRIES_ON_429):
            if response.status_code != 429:
                break
            wait_s = _retry_after_s(response)
            if wait_s > _LONGEST_429_WAIT_S:
                break
            await asyncio.sleep(wait_s)
            response = await self._send(method, path, headers={**extra, **self._bearer()}, **kwargs)
        if response.status_code == 429:
            raise RateLimited(_detail(response), _retry_after_s(response))
        if response.status_code >= 400:
            raise RequestRejected(response.status_code, _detail(response), _kind(response))
        return response

    def _bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.access_token}"}

    async def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            return await self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise ServiceUnreachable(
                f"cannot reach the service at {self.base_url}: {exc or type(exc).__name__}"
            ) from exc
