"""PTZ through the service: from an operator's key press to the camera moving.

The real service (embedded PostgreSQL) drives ipycam, the virtual ONVIF camera, in a network
namespace. A held arrow is a ``continuous`` command per step; for ``--steps`` presses it
measures the API round trip of the command, and the time until the camera reports it moving
(its own status endpoint, polled every 5 ms). Run once with the kept session (the service's
default) and once with ``ptz_session_idle_s=0`` (a new ONVIF session per command, as before).

    .venv/bin/python bench/ptz.py [--steps 20]   (root: it makes a network namespace)
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.conftest import make_superadmin, make_tenant
from tests.helpers.live import LiveService, service_settings
from tests.helpers.media_peers import VirtualCamera
from tests.helpers.postgres import PostgresForTests


def pan(camera: VirtualCamera, client: httpx.Client) -> float:
    status = client.get(f"http://{camera.address}/api/ptz").json()
    return float(status["pan"])


def measure(camera: VirtualCamera, pg: PostgresForTests, idle_s: float, steps: int) -> None:
    settings = service_settings(pg.url, Path(tempfile.mkdtemp()), ptz_session_idle_s=idle_s)
    with LiveService(settings) as service:
        city = make_tenant(service, make_superadmin(service))
        with city.client(service) as admin:
            made = admin.post("/cameras/from-onvif", json={
                "address": camera.address, "username": "admin", "password": "bench-ptz",
            }, timeout=30)  # fmt: skip
            made.raise_for_status()
            url = f"/cameras/{made.json()['id']}/ptz"
        round_trips, to_motion = [], []
        cam_http = httpx.Client(auth=("admin", "bench-ptz"), timeout=5)
        with city.client(service, "operator") as operator:
            operator.post(url, json={"action": "home"}).raise_for_status()
            for i in range(steps):
                direction = 0.6 if i % 2 == 0 else -0.6
                before = pan(camera, cam_http)
                pressed = time.perf_counter()
                operator.post(url, json={"action": "continuous", "pan": direction,
                                         "duration_s": 0.3}).raise_for_status()  # fmt: skip
                round_trips.append((time.perf_counter() - pressed) * 1e3)
                while abs(pan(camera, cam_http) - before) < 1e-3:
                    if time.perf_counter() - pressed > 5:
                        break
                    time.sleep(0.005)
                to_motion.append((time.perf_counter() - pressed) * 1e3)
                operator.post(url, json={"action": "stop"}).raise_for_status()
                time.sleep(0.2)
        cam_http.close()
    mode = "kept session" if idle_s > 0 else "session per command"
    print(f"{mode}: command round trip p50 {np.percentile(round_trips, 50):.0f} ms, p95 "
          f"{np.percentile(round_trips, 95):.0f} ms; press → camera moving p50 "
          f"{np.percentile(to_motion, 50):.0f} ms, p95 {np.percentile(to_motion, 95):.0f} ms "
          f"({steps} presses)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=20)
    args = parser.parse_args()
    pg = PostgresForTests(prefix="gtv-bench-ptz-pg-")
    pg.start()
    try:
        with VirtualCamera(password="bench-ptz") as camera:
            measure(camera, pg, 60.0, args.steps)
            measure(camera, pg, 0.0, args.steps)
    finally:
        pg.close()


if __name__ == "__main__":
    main()
