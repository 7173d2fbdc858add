"""A camera added on one workstation, seen on another: from the admin's ``POST /cameras``
answer to the camera being in a second console's directory (its tree), through the service's
``camera.created`` event, the console's debounce and its directory reload.

The real service (test PostgreSQL) and a real :class:`ConsoleSession` on a qasync loop
(offscreen Qt), signed in as an operator; ``--cameras`` added one after another, ``--gap-s``
apart. Prints p50/p95/max of the latency, and the same for a burst added together.

    .venv/bin/python bench/console_directory.py [--cameras 20] [--gap-s 1.0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from gtvision.console.qt import run
from gtvision.console.session import ConsoleSession
from tests.conftest import PASSWORD, make_superadmin, make_tenant
from tests.helpers.live import LiveService, service_settings
from tests.helpers.postgres import PostgresForTests


def _figures(name: str, latencies_ms: list[float]) -> None:
    a = np.array(latencies_ms)
    print(f"{name:>28}: p50 {np.percentile(a, 50):6.0f} ms   p95 {np.percentile(a, 95):6.0f} ms"
          f"   max {a.max():6.0f} ms   n={len(a)}")  # fmt: skip


async def measure(base: str, admin_token: str, operator: str, cameras: int, gap_s: float) -> int:
    session = ConsoleSession()
    live, changed = asyncio.Event(), asyncio.Event()
    arrived: dict[str, float] = {}

    def directory_changed() -> None:
        for camera_id in session.cameras:
            arrived.setdefault(camera_id, time.perf_counter())
        changed.set()

    session.directoryChanged.connect(directory_changed)
    session.linkChanged.connect(lambda state, _: live.set() if state == "live" else None)
    assert await session.open_session(base, operator, PASSWORD)
    await live.wait()
    await asyncio.sleep(1.0)  # the first-open directory reload done
    headers = {"Authorization": f"Bearer {admin_token}"}
    one_by_one: list[float] = []
    async with httpx.AsyncClient(base_url=f"{base}/api/v1", headers=headers) as admin:

        async def add(name: str) -> tuple[str, float]:
            made = await admin.post("/cameras", json={"name": name})
            made.raise_for_status()
            return made.json()["id"], time.perf_counter()

        async def seen(camera_id: str) -> float:
            while camera_id not in arrived:
                changed.clear()
                await changed.wait()
            return arrived[camera_id]

        for i in range(cameras):
            camera_id, answered = await add(f"Bench {i}")
            one_by_one.append((await seen(camera_id) - answered) * 1000)
            await asyncio.sleep(gap_s)
        burst = await asyncio.gather(*(add(f"Burst {i}") for i in range(cameras)))
        last_answer = max(at for _, at in burst)
        burst_seen = [await seen(camera_id) for camera_id, _ in burst]
    await session.close()
    _figures("one camera at a time", one_by_one)
    _figures(f"a burst of {cameras}, last one", [(max(burst_seen) - last_answer) * 1000])
    return 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=20)
    parser.add_argument("--gap-s", type=float, default=1.0)
    args = parser.parse_args()
    app = QApplication([])
    pg = PostgresForTests(prefix="gtv-bench-directory-pg-")
    pg.start()
    try:
        settings = service_settings(pg.url, Path(tempfile.mkdtemp()))
        with LiveService(settings) as service:
            city = make_tenant(service, make_superadmin(service))
            coroutine = measure(service.url, city.tokens["admin"], f"operator-{city.slug}",
                                args.cameras, args.gap_s)  # fmt: skip
            run(coroutine)
    finally:
        pg.close()
    del app


if __name__ == "__main__":
    main()
