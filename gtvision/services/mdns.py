"""Announcing the service on the local network (``_gtvision._tcp``) while it runs."""

from __future__ import annotations

import ipaddress
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import gtvision
from gtvision.contract import API_PREFIX
from gtvision.onvif.mdns import ServiceAdvertiser
from gtvision.services.settings import Settings

log = logging.getLogger(__name__)


def announce_address(settings: Settings) -> str | None:
    """The address to announce, or ``None`` where announcing makes no sense."""
    if not settings.mdns_advertise:
        return None
    try:
        address = ipaddress.IPv4Address(settings.host)
    except ValueError:
        return None  # a name or IPv6: say nothing rather than guess
    if address.is_loopback or address.is_unspecified:
        return None
    return str(address)


@asynccontextmanager
async def announced(settings: Settings) -> AsyncIterator[ServiceAdvertiser | None]:
    address = announce_address(settings)
    if address is None:
        yield None
        return
    advertiser = ServiceAdvertiser(
        api_url=f"http://{address}:{settings.port}{API_PREFIX}",
        address=address,
        port=settings.port,
        version=gtvision.__version__,
        interfaces=[address],
    )
    try:
        await advertiser.start()
    except OSError as exc:
        log.warning("mDNS announcement failed: %s", exc)
        yield None
        return
    try:
        yield advertiser
    finally:
        await advertiser.close()
