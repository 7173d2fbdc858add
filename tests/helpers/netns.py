"""Network namespaces the tests make for themselves: camera "hosts" off the real network.

Each namespace is joined to the host by a veth pair on a /24 of 198.18.0.0/15 (the benchmark
range, never routed), so a virtual camera's WS-Discovery and other traffic never reaches the
machine's real network. Needs root and iproute2 (``ip``), as CI has.
"""

from __future__ import annotations

import itertools
import os
import subprocess
from pathlib import Path
from types import TracebackType

import pytest

_counter = itertools.count(1)


def _ip(*args: str) -> None:
    result = subprocess.run(["ip", *args], capture_output=True, text=True)
    if result.returncode != 0:
        pytest.fail(f"ip {' '.join(args)} failed (tests need root and iproute2): {result.stderr}")


def _free_subnet(seed: int) -> int:
    """A 198.18.N.0/24 no interface of this machine uses yet (other test runs included)."""
    taken = subprocess.run(["ip", "-4", "-o", "addr"], capture_output=True, text=True).stdout
    for offset in range(250):
        subnet = (seed + offset) % 250 + 1
        if f" 198.18.{subnet}." not in taken:
            return subnet
    pytest.fail("no free 198.18.N.0/24 subnet left for a test namespace")


class NetworkNamespace:
    def __init__(self) -> None:
        n = next(_counter)
        tag = f"{os.getpid() % 10000}{n}"
        self.name = f"gtv{tag}"
        self._host_if, self._ns_if = f"gtvh{tag}"[:15], f"gtvn{tag}"[:15]
        subnet = _free_subnet(os.getpid() + n)
        self.host_ip = f"198.18.{subnet}.1"
        self.ip = f"198.18.{subnet}.2"

    def __enter__(self) -> NetworkNamespace:
        _ip("netns", "add", self.name)
        _ip("link", "add", self._host_if, "type", "veth", "peer", "name", self._ns_if)
        _ip("link", "set", self._ns_if, "netns", self.name)
        _ip("addr", "add", f"{self.host_ip}/24", "dev", self._host_if)
        _ip("link", "set", self._host_if, "up")
        _ip("netns", "exec", self.name, "ip", "addr", "add", f"{self.ip}/24", "dev", self._ns_if)
        _ip("netns", "exec", self.name, "ip", "link", "set", self._ns_if, "up")
        _ip("netns", "exec", self.name, "ip", "link", "set", "lo", "up")
        # Multicast (WS-Discovery) leaves the namespace through its veth, and nowhere else.
        _ip("netns", "exec", self.name, "ip", "route", "add", "224.0.0.0/4", "dev", self._ns_if)
        return self

    def __exit__(self, *_: type[BaseException] | BaseException | TracebackType | None) -> None:
        subprocess.run(["ip", "link", "del", self._host_if], capture_output=True)
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True)

    def popen(
        self, args: list[str], *, stdout: int, stderr: int, cwd: Path | None = None
    ) -> subprocess.Popen[str]:
        process: subprocess.Popen[str] = subprocess.Popen(
            ["ip", "netns", "exec", self.name, *args],
            text=True,
            stdout=stdout,
            stderr=stderr,
            cwd=cwd,
        )
        return process
