"""WS-Discovery: recorded replies of several dialects, then real probes into test namespaces."""

from __future__ import annotations

import asyncio

import pytest

from gtvision.onvif.discovery import (
    PresenceListener,
    merge,
    parse_message,
    probe,
    probe_message,
    unicast_targets,
)
from tests.helpers.media_peers import VirtualCamera

# ipycam: no ProbeMatches wrapper, an unencoded space in the name scope.
IPYCAM = b"""<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"
 xmlns:wsa="http://schemas.xmlsoap.org/ws/2004/08/addressing"
 xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery">
 <soap:Body><d:ProbeMatch>
  <d:EndpointReference><wsa:Address>urn:uuid:aaaa-1</wsa:Address></d:EndpointReference>
  <d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>
  <d:Scopes>onvif://www.onvif.org/type/video_encoder
   onvif://www.onvif.org/name/Terminal Central</d:Scopes>
  <d:XAddrs>http://198.18.3.2:8080/onvif/device_service</d:XAddrs>
 </d:ProbeMatch></soap:Body></soap:Envelope>"""

# The standard shape most makers send: wrapper, encoded scopes, two XAddrs (IPv4 and IPv6).
STANDARD = b"""<?xml version="1.0" encoding="UTF-8"?>
<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"
 xmlns:wsadis="http://schemas.xmlsoap.org/ws/2004/08/addressing"
 xmlns:wsdd="http://schemas.xmlsoap.org/ws/2005/04/discovery">
 <env:Body><wsdd:ProbeMatches><wsdd:ProbeMatch>
  <wsadis:EndpointReference><wsadis:Address>urn:uuid:bbbb-2</wsadis:Address></wsadis:EndpointReference>
  <wsdd:Types>dn:NetworkVideoTransmitter</wsdd:Types>
  <wsdd:Scopes>onvif://www.onvif.org/name/DS-2CD2143 onvif://www.onvif.org/hardware/DS-2CD2143G2-I
   onvif://www.onvif.org/location/city/S%C3%A3o%20Paulo onvif://www.onvif.org/Profile/Streaming</wsdd:Scopes>
  <wsdd:XAddrs>http://198.18.4.2/onvif/device_service http://[fd00::2]/onvif/device_service</wsdd:XAddrs>
  <wsdd:MetadataVersion>10</wsdd:MetadataVersion>
 </wsdd:ProbeMatch></wsdd:ProbeMatches></env:Body></env:Envelope>"""

BYE = b"""<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"
 xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"
 xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><s:Body><d:Bye>
 <a:EndpointReference><a:Address>urn:uuid:bbbb-2</a:Address></a:EndpointReference>
 </d:Bye></s:Body></s:Envelope>"""


def test_parses_the_dialects_cameras_send() -> None:
    [ipycam] = parse_message(IPYCAM, seen_from="198.18.3.2")
    assert ipycam.endpoint == "urn:uuid:aaaa-1"
    assert ipycam.name == "Terminal Central"
    assert ipycam.addresses == ("198.18.3.2",)
    assert ipycam.seen_from == "198.18.3.2"
    [standard] = parse_message(STANDARD)
    assert standard.name == "DS-2CD2143"
    assert standard.hardware == "DS-2CD2143G2-I"
    assert standard.location == "city/São Paulo"
    assert standard.addresses == ("198.18.4.2", "fd00::2")
    [bye] = parse_message(BYE)
    assert (bye.kind, bye.endpoint) == ("bye", "urn:uuid:bbbb-2")
    assert parse_message(b"not xml at all") == []
    assert parse_message(b"<a><b/></a>") == []


def test_replies_are_merged_by_endpoint() -> None:
    first = parse_message(STANDARD)[0]
    second = parse_message(STANDARD.replace(b"http://198.18.4.2/", b"http://198.18.5.2/"))[0]
    [merged] = merge([first, second, first])
    assert merged.addresses == ("198.18.4.2", "fd00::2", "198.18.5.2")
    assert len(merge([first, parse_message(IPYCAM)[0]])) == 2


def test_probe_is_an_onvif_probe_and_ranges_expand() -> None:
    message = probe_message().decode()
    assert "dn:NetworkVideoTransmitter" in message
    assert "discovery/Probe</a:Action>" in message
    assert unicast_targets("198.18.9.0/30") == ["198.18.9.1", "198.18.9.2"]
    assert unicast_targets("198.18.9.7") == ["198.18.9.7"]
    with pytest.raises(ValueError, match="narrow the range"):
        unicast_targets("10.0.0.0/8")


# Real probes -----------------------------------------------------------------------------


def test_multicast_probe_on_several_interfaces_finds_every_camera() -> None:
    with VirtualCamera(name="Camera Norte") as north, VirtualCamera(name="Camera Sul") as south:
        # Each camera sits behind its own interface: two NICs, one socket each.
        found = asyncio.run(
            probe(interfaces=[north.netns.host_ip, south.netns.host_ip], timeout_s=1.5)
        )
        by_name = {d.name: d for d in found}
        assert set(by_name) == {"Camera Norte", "Camera Sul"}
        assert by_name["Camera Norte"].addresses == (north.netns.ip,)
        assert by_name["Camera Sul"].xaddrs == (
            f"http://{south.netns.ip}:8080/onvif/device_service",
        )
        # One interface only: one camera.
        only_north = asyncio.run(probe(interfaces=[north.netns.host_ip], timeout_s=1.0))
        assert [d.name for d in only_north] == ["Camera Norte"]


def test_unicast_probe_for_networks_without_multicast() -> None:
    with VirtualCamera(name="Sem Multicast") as camera:
        # A range of the namespace's side only (.2 and the unused .3, a /31): the host's end of
        # the veth (.1) is this machine, where another program may answer on port 3702.
        network = camera.netns.ip + "/31"
        assert unicast_targets(network) == [camera.netns.ip, camera.netns.ip[:-1] + "3"]
        found = asyncio.run(probe(multicast=False, unicast=[network], timeout_s=1.5))
        assert [(d.name, d.seen_from) for d in found] == [("Sem Multicast", camera.netns.ip)]


def test_hello_and_bye_as_cameras_come_and_go() -> None:
    camera = VirtualCamera(name="Chegou")

    async def scenario() -> list[tuple[str, object]]:
        listener = PresenceListener(interfaces=[camera.netns.host_ip])
        await listener.start()
        try:
            await asyncio.to_thread(camera.start_process)
            hello = await asyncio.wait_for(listener.events.get(), 30)
            await asyncio.to_thread(camera.stop_process)
            bye = await asyncio.wait_for(listener.events.get(), 30)
        finally:
            listener.close()
        assert bye.endpoint == hello.endpoint
        return [(hello.kind, hello.name), (bye.kind, bye.endpoint == hello.endpoint)]

    with camera.netns:
        heard = asyncio.run(scenario())
    assert heard == [("hello", "Chegou"), ("bye", True)]
