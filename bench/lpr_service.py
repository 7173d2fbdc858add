"""LPR in the service: how many cameras at 5 fps one instance sustains, and read → event time.

Starts the real service in-process (embedded PostgreSQL, local object store, OpenVINO on the
CPU), one GStreamer RTSP server looping br-dev plate photos (960x540, 15 fps; every camera
opens its own RTSP session to it, so every camera decodes its own stream), and ``--cameras``
LPR cameras at ``--fps``. After a warm-up it measures for ``--seconds``: frames read per camera
per second against the target, frames dropped because inference fell behind, inference time
per batch, CPU, and the time from a pass being voted (written to the durable queue) to its
``plate.read`` event arriving on a WebSocket client.

    GTV_SHARED=../shared .venv/bin/python bench/lpr_service.py [--cameras 10] [--fps 5]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import cv2
import numpy as np
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gtvision.services.lpr.spool import PendingRead
from tests.conftest import make_superadmin, make_tenant
from tests.helpers.live import LiveService, service_settings
from tests.helpers.lpr import letterbox
from tests.helpers.media_peers import GstRtspServer
from tests.helpers.postgres import PostgresForTests


def plate_frames(shared: Path, out: Path, count: int = 6) -> str:
    for i, photo in enumerate(sorted((shared / "datasets/openalpr/br-dev").glob("*.jpg"))[:count]):
        image = cv2.imread(str(photo))
        assert image is not None, photo
        canvas = letterbox(image)
        cv2.imwrite(str(out / f"img{i:03d}.jpg"), canvas)
    return str(out / "img%03d.jpg")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=10)
    parser.add_argument("--fps", type=float, default=5.0)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--warmup", type=float, default=15.0)
    args = parser.parse_args()
    shared = Path(os.environ.get("GTV_SHARED", Path(__file__).parents[1] / ".." / "shared"))
    work = Path(tempfile.mkdtemp(prefix="gtv-bench-lpr-"))
    images = plate_frames(shared, work)
    pg = PostgresForTests(prefix="gtv-bench-lpr-pg-")
    pg.start()
    settings = service_settings(pg.url, work / "data", lpr_pass_gap_s=1.0)
    try:
        with (
            GstRtspServer(size="960x540", fps=15, images=images, image_s=3) as rtsp,
            LiveService(settings) as service,
        ):
            city = make_tenant(service, make_superadmin(service))
            lpr = service.app.state.lpr
            voted_at: dict[str, float] = {}
            original = lpr.spool.append

            async def timed_append(read: PendingRead) -> Path:
                voted_at[str(read.id)] = time.monotonic()
                path: Path = await original(read)
                return path

            lpr.spool.append = timed_append
            latencies: list[float] = []
            stop = threading.Event()

            def listen() -> None:
                from websockets.sync.client import connect

                url = service.url.replace("http", "ws") + "/api/v1/events?types=plate.read"
                with connect(f"{url}&token={city.tokens['viewer']}") as ws:
                    while not stop.is_set():
                        try:
                            message = json.loads(ws.recv(timeout=1))
                        except TimeoutError:
                            continue
                        sent = voted_at.get(message["data"]["detection_id"])
                        if sent is not None and measuring.is_set():
                            latencies.append((time.monotonic() - sent) * 1e3)

            measuring = threading.Event()
            listener = threading.Thread(target=listen, daemon=True)
            listener.start()
            with city.client(service) as admin:
                for i in range(args.cameras):
                    created = admin.post("/cameras", json={
                        "name": f"LPR {i:02d}", "lpr_enabled": True, "lpr_fps": args.fps,
                        "main_profile": {"stream_uri": f"{rtsp.url}/main"},
                    })  # fmt: skip
                    created.raise_for_status()
            time.sleep(args.warmup)
            workers = [w for _, w, _ in lpr.manager.workers.values()]

            def totals() -> tuple[int, int, int]:
                return (
                    sum(w.frames for w in workers),
                    sum(w.source.dropped for w in workers if w.source),
                    sum(w.passes for w in workers),
                )

            process = psutil.Process()
            process.cpu_percent()
            frames0, dropped0, passes0 = totals()
            batches0, engine_frames0 = lpr.engine.stats.batches, lpr.engine.stats.frames
            measuring.set()
            time.sleep(args.seconds)
            measuring.clear()
            cpu = process.cpu_percent()
            frames1, dropped1, passes1 = totals()
            stop.set()
            listener.join(5)
            stats = lpr.engine.stats
            batches = stats.batches - batches0
            infer = list(stats.infer_ms)[-batches:] if batches else []  # the last ≤ 1000
            cores = psutil.cpu_count() or 1
            per_cam = (frames1 - frames0) / args.seconds / max(1, len(workers))
            print(f"cameras running: {len(workers)} of {args.cameras}, target {args.fps} fps each")
            total = (frames1 - frames0) / args.seconds
            print(f"frames read per camera: {per_cam:.2f} fps ({per_cam / args.fps:.0%} of "
                  f"target); all cameras {total:.1f} fps")  # fmt: skip
            print(f"frames dropped (inference behind): {dropped1 - dropped0}")
            mean_batch = (stats.frames - engine_frames0) / max(1, batches)
            print(f"batches: {batches}, mean batch {mean_batch:.2f} frames")
            if infer:
                print(f"inference per batch: p50 {np.percentile(infer, 50):.1f} ms, "
                      f"p95 {np.percentile(infer, 95):.1f} ms")  # fmt: skip
            print(f"passes voted: {passes1 - passes0}; service process CPU: {cpu:.0f}% "
                  f"(of {cores} cores = {cores * 100}%)")  # fmt: skip
            if latencies:
                print(f"vote → plate.read on WebSocket: p50 {np.percentile(latencies, 50):.1f} ms, "
                      f"p95 {np.percentile(latencies, 95):.1f} ms, max {max(latencies):.1f} ms "
                      f"({len(latencies)} events)")  # fmt: skip
    finally:
        pg.close()


if __name__ == "__main__":
    main()
