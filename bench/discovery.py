"""Discovery benchmark: find and fully describe N virtual ONVIF cameras.

Each camera is an ipycam process in its own network namespace (so each sits behind its own
interface, as on a multi-NIC server); needs root. For N in (1, 10, 50) it prints the time for
one WS-Discovery round (multicast on every camera interface) and for describing every camera
found (device info, profiles, stream and snapshot URIs, PTZ), 16 at a time; then, with a
pull-point subscription open on every camera, how long after the scene stops moving each
camera's "motion off" event arrives (the camera itself holds motion 0.5 s; pulls of 1 s).

    sudo .venv/bin/python bench/discovery.py [--counts 1 10 50] [--listen 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import AsyncExitStack, ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gtvision.onvif.device import EventSubscription, OnvifDevice, describe
from gtvision.onvif.discovery import probe
from gtvision.onvif.events import EventKind
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


async def _motion_off(cameras: list[VirtualCamera]) -> list[float]:
    """Seconds from freezing every camera's scene to each one's motion-off event."""
    async with AsyncExitStack() as stack:
        subscriptions = []
        for camera in cameras:
            device = OnvifDevice(camera.address, "admin", "cam-secret")
            await stack.enter_async_context(device)
            subscriptions.append(await stack.enter_async_context(device.events(pull_s=1)))
        for subscription in subscriptions:
            await subscription.pull()  # the initial state
        await asyncio.sleep(1.0)

        async def off(subscription: EventSubscription, since: float) -> float:
            async for event in subscription:
                if event.kind is EventKind.MOTION and event.active is False:
                    return time.perf_counter() - since
            raise AssertionError("subscription ended")

        started = time.perf_counter()
        for camera in cameras:
            camera.scene(motion=False)
        return list(await asyncio.gather(*(off(s, started) for s in subscriptions)))


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
            delays = sorted(asyncio.run(_motion_off(cameras)))
            p50, p95 = delays[len(delays) // 2], delays[int(len(delays) * 0.95)]
            print(f"             motion-off event after the scene stops: p50 {p50:4.2f} s, "
                  f"p95 {p95:4.2f} s, max {delays[-1]:4.2f} s", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
