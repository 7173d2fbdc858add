"""API benchmark: camera listing (paged) and token refresh under concurrent load.

Starts ``gtvision-service`` as its own process on embedded PostgreSQL in a temporary data dir,
seeds 5 tenants with 100 cameras each, signs in one session per client, then drives it with
``wrk`` (Debian package ``wrk``; a C load generator, so the driver does not eat the CPU the
service needs) at the given concurrency: pages of ``GET /api/v1/cameras`` alone, token
refreshes alone (each refresh token used once, as the API demands), and a mix. Prints
requests/s and latency percentiles for each.

    .venv/bin/python bench/api.py [--duration 20] [--concurrency 64] [--workers 1]

Rate limits are raised for the run (the defaults, 100/min per user, would turn most of the load
into 429s); everything else is as shipped.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.helpers.media_peers import free_port

PASSWORD = "bench-password-123"
TENANTS = 5
CAMERAS_PER_TENANT = 100


def _cli(env: dict[str, str], data_dir: Path, *args: str, stdin: str = "") -> None:
    subprocess.run(
        [sys.executable, "-m", "gtvision.services.cli", "--data-dir", str(data_dir), *args],
        input=stdin,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )


def _start_service(
    data_dir: Path, port: int, env: dict[str, str], workers: int
) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gtvision.services.cli",
            "--data-dir",
            str(data_dir),
            "run",
            "--port",
            str(port),
            "--workers",
            str(workers),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("service did not become ready")


def service_env(**extra_env: str) -> dict[str, str]:
    """The benches' service settings: rate limits raised for the run; the rest as shipped."""
    return {
        **os.environ,
        "GTV_SECRET_KEY": "bench-secret-key-0123456789-abcdefghij",
        "GTV_RATE_LIMIT_USER_PER_MIN": "1000000",
        "GTV_RATE_LIMIT_IP_PER_MIN": "1000000",
        "GTV_LOG_LEVEL": "WARNING",
        **extra_env,
    }


def _prepared_service(
    prefix: str, workers: int, data_dir: Path | None = None, **extra_env: str
) -> tuple[subprocess.Popen[bytes], int, Path]:
    """A migrated data dir (``data_dir`` or a new temporary one) with a superadmin, and the
    service running on it: (process, port, data dir)."""
    data_dir = data_dir or Path(tempfile.mkdtemp(prefix=prefix))
    port = free_port()
    env = service_env(**extra_env)
    _cli(env, data_dir, "migrate")
    _cli(env, data_dir, "create-user", "bench-root", "--role", "superadmin", "--password-stdin",
         stdin=PASSWORD + "\n")  # fmt: skip
    return _start_service(data_dir, port, env, workers), port, data_dir


def _seed(base: str) -> list[tuple[str, str]]:
    """Tenants, one admin each, cameras; returns (username, refresh token) per tenant."""
    with httpx.Client(base_url=base, timeout=30) as client:
        root = client.post("/auth/token", data={"username": "bench-root", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {root.json()['access_token']}"}
        admins = []
        for t in range(TENANTS):
            tenant = client.post(
                "/tenants", headers=headers, json={"slug": f"bench-{t}", "name": f"Bench {t}"}
            ).json()
            name = f"bench-admin-{t}"
            client.post(
                "/users",
                headers=headers,
                json={
                    "username": name,
                    "password": PASSWORD,
                    "role": "admin",
                    "tenant_id": tenant["id"],
                },
            )
            admins.append(name)
        for name in admins:
            token = client.post("/auth/token", data={"username": name, "password": PASSWORD}).json()
            auth = {"Authorization": f"Bearer {token['access_token']}"}
            for c in range(CAMERAS_PER_TENANT):
                client.post(
                    "/cameras",
                    headers=auth,
                    json={
                        "name": f"{name}-cam-{c:03d}",
                        "main_profile": {"stream_uri": f"rtsp://127.0.0.1:8554/{name}/{c}/main"},
                        "sub_profile": {"stream_uri": f"rtsp://127.0.0.1:8554/{name}/{c}/sub"},
                        "latitude": -22.9 + c / 1000,
                        "longitude": -47.06,
                    },
                ).raise_for_status()
    return [(name, "") for name in admins]


_LUA = """
local access = {%(access)s}
local refresh = {%(refresh)s}
local refresh_every = %(every)d
local cursor = nil
local n = 0

request = function()
  n = n + 1
  if refresh_every > 0 and n %% refresh_every == 0 and #refresh > 0 then
    local token = table.remove(refresh, 1)
    return wrk.format("POST", "/api/v1/auth/refresh",
      {["Content-Type"] = "application/json"}, '{"refresh_token":"' .. token .. '"}')
  end
  local path = "/api/v1/cameras?limit=50"
  if cursor then path = path .. "&cursor=" .. cursor end
  return wrk.format("GET", path, {["Authorization"] = "Bearer " .. access[n %% #access + 1]})
end

response = function(status, headers, body)
  local token = body:match('"refresh_token":"([^"]+)"')
  if token then table.insert(refresh, token) end
  if body:find('"items"', 1, true) then cursor = body:match('"next_cursor":"([^"]+)"') end
end

done = function(summary, latency, requests)
  local errors = summary.errors.status + summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %%d %%f %%f %%f %%f %%d\\n", summary.requests,
    summary.duration / 1e6, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, errors))
end
"""


def _sign_in(base: str, users: list[str], sessions: int) -> list[dict[str, str]]:
    """One refresh-token chain per simulated client (argon2 runs here, before the clock)."""
    with httpx.Client(base_url=base, timeout=30) as client:
        return [
            client.post(
                "/auth/token", data={"username": users[i % len(users)], "password": PASSWORD}
            ).json()
            for i in range(sessions)
        ]


def _wrk(
    url: str, tokens: list[dict[str, str]], refresh_every: int, args: argparse.Namespace
) -> str:
    quoted = ", ".join
    script = _LUA % {
        "access": quoted(f'"{t["access_token"]}"' for t in tokens),
        "refresh": quoted(f'"{t["refresh_token"]}"' for t in tokens),
        "every": refresh_every,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{args.concurrency}",
            f"-d{round(args.duration)}s",
            "--timeout",
            "10s",
            "-s",
            handle.name,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT"))
    requests, seconds, p50, p95, p99, errors = line.split()[1:]
    return (
        f"{int(requests) / float(seconds):8.1f} req/s   p50 {float(p50):6.1f} ms   "
        f"p95 {float(p95):6.1f} ms   p99 {float(p99):6.1f} ms   n={requests}   errors={errors}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=20, help="seconds per run")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--refresh-share", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=1, help="service worker processes")
    args = parser.parse_args()

    service, port, _ = _prepared_service("gtv-bench-", args.workers)
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        seeded = time.perf_counter()
        users = [name for name, _ in _seed(base)]
        print(
            f"seeded {TENANTS} tenants x {CAMERAS_PER_TENANT} cameras in "
            f"{time.perf_counter() - seeded:.1f} s; driving {args.concurrency} concurrent clients "
            f"for {args.duration} s ({args.refresh_share:.0%} refreshes), "
            f"{args.workers} service worker(s)"
        )
        url = f"http://127.0.0.1:{port}"
        for kind, every in (("list", 0), ("refresh", 1), ("mixed", round(1 / args.refresh_share))):
            tokens = _sign_in(base, users, args.concurrency)
            print(f"{kind:>8}: {_wrk(url, tokens, every, args)}", flush=True)
    finally:
        service.terminate()
        service.wait(timeout=30)


if __name__ == "__main__":
    main()
