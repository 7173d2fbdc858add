"""Where a webhook may be sent: the public internet only, unless a setting says otherwise.

A tenant admin names the URL, the service makes the request from inside the city's network: a
URL pointing at 169.254.169.254, the database's port or MediaMTX's API would turn webhooks into
a probe of that network (SSRF). Loopback, link-local, private, shared, multicast and reserved
addresses are refused unless ``webhook_allowed_networks`` lists them. The check runs when the
URL is saved and again at each delivery, on the addresses the name resolves to *then*, and the
request goes to the address that passed (no second lookup a rebinding DNS could answer
differently); redirects are never followed.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class ForbiddenTargetError(ValueError):
    """The URL leads somewhere webhooks may not go; the message says where and why."""


@dataclass(frozen=True, slots=True)
class Target:
    """A URL whose host passed the check, and the address to connect to."""

    url: str  # the URL with the checked address in place of the name
    host: str  # the name, for TLS (SNI and the certificate)
    host_header: str  # the name and any port, as the Host header
    address: str


def refusal(address: IPAddress, allowed: Sequence[IPNetwork]) -> str | None:
    """Why this address is off limits, or None."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if any(address in network for network in allowed):
        return None
    if address.is_multicast:
        return "a multicast address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address (cloud metadata lives there)"
    if address.is_unspecified or address.is_reserved:
        return "a reserved address"
    if not address.is_global:
        return "a private address"
    return None


def _check(host: str, addresses: Sequence[str], allowed: Sequence[IPNetwork]) -> None:
    for text in addresses:
        why = refusal(ipaddress.ip_address(text.split("%", 1)[0]), allowed)
        if why is not None:
            raise ForbiddenTargetError(
                f"{host} is {why} ({text}); webhooks go to public addresses unless "
                "webhook_allowed_networks lists it"
            )


SAVE_RESOLVE_TIMEOUT_S = 2.0


async def _resolve(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _split(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ForbiddenTargetError("webhooks need an http or https URL with a host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise ForbiddenTargetError(f"webhook URL: {exc}") from exc
    return parts.hostname, port


async def check_url(url: str, allowed: Sequence[IPNetwork]) -> None:
    """When a URL is saved: a literal address, or a name that resolves now, must be allowed.

    A name that does not resolve yet (or not within a moment: an admin is waiting, and an
    unreachable resolver takes 10 s and more to say so) is accepted; each delivery checks it
    again."""
    host, port = _split(url)
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            async with asyncio.timeout(SAVE_RESOLVE_TIMEOUT_S):
                addresses = await _resolve(host, port)
        except (OSError, TimeoutError):
            return
    _check(host, addresses, allowed)


async def resolve_target(url: str, allowed: Sequence[IPNetwork]) -> Target:
    """At delivery: every address the name has now must be allowed; connect to the first."""
    host, port = _split(url)
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = await _resolve(host, port)
        except OSError as exc:
            raise ForbiddenTargetError(f"{host} does not resolve ({exc})") from exc
    _check(host, addresses, allowed)
    address = addresses[0]
    parts = urlsplit(url)
    userinfo, _, host_header = parts.netloc.rpartition("@")
    literal = f"[{address}]" if ":" in address else address
    netloc = f"{literal}:{parts.port}" if parts.port else literal
    if userinfo:
        netloc = f"{userinfo}@{netloc}"
    return Target(
        url=parts._replace(netloc=netloc).geturl(),
        host=host,
        host_header=host_header,
        address=address,
    )
