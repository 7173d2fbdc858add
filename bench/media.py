"""Reconcile benchmark: 500 cameras (1,000 MediaMTX paths) from empty, after a restart, steady.

Runs the real reconciler and Control API client on embedded PostgreSQL against the MediaMTX
stand-in from the tests (request validation off, so the figures are ours, not the validator's).

    .venv/bin/python bench/media.py [--cameras 500] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gtvision.services.auth.keys import Keys
from gtvision.services.media.mediamtx import MediaMtxClient
from gtvision.services.media.reconciler import Reconciler
from gtvision.services.store import migrate
from gtvision.services.store.db import Database
from gtvision.services.store.models import Camera, Tenant
from gtvision.services.store.tenancy import Scope
from tests.helpers.fake_mediamtx import FakeMediaMtx
from tests.helpers.postgres import PostgresForTests


async def _run(args: argparse.Namespace, url: str, fake: FakeMediaMtx) -> None:
    keys = Keys(b"bench-secret-0123456789abcdefghijklmnop")
    db = Database(url)
    await migrate.upgrade(db)
    async with db.session(Scope.all_tenants()) as session:
        tenants = [Tenant(slug=f"bench-{i}", name=f"Bench {i}") for i in range(5)]
        session.add_all(tenants)
        await session.flush()
        for i in range(args.cameras):
            session.add(
                Camera(
                    tenant_id=tenants[i % 5].id,
                    name=f"cam-{i}",
                    username="admin",
                    password_encrypted=keys.encrypt(f"pw-{i}"),
                    main_profile={"stream_uri": f"rtsp://10.0.{i // 250}.{i % 250}:554/main"},
                    sub_profile={"stream_uri": f"rtsp://10.0.{i // 250}.{i % 250}:554/sub"},
                )
            )
    client = MediaMtxClient(fake.url)
    reconciler = Reconciler(db, client, keys)
    try:
        for label in ("from empty", "steady (no change)"):
            result = await reconciler.reconcile_once()
            print(
                f"{label:>20}: {result.seconds:6.2f} s  {result.calls:5d} API calls  "
                f"{len(result.plan):5d} changes  ({len(fake.paths)} paths)"
            )
        fake.restart()
        result = await reconciler.reconcile_once()
        print(
            f"{'after a restart':>20}: {result.seconds:6.2f} s  {result.calls:5d} API calls  "
            f"{len(result.plan):5d} changes  ({len(fake.paths)} paths)"
        )
    finally:
        await client.aclose()
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cameras", type=int, default=500)
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("GTV_SHARED", "../shared"))
    )
    args = parser.parse_args()
    postgres = PostgresForTests(prefix="gtv-bench-media-")
    fake = FakeMediaMtx(args.shared / "mediamtx" / "openapi.yaml", validate=False).start()
    try:
        asyncio.run(_run(args, postgres.start(), fake))
    finally:
        fake.stop()
        postgres.close()


if __name__ == "__main__":
    main()
