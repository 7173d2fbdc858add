"""Live read rate: br-dev plates shown by a camera, read through the real service path.

A clean RTSP camera (gst-rtsp-server, ``RTSP_SLIDES``; or ``--camera ipycam``, the ONVIF
camera added through ``from-onvif``) shows each br-dev photo letterboxed into
the frame for ``--hold`` seconds with ``--gap`` seconds of empty grey street between, and says
when each appeared. The service (embedded PostgreSQL, local object store, OpenVINO on the CPU)
reads the camera as an LPR camera: source → worker → pass tracker → spool → PostgreSQL, and
``plate.read`` events on a WebSocket. Reported: passes shown, passes stored, exact reads, rows
per pass, duplicates, and the time from the plate coming into view to its ``plate.read`` event;
next to the still-image figure of the same frames (what ``gtvision-lpr eval`` would say).

    GTV_SHARED=../shared .venv/bin/python bench/lpr_live.py [--plates 16] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gtvision.inference import PlateReader
from gtvision.inference.backends import OpenVinoConfig
from tests.conftest import make_superadmin, make_tenant
from tests.helpers.live import LiveService, service_settings
from tests.helpers.lpr import letterbox
from tests.helpers.media_peers import GstRtspServer, VirtualCamera
from tests.helpers.postgres import PostgresForTests


@dataclass
class Shown:
    index: int
    truth: str
    at: float  # unix time of the slide's first frame
    rows: list[str] = field(default_factory=list)
    first_event_s: float | None = None


def slides(shared: Path, out: Path, count: int, size: tuple[int, int]) -> list[tuple[str, Path]]:
    """(truth, letterboxed JPEG) for the first ``count`` br-dev photos; raw BGR for the camera."""
    made = []
    for i, photo in enumerate(sorted((shared / "datasets/openalpr/br-dev").glob("*.jpg"))[:count]):
        image = cv2.imread(str(photo))
        assert image is not None, photo
        frame = letterbox(image, size)
        (out / f"slide{i:03d}.bgr").write_bytes(np.ascontiguousarray(frame).tobytes())
        cv2.imwrite(str(out / f"slide{i:03d}.jpg"), frame, [cv2.IMWRITE_JPEG_QUALITY, 95])
        made.append((photo.with_suffix(".txt").read_text().split()[-1], out / f"slide{i:03d}.jpg"))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plates", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2, help="times each plate passes")
    parser.add_argument("--hold", type=float, default=4.0, help="seconds a plate is in view")
    parser.add_argument("--gap", type=float, default=3.0, help="seconds of empty street")
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--camera-fps", type=int, default=15)
    parser.add_argument("--lpr-fps", type=float, default=5.0)
    parser.add_argument(
        "--camera", choices=["gst", "ipycam"], default="gst",
        help="gst: a clean gst-rtsp-server camera; ipycam: the ONVIF camera, added via "
        "from-onvif (its RTSP loses slices at 1280x720: a damaged camera)",
    )  # fmt: skip
    parser.add_argument("--precision", choices=["f32", "int8"], default=None,
                        help="the service's lpr_precision (int8: the INT8 detector)")  # fmt: skip
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    shared = Path(os.environ.get("GTV_SHARED", Path(__file__).parents[1] / ".." / "shared"))
    work = Path(tempfile.mkdtemp(prefix="gtv-bench-live-"))
    made = slides(shared, work, args.plates, (width, height))
    reader = PlateReader(OpenVinoConfig(precision=args.precision))
    still = [
        [r.text for r in reader.read(np.asarray(cv2.imread(str(path)), np.uint8)).reads] == [truth]
        for truth, path in made
    ]
    pg = PostgresForTests(prefix="gtv-bench-live-pg-")
    pg.start()
    settings = service_settings(pg.url, work / "data", lpr_precision=args.precision)
    camera: GstRtspServer | VirtualCamera
    if args.camera == "gst":
        variant = {"RTSP_SLIDES": str(work), "RTSP_SLIDE_S": str(args.hold),
                   "RTSP_GAP_S": str(args.gap)}  # fmt: skip
        camera = GstRtspServer(size=args.size, fps=args.camera_fps, variant=variant)
    else:
        camera = VirtualCamera(password="bench-live", fps=args.camera_fps, extra_args=[
            "--size", args.size, "--slides", str(work), "--slide-s", str(args.hold),
            "--gap-s", str(args.gap),
        ])  # fmt: skip
    shown: list[Shown] = []
    events: dict[str, float] = {}  # detection id → arrival (unix time)
    try:
        with (
            camera,
            LiveService(settings) as service,
        ):
            city = make_tenant(service, make_superadmin(service))
            stop = threading.Event()

            def listen() -> None:
                from websockets.exceptions import ConnectionClosed
                from websockets.sync.client import connect

                url = service.url.replace("http", "ws") + "/api/v1/events?types=plate.read"
                with connect(f"{url}&token={city.tokens['viewer']}") as ws:
                    while not stop.is_set():
                        try:
                            message = json.loads(ws.recv(timeout=1))
                        except TimeoutError:
                            continue
                        except ConnectionClosed:  # the service stopping at the end
                            return
                        events[message["data"]["detection_id"]] = time.time()

            def watch_slides() -> None:
                process = camera._process
                assert process is not None
                assert process.stdout is not None
                for line in process.stdout:
                    if line.startswith("SHOW "):
                        _, index, at = line.split()
                        shown.append(Shown(int(index), made[int(index)][0], float(at)))

            threading.Thread(target=listen, daemon=True).start()
            threading.Thread(target=watch_slides, daemon=True).start()
            with city.client(service) as admin:
                if isinstance(camera, GstRtspServer):
                    created = admin.post("/cameras", json={
                        "name": "Av. Brasil, faixa 1", "lpr_enabled": True, "lpr_fps": args.lpr_fps,
                        "main_profile": {"stream_uri": f"{camera.url}/main"},
                    })  # fmt: skip
                    created.raise_for_status()
                else:  # as an installer adds it: ONVIF, then LPR switched on
                    created = admin.post("/cameras/from-onvif", json={
                        "address": camera.address, "username": "admin", "password": "bench-live",
                        "name": "Av. Brasil, faixa 1",
                    }, timeout=60)  # fmt: skip
                    created.raise_for_status()
                    etag = created.headers["etag"]
                    admin.patch(f"/cameras/{created.json()['id']}", headers={"If-Match": etag},
                                json={"lpr_enabled": True, "lpr_fps": args.lpr_fps},
                                ).raise_for_status()  # fmt: skip
                camera_id = created.json()["id"]
            cycle = args.plates * (args.hold + args.gap)
            deadline = time.time() + 60
            while not shown and time.time() < deadline:
                time.sleep(0.2)
            time.sleep(cycle * args.rounds + 5)  # the last pass closes pass_gap_s after it
            stop.set()
            worker = service.app.state.lpr.manager.workers[uuid.UUID(camera_id)][1]
            source_stats = worker.source.stats if worker.source else None
            with psycopg.connect(pg.url.replace("+asyncpg", "")) as conn:
                rows = conn.execute(
                    "SELECT id::text, plate, extract(epoch FROM at) FROM ai.detections "
                    "WHERE camera_id = %s ORDER BY at", (camera_id,),
                ).fetchall()  # fmt: skip
    finally:
        pg.close()
    passes = shown[: args.plates * args.rounds]
    unmatched = 0
    latencies = []
    end = passes[-1].at + args.hold + args.gap - 0.5 if passes else 0.0
    rows = [row for row in rows if float(row[2]) < end]  # the next round had begun: not ours
    for row_id, plate, at in rows:
        owner = next((p for p in passes if p.at - 0.5 <= float(at) <= p.at + args.hold + 1), None)
        if owner is None:
            unmatched += 1
            nearest = min(passes, key=lambda p: abs(p.at - float(at)), default=None)
            if nearest is not None:
                print(f"row outside any pass: {plate} at {float(at) - nearest.at:+.1f} s from "
                      f"showing {nearest.truth}")  # fmt: skip
            continue
        owner.rows.append(plate)
        if row_id in events:
            seen = events[row_id] - owner.at
            owner.first_event_s = min(owner.first_event_s or seen, seen)
    for p in passes:
        if p.first_event_s is not None:
            latencies.append(p.first_event_s)
    stored = sum(1 for p in passes if p.rows)
    exact = sum(1 for p in passes if p.truth in p.rows)
    duplicates = sum(max(0, len(p.rows) - 1) for p in passes)
    print(f"camera: {args.size} @ {args.camera_fps} fps H.264 ({args.camera}), LPR at "
          f"{args.lpr_fps} fps; {args.plates} br-dev plates x {args.rounds} rounds, "
          f"{args.hold:g} s in view, {args.gap:g} s empty street; "
          f"detector {reader.detector_path.name}")  # fmt: skip
    print(f"still image, same frames: {sum(still)}/{len(still)} exact ({np.mean(still):.1%})")
    print(f"passes shown: {len(passes)}; stored: {stored} ({stored / max(1, len(passes)):.1%})")
    print(f"exact reads: {exact} ({exact / max(1, len(passes)):.1%} of passes shown)")
    print(f"rows: {len(rows)} ({len(rows) / max(1, len(passes)):.2f} per pass); duplicates "
          f"{duplicates}; rows outside any pass (spurious) {unmatched}")  # fmt: skip
    for p in passes:
        if p.rows != [p.truth]:  # what an operator would have seen instead, pass by pass
            print(f"  pass of {p.truth} at {p.at - passes[0].at:5.1f} s: rows {p.rows}")
    missed = sorted({p.truth for p in passes if p.truth not in p.rows})
    print(f"plates not read exactly in some pass: {', '.join(missed) or 'none'}")
    if latencies:
        print(f"plate in view → plate.read event: p50 {np.percentile(latencies, 50):.2f} s, "
              f"p95 {np.percentile(latencies, 95):.2f} s, max {max(latencies):.2f} s")  # fmt: skip
    if source_stats is not None:
        print(f"stream: {source_stats.connections} connection(s), {source_stats.frames} frames "
              f"decoded, {source_stats.damaged} damaged packets")  # fmt: skip


if __name__ == "__main__":
    main()
