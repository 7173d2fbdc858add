"""Discovery benchmark: find and fully describe N virtual ONVIF cameras.

Each camera is an ipycam process in its own network namespace (so each sits behind its own
interface, as on a multi-NIC server); needs root. For N in (1, 10, 50) it prints the time for
one WS-Discovery round (multicast on every camera interface) and for describing every camera
found (device info, profiles, stream and snapshot URIs, PTZ), 16 at a time.

    sudo .venv/bin/python bench/discovery.py [--counts 1 10 50] [--listen 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gtvision.onvif.device import describe
from gtvision.onvif.discovery import probe
from tests.helpers.media_peers import VirtualCamera


async def _round(cameras: list[VirtualCamera], listen_s: float) -> tuple[float, float, int]:
    started = time.perf_counter()
    found = await probe(interfaces=[c.netns.host_ip for c in cameras], timeout_s=listen_s)
    discovered = time.perf_counter()
    gate = asyncio.Semaphore(16)

    async def one(address: str) -> object:
        async with gate:
            return await describe(address, "admin", "cam-secret")

    described = await asyncio.gather(*(one(f"{d.addresses[0]}:8080") for d in found))
    done = time.perf_counter()
    assert len(described) == len(found)
    return discovered - started, done - discovered, len(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--counts", type=int, nargs="+", default=[1, 10, 50])
    parser.add_argument("--listen", type=float, default=1.0, help="seconds to wait for replies")
    args = parser.parse_args()
    for count in args.counts:
        cameras = [VirtualCamera(name=f"Bench {i}", fps=1) for i in range(count)]
        with ExitStack() as stack:
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(stack.enter_context, cameras))
            probe_s, describe_s, found = asyncio.run(_round(cameras, args.listen))
            print(
                f"{count:3d} cameras: found {found:3d}; discovery {probe_s:5.2f} s "
                f"(listening {args.listen:.1f} s), description {describe_s:5.2f} s, "
                f"total {probe_s + describe_s:5.2f} s",
                flush=True,
            )


if __name__ == "__main__":
    main()
