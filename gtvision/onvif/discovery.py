"""WS-Discovery (ONVIF's UDP 3702): probe for cameras, and hear them come and go.

Real cameras reply in many dialects, so the parser is tolerant: ``ProbeMatch`` elements are
found wherever they are (with or without the ``ProbeMatches`` wrapper, any namespace prefix),
scopes may carry unencoded spaces (``onvif://www.onvif.org/name/Camera 1``), and ``XAddrs``
may list several addresses. Replies are merged by endpoint reference.

Probes go out as multicast on every usable IPv4 interface (several NICs, each its own
socket, so the reply comes back the way it went) and, for networks that block multicast, as
unicast to each host of a list or CIDR range.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
import socket
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal
from urllib.parse import unquote, urlsplit

from lxml import etree

log = logging.getLogger(__name__)

MULTICAST_GROUP = "239.255.255.250"
PORT = 3702
MAX_UNICAST_HOSTS = 4096

_PROBE = """<?xml version="1.0" encoding="UTF-8"?>
<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"
 xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"
 xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"
 xmlns:dn="http://www.onvif.org/ver10/network/wsdl">
 <s:Header>
  <a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action>
  <a:MessageID>urn:uuid:{message_id}</a:MessageID>
  <a:ReplyTo><a:Address>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:Address></a:ReplyTo>
  <a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>
 </s:Header>
 <s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body>
