"""A deep schemathesis run against a live service of its own: every phase (examples, coverage,
fuzzing, stateful with inferred links), every check, as a tenant admin. Prints schemathesis'
summary (failures grouped by kind, with curl commands to reproduce); exit status 1 on failures.

    .venv/bin/python bench/fuzz.py [--max-examples 30] [--max-time 600] [--role admin|viewer]

Not part of the test suite (tests/services/test_schemathesis.py is its bounded cousin). It
excludes the operations that connect to the addresses they are given or a camera has
(from-onvif, discover, snapshot, ptz): generated addresses would send traffic off this machine.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import PASSWORD, create_user_via_cli
from tests.helpers.live import LiveService, service_settings
from tests.helpers.postgres import PostgresForTests

# Not fuzzed: operations that connect to addresses they are given or a camera (or webhook) has
# (generated ones would send traffic off this machine; each is tested against a real peer
# elsewhere), and logout (it would end the run's own session).
NOT_FUZZED = "(from-onvif|discover|reread|snapshot|/ptz|webhooks/.*/test|auth/logout)"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max-examples", type=int, default=30)
    parser.add_argument("--max-time", type=int, default=600, help="seconds for the whole run")
    parser.add_argument("--role", choices=["admin", "operator", "viewer"], default="admin")
    parser.add_argument("--workers", default="2")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)  # the service runs in this process: quiet it

    postgres = PostgresForTests()
    postgres.start()
    try:
        settings = service_settings(postgres.url, Path(tempfile.mkdtemp()), lpr_enabled=False)
        with LiveService(settings) as service:
            create_user_via_cli(service, "fuzz-root", "superadmin", None)
            root = service.login("fuzz-root", PASSWORD)["access_token"]
            with service.client(root) as client:
                slug = "fuzz-" + uuid.uuid4().hex[:6]
                tenant = client.post("/tenants", json={"slug": slug, "name": "Fuzz"}).json()
                user = {"username": f"{args.role}-{slug}", "role": args.role,
                        "password": PASSWORD, "tenant_id": tenant["id"]}  # fmt: skip
                client.post("/users", json=user)
            token = service.login(f"{args.role}-{slug}", PASSWORD)["access_token"]
            started = time.monotonic()
            command = [
                str(Path(sys.executable).with_name("schemathesis")), "run",
                f"{service.url}/api/v1/openapi.json",
                "--checks", "all",
                "--max-examples", str(args.max_examples),
                "--max-time", str(args.max_time),
                "--workers", args.workers,
                "--generation-allow-x00", "false",
                "--exclude-path-regex", NOT_FUZZED,
                "--header", f"Authorization: Bearer {token}",
                "--suppress-health-check", "all",
                "--continue-on-failure",
            ]  # fmt: skip
            status = subprocess.call(command)
            print(f"fuzz: {time.monotonic() - started:.0f} s, schemathesis exit status {status}")
            return 0 if status == 0 else 1
    finally:
        postgres.close()


if __name__ == "__main__":
    raise SystemExit(main())
