"""mDNS / DNS-SD: cameras that announce themselves, and the GT-Vision service itself.

Cameras often announce ``_rtsp._tcp``, ``_onvif._tcp`` or a maker's type (``_axis-video._tcp``);
the service announces ``_gtvision._tcp`` with its API URL in the TXT record, so a console on
the same network finds it with nothing typed.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field

from zeroconf import IPVersion, ServiceStateChange, Zeroconf
from zeroconf.asyncio import AsyncServiceBrowser, AsyncServiceInfo, AsyncZeroconf

CAMERA_TYPES = ("_rtsp._tcp.local.", "_onvif._tcp.local.", "_axis-video._tcp.local.")
GTVISION_TYPE = "_gtvision._tcp.local."


@dataclass(frozen=True, slots=True)
class MdnsService:
    type: str
    name: str
    addresses: tuple[str, ...]
    port: int
    properties: dict[str, str] = field(default_factory=dict)

    @property
    def api_url(self) -> str | None:
        """For ``_gtvision._tcp``: where the service's API is."""
        return self.properties.get("api")


def _zeroconf(interfaces: Sequence[str] | None) -> AsyncZeroconf:
    if interfaces:
        return AsyncZeroconf(interfaces=list(interfaces), ip_version=IPVersion.V4Only)
    return AsyncZeroconf(ip_version=IPVersion.V4Only)


async def browse(
    types: Sequence[str] = CAMERA_TYPES,
    *,
    interfaces: Sequence[str] | None = None,
    timeout_s: float = 2.0,
) -> list[MdnsService]:
    """Services of the given types seen within ``timeout_s``, resolved to addresses."""
    azc = _zeroconf(interfaces)
    names: set[tuple[str, str]] = set()

    def on_change(
        zeroconf: Zeroconf, service_type: str, name: str, state_change: ServiceStateChange
    ) -> None:
        if state_change is not ServiceStateChange.Removed:
            names.add((service_type, name))

    browser = AsyncServiceBrowser(azc.zeroconf, list(types), handlers=[on_change])
    try:
        await asyncio.sleep(timeout_s)
        found = []
        for service_type, name in sorted(names):
            info = AsyncServiceInfo(service_type, name)
            if not await info.async_request(azc.zeroconf, 1500):
                continue
            found.append(
                MdnsService(
                    type=service_type,
                    name=name.removesuffix("." + service_type),
                    addresses=tuple(info.parsed_addresses(IPVersion.V4Only)),
                    port=info.port or 0,
                    properties={
                        k.decode(): (v or b"").decode(errors="replace")
                        for k, v in info.properties.items()
                    },
                )
            )
        return found
    finally:
        await browser.async_cancel()
        await azc.async_close()


async def find_gtvision_services(
    *, interfaces: Sequence[str] | None = None, timeout_s: float = 2.0
) -> list[MdnsService]:
    return await browse((GTVISION_TYPE,), interfaces=interfaces, timeout_s=timeout_s)


class ServiceAdvertiser:
    """Announces one GT-Vision service instance until closed."""

    def __init__(
        self,
        *,
        api_url: str,
        address: str,
        port: int,
        version: str,
        instance: str | None = None,
        interfaces: Sequence[str] | None = None,
    ) -> None:
        self._azc = _zeroconf(interfaces)
        name = instance or f"GT-Vision {socket.gethostname()}"
        self.info = AsyncServiceInfo(
            GTVISION_TYPE,
            f"{name}.{GTVISION_TYPE}",
            addresses=[socket.inet_aton(address)],
            port=port,
            properties={"api": api_url, "version": version},
            server=f"{socket.gethostname()}.local.",
        )

    async def start(self) -> None:
        await self._azc.async_register_service(self.info, allow_name_change=True)

    async def close(self) -> None:
        await self._azc.async_unregister_service(self.info)
        await self._azc.async_close()
