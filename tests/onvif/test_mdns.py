"""mDNS inside test namespaces: a camera that announces itself, and the service's own record."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator

import pytest

from gtvision.onvif.mdns import browse, find_gtvision_services
from gtvision.services.mdns import announce_address
from gtvision.services.settings import Settings
from tests.helpers.netns import NetworkNamespace

ANNOUNCE = """
import asyncio, socket, sys
from zeroconf import IPVersion
from zeroconf.asyncio import AsyncServiceInfo, AsyncZeroconf
from gtvision.onvif.mdns import ServiceAdvertiser

async def main(ip):
    camera = AsyncServiceInfo("_rtsp._tcp.local.", "Camera Praia._rtsp._tcp.local.",
        addresses=[socket.inet_aton(ip)], port=554, properties={"path": "/stream1"},
        server="camera-praia.local.")
    azc = AsyncZeroconf(interfaces=[ip], ip_version=IPVersion.V4Only)
    await azc.async_register_service(camera)
    service = ServiceAdvertiser(api_url=f"http://{ip}:8080/api/v1", address=ip, port=8080,
                                version="9.9", instance="GT-Vision Teste", interfaces=[ip])
    await service.start()
    print("READY", flush=True)
    await asyncio.sleep(60)

asyncio.run(main(sys.argv[1]))
"""


@pytest.fixture(scope="module")
def announcer() -> Iterator[NetworkNamespace]:
    with NetworkNamespace() as netns:
        process = netns.popen(
            [sys.executable, "-c", ANNOUNCE, netns.ip],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert process.stdout is not None
        if process.stdout.readline().strip() != "READY":
            process.kill()
            pytest.fail(f"announcer did not start: {process.communicate()[1]}")
        yield netns
        process.kill()
        process.communicate()


def test_cameras_announcing_rtsp_are_found(announcer: NetworkNamespace) -> None:
    found = asyncio.run(browse(interfaces=[announcer.host_ip], timeout_s=1.5))
    [camera] = [s for s in found if s.type == "_rtsp._tcp.local."]
    assert camera.name == "Camera Praia"
    assert camera.addresses == (announcer.ip,)
    assert camera.port == 554
    assert camera.properties["path"] == "/stream1"


def test_the_console_finds_the_service(announcer: NetworkNamespace) -> None:
    [service] = asyncio.run(find_gtvision_services(interfaces=[announcer.host_ip], timeout_s=1.5))
    assert service.api_url == f"http://{announcer.ip}:8080/api/v1"
    assert service.properties["version"] == "9.9"


def test_the_service_announces_only_a_concrete_address() -> None:
    assert announce_address(Settings(host="198.18.0.5")) == "198.18.0.5"
    assert announce_address(Settings(host="127.0.0.1")) is None
    assert announce_address(Settings(host="0.0.0.0")) is None  # noqa: S104
    assert announce_address(Settings(host="198.18.0.5", mdns_advertise=False)) is None