</s:Envelope>"""

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


@dataclass(frozen=True, slots=True)
class DiscoveredDevice:
    endpoint: str
    xaddrs: tuple[str, ...]
    scopes: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    kind: Literal["match", "hello", "bye"] = "match"
    seen_from: str = ""  # the address the datagram came from

    @property
    def addresses(self) -> tuple[str, ...]:
        hosts = (urlsplit(x).hostname for x in self.xaddrs)
        return tuple(dict.fromkeys(h for h in hosts if h))

    def _scope(self, key: str) -> str | None:
        prefix = f"onvif://www.onvif.org/{key}/"
        values = [
            unquote(s[len(prefix) :]) for s in self.scopes if s.lower().startswith(prefix.lower())
        ]
        return " ".join(values) if values else None

    @property
    def name(self) -> str | None:
        return self._scope("name")

    @property
    def hardware(self) -> str | None:
        return self._scope("hardware")

    @property
    def location(self) -> str | None:
        return self._scope("location")

    def merged(self, other: DiscoveredDevice) -> DiscoveredDevice:
        return replace(
            self,
            xaddrs=tuple(dict.fromkeys((*self.xaddrs, *other.xaddrs))),
            scopes=tuple(dict.fromkeys((*self.scopes, *other.scopes))),
        )


def probe_message(message_id: uuid.UUID | None = None) -> bytes:
    return _PROBE.format(message_id=message_id or uuid.uuid4()).encode()


def _split_scopes(text: str) -> tuple[str, ...]:
    """Scopes are space separated, but some cameras leave spaces unencoded inside one."""
    scopes: list[str] = []
    for token in text.split():
        if scopes and "://" not in token and ":" not in token.split("/")[0]:
            scopes[-1] += " " + token  # continuation of an unencoded value
        else:
            scopes.append(token)
    return tuple(scopes)


def _find(element: etree._Element, local: str) -> list[etree._Element]:
    """Descendants with that local name, whatever their namespace or prefix."""
    return [
        e for e in element.iter() if isinstance(e.tag, str) and etree.QName(e).localname == local
    ]


def _text(element: etree._Element, local: str) -> str:
    return " ".join((f.text or "").strip() for f in _find(element, local) if f.text).strip()


def parse_message(data: bytes, seen_from: str = "") -> list[DiscoveredDevice]:
    """Every device a WS-Discovery datagram speaks of (ProbeMatch, Hello or Bye)."""
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        return []
    if root is None:
        return []
    devices = []
    for kind, local in (("match", "ProbeMatch"), ("hello", "Hello"), ("bye", "Bye")):
        for element in _find(root, local):
            endpoint = _text(element, "Address")
            if not endpoint:
                continue
            devices.append(
                DiscoveredDevice(
                    endpoint=endpoint,
                    xaddrs=tuple(_text(element, "XAddrs").split()),
                    scopes=_split_scopes(_text(element, "Scopes")),
                    types=tuple(_text(element, "Types").split()),
                    kind=kind,  # type: ignore[arg-type]
                    seen_from=seen_from,
                )
            )
    return devices


def merge(devices: Iterable[DiscoveredDevice]) -> list[DiscoveredDevice]:
    """One entry per endpoint reference, whatever interface or probe it was heard on."""
    by_endpoint: dict[str, DiscoveredDevice] = {}
    for device in devices:
        known = by_endpoint.get(device.endpoint)
        by_endpoint[device.endpoint] = device if known is None else known.merged(device)
    return sorted(by_endpoint.values(), key=lambda d: (d.addresses, d.endpoint))


def unicast_targets(spec: str) -> list[str]:
    """``198.18.0.7`` or ``198.18.0.0/24`` → the hosts to probe directly."""
    network = ipaddress.ip_network(spec, strict=False)
    if network.num_addresses > MAX_UNICAST_HOSTS:
        raise ValueError(f"{spec}: more than {MAX_UNICAST_HOSTS} addresses; narrow the range")
    hosts = list(network.hosts()) or [network.network_address]
    return [str(h) for h in hosts]


def interface_addresses(names: Sequence[str] | None = None) -> list[str]:
    """IPv4 addresses of the interfaces that are up (all but loopback, unless named)."""
    import psutil

    stats = psutil.net_if_stats()
    chosen = []
    for name, addresses in psutil.net_if_addrs().items():
        if names and name not in names:
            continue
        if not names and (name == "lo" or not stats.get(name) or not stats[name].isup):
            continue
        chosen += [a.address for a in addresses if a.family == socket.AF_INET]
    return chosen


class _Collector(asyncio.DatagramProtocol):
    def __init__(self) -> None:
        self.found: list[DiscoveredDevice] = []

    def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
        self.found += parse_message(data, seen_from=str(addr[0]))

    def error_received(self, exc: Exception) -> None:
        log.debug("WS-Discovery socket error: %s", exc)


async def probe(
    *,
    interfaces: Sequence[str] | None = None,
    unicast: Sequence[str] = (),
    timeout_s: float = 2.0,
    multicast: bool = True,
) -> list[DiscoveredDevice]:
    """Probe and collect replies for ``timeout_s``.

    ``interfaces``: interface names or IPv4 addresses to multicast from (default: every
    interface that is up, loopback excluded). ``unicast``: hosts or CIDR ranges to probe
    directly, for networks that drop multicast.
    """
    loop = asyncio.get_running_loop()
    message = probe_message()
    sources = resolve_sources(interfaces) if multicast else []
    transports = []
    collectors = []
    try:
        for source in sources:
            sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton(source))
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
            sock.bind((source, 0))
            transport, collector = await loop.create_datagram_endpoint(_Collector, sock=sock)
            transports.append(transport)
            collectors.append(collector)
            transport.sendto(message, (MULTICAST_GROUP, PORT))
        if unicast:
            transport, collector = await loop.create_datagram_endpoint(
                _Collector,
                local_addr=("0.0.0.0", 0),  # noqa: S104 - replies come from anywhere
            )
            transports.append(transport)
            collectors.append(collector)
            for spec in unicast:
                for host in unicast_targets(spec):
                    transport.sendto(message, (host, PORT))
        await asyncio.sleep(timeout_s)
    finally:
        for transport in transports:
            transport.close()
    return merge(device for c in collectors for device in c.found if device.kind != "bye")


def resolve_sources(interfaces: Sequence[str] | None) -> list[str]:
    """Interface names or IPv4 addresses → the addresses to send from; a name this machine
    does not have is a ValueError that says so (not a silent probe of nothing)."""
    if not interfaces:
        return interface_addresses()
    addresses = []
    for item in interfaces:
        try:
            addresses.append(str(ipaddress.IPv4Address(item)))
        except ValueError:
            named = interface_addresses([item])
            if not named:
                raise ValueError(f"no interface named {item!r} with an IPv4 address") from None
            addresses += named
    return addresses


@dataclass
class PresenceListener:
    """Hello and Bye announcements on the multicast group, as devices join and leave."""

    interfaces: Sequence[str] | None = None
    events: asyncio.Queue[DiscoveredDevice] = field(default_factory=asyncio.Queue)
    _transport: asyncio.DatagramTransport | None = None

    async def start(self) -> None:
        loop = asyncio.get_running_loop()
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM, socket.IPPROTO_UDP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("", PORT))
        for source in resolve_sources(self.interfaces):
            membership = socket.inet_aton(MULTICAST_GROUP) + socket.inet_aton(source)
            sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, membership)
        queue = self.events

        class _Presence(asyncio.DatagramProtocol):
            def datagram_received(self, data: bytes, addr: tuple[str | object, int]) -> None:
                for device in parse_message(data, seen_from=str(addr[0])):
                    if device.kind in ("hello", "bye"):
                        queue.put_nowait(device)

        self._transport, _ = await loop.create_datagram_endpoint(_Presence, sock=sock)

    def close(self) -> None:
        if self._transport is not None:
            self._transport.close()
