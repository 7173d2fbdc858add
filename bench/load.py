"""Load: 50 concurrent clients for 20 s on ``GET /cameras`` and on an exact plate search.

The service runs as its own process (``gtvision-service run``, embedded PostgreSQL), seeded as
``bench/api.py`` does (5 tenants x 100 cameras) plus 2,000 plate reads per tenant (written as
the LPR writer does); ``wrk`` (a C load generator) drives it, one access token per client.
Prints requests/s, p50/p99 latency, errors, and the service's CPU time per request (its
processes, not PostgreSQL's nor wrk's: steadier than requests/s on shared cores, so the figure
to compare changes by). Every request passes the per-request
revocation check (cached, see ``gtvision/services/auth/revocation.py``).

    .venv/bin/python bench/load.py [--duration 20] [--concurrency 50] [--reads 2000] [--workers 1]
                                   [--keep DIR]

``--keep DIR`` keeps the seeded data directory and, given again, runs on it without seeding
(to compare changes to the service: seeding takes minutes).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.api import (
    PASSWORD,
    TENANTS,
    _prepared_service,
    _seed,
    _sign_in,
    _start_service,
    service_env,
)
from gtvision.services.store.embedded import EmbeddedPostgres
from tests.helpers.lpr import pending_read, write_reads
from tests.helpers.media_peers import free_port

_LUA = """
local tokens = {%(tokens)s}
local paths = {%(paths)s}
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", paths[n %% #paths + 1],
    {["Authorization"] = "Bearer " .. tokens[n %% #tokens + 1]})
end
done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %%d %%f %%f %%f %%d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(99) / 1000, errors))
end
"""


_SERVICE_ENV = {"GTV_LPR_ENABLED": "false"}


def _plates(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    letters, digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "0123456789"
    return [
        "".join(rng.choice(letters) for _ in range(3)) + rng.choice(digits)
        + rng.choice(letters + digits) + "".join(rng.choice(digits) for _ in range(2))
        for _ in range(count)
    ]  # fmt: skip


def _seed_reads(base: str, users: list[str], data_dir: Path, reads: int) -> list[str]:
    """``reads`` plate reads per tenant, written as the LPR writer does; returns plates to ask."""
    embedded = EmbeddedPostgres(data_dir)  # joins the service's running server
    url = embedded.start()
    asked: list[str] = []
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            for t, user in enumerate(users):
                token = client.post("/auth/token", data={"username": user, "password": PASSWORD})
                auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
                me = client.get("/auth/me", headers=auth).json()
                cameras = client.get("/cameras", params={"limit": 50}, headers=auth).json()
                camera_ids = [c["id"] for c in cameras["items"]]
                plates = _plates(reads, seed=t)
                batch = [
                    pending_read(me["tenant_id"], camera_ids[i % len(camera_ids)], plate)
                    for i, plate in enumerate(plates)
                ]
                write_reads(url, data_dir / "objects", batch)
                asked += _asked(plates)
    finally:
        embedded.stop()
    return asked


def _asked(plates: list[str]) -> list[str]:
    return plates[:: max(1, len(plates) // 200)]


def _service_cpu_s(pid: int) -> float:
    """CPU seconds of the service and its workers (not the embedded PostgreSQL it started)."""
    root = psutil.Process(pid)
    processes = [root] + [c for c in root.children(recursive=True) if "postgres" not in c.name()]
    return sum(sum(p.cpu_times()[:2]) for p in processes)


def _wrk(url: str, tokens: list[str], paths: list[str], args: argparse.Namespace, pid: int) -> str:
    script = _LUA % {
        "tokens": ", ".join(f'"{t}"' for t in tokens),
        "paths": ", ".join(f'"{p}"' for p in paths),
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    cpu_before = _service_cpu_s(pid)
    out = subprocess.run(
        ["wrk", "-t1", f"-c{args.concurrency}", f"-d{args.duration}s", "--timeout", "10s",
         "-s", handle.name, url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    requests, seconds, p50, p99, errors = line.split()[1:]
    cpu_ms = (_service_cpu_s(pid) - cpu_before) * 1000 / max(1, int(requests))
    return (
        f"{int(requests) / float(seconds):7.1f} req/s   p50 {float(p50):6.1f} ms   "
        f"p99 {float(p99):7.1f} ms   service CPU {cpu_ms:4.2f} ms/req   n={requests}   "
        f"errors={errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per run")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--reads", type=int, default=2_000, help="plate reads per tenant")
    parser.add_argument("--workers", type=int, default=1, help="service worker processes")
    parser.add_argument("--keep", type=Path, help="keep (or reuse) the seeded data directory")
    args = parser.parse_args()

    seeded = args.keep is not None and (args.keep / "bench-seeded").exists()
    if seeded:
        port, data_dir = free_port(), args.keep
        service = _start_service(data_dir, port, service_env(**_SERVICE_ENV), args.workers)
    else:
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
        service, port, data_dir = _prepared_service(
            "gtv-load-", args.workers, args.keep, **_SERVICE_ENV
        )
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        started = time.perf_counter()
        if seeded:
            users = [f"bench-admin-{t}" for t in range(TENANTS)]
            plates = [p for t in range(TENANTS) for p in _asked(_plates(args.reads, seed=t))]
        else:
            users = [name for name, _ in _seed(base)]
            plates = _seed_reads(base, users, data_dir, args.reads)
            if args.keep is not None:
                (args.keep / "bench-seeded").touch()
        print(f"{'reused' if seeded else 'seeded'} {len(users)} tenants x 100 cameras, "
              f"{args.reads} reads each, in {time.perf_counter() - started:.0f} s; "
              f"{args.concurrency} clients, {args.duration} s per run, "
              f"{args.workers} worker(s)")  # fmt: skip
        tokens = [t["access_token"] for t in _sign_in(base, users, args.concurrency)]
        url = f"http://127.0.0.1:{port}"
        runs = {
            "GET /cameras": ["/api/v1/cameras?limit=50"],
            "exact plate search": [
                f"/api/v1/detections?plate={p}&match=exact&limit=50" for p in plates
            ],
        }
        with httpx.Client(base_url=url, timeout=30) as client:  # not timed: first requests
            for paths in runs.values():  # build FastAPI's per-route state, prepare statements
                for path in paths[:20]:
                    client.get(path, headers={"Authorization": f"Bearer {tokens[0]}"})
        for name, paths in runs.items():
            print(f"{name:>20}: {_wrk(url, tokens, paths, args, service.pid)}", flush=True)
    finally:
        service.terminate()
        service.wait(timeout=30)


if __name__ == "__main__":
    main()
