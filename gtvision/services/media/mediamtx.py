"""MediaMTX Control API v3 client: the one module that knows MediaMTX's JSON.

Models hold only the fields we use; responses ignore the rest (MediaMTX adds fields across
releases), while the path configuration we send is exactly what we mean.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

M = TypeVar("M", bound=BaseModel)

_PAGE = 500


class MediaMtxError(RuntimeError):
    """MediaMTX answered with an error, or could not be reached at all."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def unreachable(self) -> bool:
        return self.status is None


_RECORD_DETAILS = (
    "record_path",
    "record_format",
    "record_segment_duration",
    "record_delete_after",
)


class PathConf(BaseModel):
    """A path's configuration: where the stream comes from and how it is pulled."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    name: str | None = None
    source: str = ""
    source_on_demand: bool = Field(False, alias="sourceOnDemand")
    source_on_demand_start_timeout: str = Field("10s", alias="sourceOnDemandStartTimeout")
    source_on_demand_close_after: str = Field("10s", alias="sourceOnDemandCloseAfter")
    rtsp_transport: str = Field("automatic", alias="rtspTransport")
    record: bool = False
    record_path: str = Field("", alias="recordPath")
    record_format: str = Field("fmp4", alias="recordFormat")
    record_segment_duration: str = Field("1h", alias="recordSegmentDuration")
    record_delete_after: str = Field("1d", alias="recordDeleteAfter")

    def body(self) -> dict[str, Any]:
        """The JSON MediaMTX expects (``name`` is in the URL, not the body).

        The ``record*`` details only matter, and are only sent and compared, when recording.
        """
        exclude = {"name"} if self.record else {"name", *_RECORD_DETAILS}
        return self.model_dump(by_alias=True, exclude=exclude)

    def same_as(self, other: PathConf) -> bool:
        return self.body() == other.body()


class PathReader(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str = ""
    id: str = ""


class PathSource(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: str = ""
    id: str = ""


class PathState(BaseModel):
    """A path at run time: is its source online, how many bytes came in, who reads it."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    name: str
    conf_name: str = Field("", alias="confName")
    online: bool | None = None
    ready: bool | None = None  # before MediaMTX 1.13 ``online`` was called ``ready``
    inbound_bytes: int | None = Field(None, alias="inboundBytes")
    bytes_received: int | None = Field(None, alias="bytesReceived")
    source: PathSource | None = None
    readers: list[PathReader] = Field(default_factory=list)

    @property
    def is_online(self) -> bool:
        return bool(self.online if self.online is not None else self.ready)

    @property
    def received(self) -> int:
        return self.inbound_bytes if self.inbound_bytes is not None else self.bytes_received or 0


class _Page(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    page_count: int = Field(0, alias="pageCount")
    items: list[dict[str, Any]] = Field(default_factory=list)


class MediaMtxClient:
    """Async client of one MediaMTX instance's Control API (``http://host:9997``)."""

    def __init__(
        self,
        base_url: str,
        *,
        token: str | None = None,
        timeout_s: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
        max_in_flight: int = 16,
    ) -> None:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/"), headers=headers, timeout=timeout_s, transport=transport
        )
        self._gate = asyncio.Semaphore(max_in_flight)
        self.calls = 0

    async def aclose(self) -> None:
        await self._http.aclose()

    async def _request(self, method: str, url: str, **kwargs: Any) -> Any:
        async with self._gate:
            self.calls += 1
            try:
                response = await self._http.request(method, url, **kwargs)
            except httpx.HTTPError as exc:
                raise MediaMtxError(f"MediaMTX unreachable: {exc!r}") from exc
        if response.status_code >= 400:
            try:
                message = str(response.json().get("error", response.text))
            except ValueError:
                message = response.text
            raise MediaMtxError(
                f"MediaMTX {method} {url}: {response.status_code} {message}",
                status=response.status_code,
            )
        return response.json() if response.content else None

    async def _pages(self, url: str) -> AsyncIterator[dict[str, Any]]:
        page = 0
        while True:
            data = _Page.model_validate(
                await self._request("GET", url, params={"page": page, "itemsPerPage": _PAGE})
            )
            for item in data.items:
                yield item
            page += 1
            if page >= data.page_count:
                return

    async def _all(self, url: str, model: type[M]) -> list[M]:
        try:
            return [model.model_validate(item) async for item in self._pages(url)]
        except ValidationError as exc:
            raise MediaMtxError(f"MediaMTX {url}: unexpected reply: {exc}") from exc

    # Configuration --------------------------------------------------------------------------

    async def global_config(self) -> dict[str, Any]:
        config: dict[str, Any] = await self._request("GET", "/v3/config/global/get")
        return config

    async def list_path_configs(self) -> list[PathConf]:
        return await self._all("/v3/config/paths/list", PathConf)

    async def add_path(self, name: str, conf: PathConf) -> None:
        await self._request("POST", f"/v3/config/paths/add/{name}", json=conf.body())

    async def replace_path(self, name: str, conf: PathConf) -> None:
        await self._request("POST", f"/v3/config/paths/replace/{name}", json=conf.body())

    async def patch_path(self, name: str, changes: dict[str, Any]) -> None:
        await self._request("PATCH", f"/v3/config/paths/patch/{name}", json=changes)

    async def delete_path(self, name: str) -> None:
        await self._request("DELETE", f"/v3/config/paths/delete/{name}")

    # Run-time state -------------------------------------------------------------------------

    async def list_paths(self) -> list[PathState]:
        return await self._all("/v3/paths/list", PathState)

    async def list_sessions(self, kind: str) -> list[dict[str, Any]]:
        """Sessions of one protocol: ``rtspsessions``, ``webrtcsessions``, ``hlssessions``."""
        if kind not in ("rtspsessions", "rtspssessions", "webrtcsessions", "hlssessions"):
            raise ValueError(f"unknown session kind {kind!r}")
        return [item async for item in self._pages(f"/v3/{kind}/list")]
