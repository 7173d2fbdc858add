"""Playback seek latency: from asking for a moment to its first decoded frame, by archive depth.

Starts the real service in-process (embedded PostgreSQL, SeaweedFS as S3) and fills the index
with ``--days`` of one-minute segments for ``--cameras`` cameras (43,200 rows per camera-month)
plus one camera with a single day. The rows point at a few real 60-second H.264 segments
(1280x720, 15 fps, keyframe every 2 s, ~2 Mbit/s) uploaded to S3, cycled: every seek fetches and
remuxes a real object. For each archive it seeks ``--seeks`` times to random moments and reports
percentiles of: the play request until its first byte, and until the first frame is decoded by
PyAV (what a player shows); also with the availability call before it (the console's "jump to").

    .venv/bin/python bench/recording.py [--cameras 20] [--days 30] [--seeks 60]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from pathlib import Path

import av
import httpx
import numpy as np
import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gtvision.services.runtime import open_runtime
from tests.conftest import make_superadmin, make_tenant
from tests.helpers.live import LiveService, service_settings
from tests.helpers.postgres import PostgresForTests
from tests.helpers.s3_server import SeaweedS3

SEGMENT_S = 60


def make_segment(seed: int) -> bytes:
    """A minute of 720p15 that compresses like a street scene: a moving gradient plus noise."""
    rng = np.random.default_rng(seed)
    out = io.BytesIO()
    with av.open(out, "w", format="mp4", options={"movflags": "frag_keyframe+empty_moov"}) as c:
        stream = c.add_stream("libx264", rate=15)
        assert isinstance(stream, av.VideoStream)
        stream.width, stream.height, stream.pix_fmt = 1280, 720, "yuv420p"
        stream.bit_rate = 2_000_000
        stream.codec_context.gop_size = 30
        stream.codec_context.options = {"preset": "ultrafast", "bf": "0"}
        base = np.tile(np.arange(1280, dtype=np.int64), (720, 1))
        for i in range(SEGMENT_S * 15):
            luma = (base + i * 4) % 256
            noise = rng.integers(0, 24, (720, 1280), dtype=np.uint8)
            image = np.dstack([luma, (luma + noise) % 256, noise.astype(np.int64)])
            frame = av.VideoFrame.from_ndarray(image.astype(np.uint8), format="rgb24")
            frame.pts, frame.time_base = i, Fraction(1, 15)
            for packet in stream.encode(frame):
                c.mux(packet)
        for packet in stream.encode(None):
            c.mux(packet)
    return out.getvalue()


async def upload(settings: object, blobs: list[bytes]) -> list[str]:
    keys = []
    async with open_runtime(settings) as runtime:  # type: ignore[arg-type]
        for i, blob in enumerate(blobs):
            key = f"bench/{i}.mp4"
            await runtime.recordings.put(key, blob, "video/mp4")
            keys.append(key)
    return keys


def fill(
    url: str, tenant: str, cameras: list[str], days: int, keys: list[str], now: datetime
) -> int:
    """One row per minute per camera, as the archiver would have written them."""
    start = now - timedelta(days=days)
    with psycopg.connect(url, autocommit=True) as conn:
        for camera in cameras:
            conn.execute(
                "INSERT INTO streaming.recordings (id, tenant_id, camera_id, started_at, ended_at,"
                " key, size, codec) SELECT gen_random_uuid(), %s, %s, t, t + interval '60 s',"
                " (%s::text[])[1 + (extract(epoch FROM t)::bigint / 60) %% %s], 15000000, 'h264'"
                " FROM generate_series(%s::timestamptz, %s::timestamptz - interval '60 s',"
                " interval '60 s') AS t",
                (tenant, camera, keys, len(keys), start, now),
            )
        conn.execute("ANALYZE streaming.recordings")
        count = conn.execute("SELECT count(*) FROM streaming.recordings").fetchone()
    return int(count[0]) if count else 0


def seek(client: httpx.Client, playback_url: str, at: datetime) -> tuple[float, float]:
    url = httpx.URL(playback_url).copy_merge_params({"start": at.isoformat(), "duration": "10"})
    started = time.perf_counter()
    with client.stream("GET", url) as response:
        response.raise_for_status()
        chunks = response.iter_bytes()
        data = bytearray(next(chunks))
        first_byte = time.perf_counter() - started
        while True:  # enough for the init segment and the first fragment
            try:
                with av.open(io.BytesIO(bytes(data)), "r") as container:
                    next(container.decode(video=0))
                break
            except (av.error.FFmpegError, StopIteration):
                data += next(chunks)
        first_frame = time.perf_counter() - started
    return first_byte, first_frame


def report(label: str, values: list[float]) -> None:
    ms = np.array(values) * 1000
    print(
        f"  {label:<34} p50 {np.percentile(ms, 50):7.1f} ms  p95 {np.percentile(ms, 95):7.1f} ms"
        f"  p99 {np.percentile(ms, 99):7.1f} ms  max {ms.max():7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cameras", type=int, default=20)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--seeks", type=int, default=60)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="gtv-bench-rec-"))
    pg = PostgresForTests(prefix="gtv-bench-rec-pg-")
    pg.start()
    plain_url = pg.url.replace("+asyncpg", "")
    rng = random.Random(7)
    try:
        with SeaweedS3() as s3:
            settings = service_settings(
                pg.url, work / "data", s3_endpoint_url=s3.endpoint,
                s3_access_key=s3.access_key, s3_secret_key=s3.secret_key, lpr_enabled=False,
            )  # fmt: skip
            t0 = time.perf_counter()
            blobs = [make_segment(seed) for seed in range(4)]
            sizes = ", ".join(f"{len(b) / 1e6:.1f}" for b in blobs)
            print(
                f"segments: 4 x 60 s 720p15 ({sizes} MB), made in {time.perf_counter() - t0:.0f} s"
            )
            keys = asyncio.run(upload(settings, blobs))
            with LiveService(settings) as service:
                city = make_tenant(service, make_superadmin(service))
                with city.client(service) as admin:
                    ids = [
                        admin.post("/cameras", json={"name": f"cam {i:03d}"}).json()["id"]
                        for i in range(args.cameras + 1)
                    ]
                now = datetime.now(UTC).replace(second=0, microsecond=0)
                t0 = time.perf_counter()
                fill(plain_url, city.tenant_id, ids[:1], 1, keys, now)
                rows = fill(plain_url, city.tenant_id, ids[1:], args.days, keys, now)
                print(
                    f"index: {rows:,} segments ({args.cameras} cameras x {args.days} days + 1 x 1"
                    f" day), filled in {time.perf_counter() - t0:.0f} s"
                )
                with city.client(service, "viewer") as viewer, httpx.Client(timeout=30) as player:
                    for label, camera, days in (
                        ("1 day", ids[0], 1),
                        (f"{args.days} days", ids[1], args.days),
                    ):
                        first_bytes, first_frames, jumps = [], [], []
                        for i in range(args.seeks):
                            at = now - timedelta(seconds=rng.uniform(30, days * 86_400 - 30))
                            started = time.perf_counter()
                            window = {"from": (at - timedelta(hours=12)).isoformat(),
                                      "to": (at + timedelta(hours=12)).isoformat()}  # fmt: skip
                            found = viewer.get(f"/cameras/{camera}/recordings", params=window)
                            found.raise_for_status()
                            listed = time.perf_counter() - started
                            first_byte, first_frame = seek(player, found.json()["playback_url"], at)
                            if i >= 3:  # the first seeks warm connections and caches
                                first_bytes.append(first_byte)
                                first_frames.append(first_frame)
                                jumps.append(listed + first_frame)
                        print(f"archive of {label} ({args.seeks - 3} seeks to random moments):")
                        report("play request -> first byte", first_bytes)
                        report("play request -> first frame", first_frames)
                        report("availability + play -> first frame", jumps)
    finally:
        pg.close()


if __name__ == "__main__":
    main()
