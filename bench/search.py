"""Plate search at scale: exact, prefix and fuzzy p50/p95 over N million plate reads.

Starts an embedded PostgreSQL in a temporary dir, brings the schema up with the service's own
migrations, bulk-loads ``--rows`` synthetic Mercosur plates spread over a year (monthly
partitions, the service's indexes), ``ANALYZE``s, then times the statements the search API
runs (:func:`gtvision.services.store.queries.detections`, tenant-scoped, first page of 50)
for random plates that exist, with one character changed for fuzzy.

    .venv/bin/python bench/search.py [--rows 10000000] [--queries 200]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import string
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from gtvision.services.lpr.plates import plate_key
from gtvision.services.store import migrate
from gtvision.services.store.db import Database
from gtvision.services.store.models import Camera, Detection, Tenant
from gtvision.services.store.partitions import ensure_partition, month_start, next_month
from gtvision.services.store.queries import detections
from gtvision.services.store.tenancy import Scope
from tests.helpers.postgres import PostgresForTests

LETTER = "chr(65 + floor(random() * 26)::int)"
DIGIT = "floor(random() * 10)::int::text"
PLATE = f"{LETTER} || {LETTER} || {LETTER} || {DIGIT} || {LETTER} || {DIGIT} || {DIGIT}"
BATCH = 1_000_000


async def load(db: Database, rows: int) -> tuple[uuid.UUID, uuid.UUID]:
    now = datetime.now(UTC)
    async with db.session(Scope.all_tenants()) as s:
        tenant = Tenant(slug=f"bench-{uuid.uuid4().hex[:6]}", name="Bench")
        s.add(tenant)
        await s.flush()
        camera = Camera(tenant_id=tenant.id, name="Bench camera")
        s.add(camera)
        await s.flush()
        start = month_start(now - timedelta(days=366))
        while start <= now:
            await ensure_partition(s, start)
            start = next_month(start)
        ids = (tenant.id, camera.id)
    started = time.perf_counter()
    for done in range(0, rows, BATCH):
        n = min(BATCH, rows - done)
        async with db.session(Scope.all_tenants()) as s:
            await s.execute(text(f"""
                INSERT INTO ai.detections (id, at, tenant_id, camera_id, plate, plate_key,
                    confidence, char_confidences, format, box, frames)
                SELECT gen_random_uuid(), now() - random() * interval '365 days', :t, :c,
                       p, translate(p, 'OQDIBSZG', '00018526'), 0.9, '[]', 'mercosul', '[]', 3
                FROM (SELECT {PLATE} AS p FROM generate_series(1, :n)) plates
            """), {"t": ids[0], "c": ids[1], "n": n})  # fmt: skip
        print(f"  loaded {done + n:>10,} rows ({time.perf_counter() - started:.0f} s)", flush=True)
    async with db.engine.connect() as conn:
        await conn.execution_options(isolation_level="AUTOCOMMIT")
        await conn.execute(text("VACUUM ANALYZE ai.detections"))
    return ids


async def run(rows: int, n_queries: int) -> None:
    pg = PostgresForTests(prefix="gtv-bench-search-")
    url = pg.start()
    db = Database(url, pool_size=4, timeout_s=60)
    try:
        await migrate.upgrade(db)
        print(f"loading {rows:,} plate reads …")
        tenant_id, _ = await load(db, rows)
        async with db.session(Scope.all_tenants()) as s:
            size = await s.scalar(
                text(
                    "SELECT pg_size_pretty(sum(pg_total_relation_size(inhrelid))) FROM pg_inherits "
                    "WHERE inhparent = 'ai.detections'::regclass"
                )
            )
            sample = list(await s.scalars(
                select(Detection.plate).order_by(text("random()")).limit(n_queries)
            ))  # fmt: skip
        print(f"table with indexes: {size}")
        rng = random.Random(7)

        def one_off(p: str) -> str:
            i = rng.randrange(len(p))
            alphabet = string.digits if p[i].isdigit() else string.ascii_uppercase
            return p[:i] + rng.choice([c for c in alphabet if c != p[i]]) + p[i + 1 :]

        cases = {
            "exact": [{"exact": p} for p in sample],
            "prefix (3 chars)": [{"prefix": p[:3]} for p in sample],
            "prefix (5 chars)": [{"prefix": p[:5]} for p in sample],
            "fuzzy (1 wrong)": [{"fuzzy_key": plate_key(one_off(p))} for p in sample],
        }
        print(f"\n{'search':<18} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'rows/page':>10}")
        for name, params in cases.items():
            times, found = [], []
            for kwargs in params:
                async with db.read_session(Scope.tenant(tenant_id)) as s:
                    t0 = time.perf_counter()
                    result = (await s.execute(detections(**kwargs).limit(51))).all()  # type: ignore[arg-type]
                    times.append((time.perf_counter() - t0) * 1e3)
                    found.append(len(result))
            p50, p95, p99 = np.percentile(times, [50, 95, 99])
            print(f"{name:<18} {p50:>8.2f} {p95:>8.2f} {p99:>8.2f} {statistics.mean(found):>10.1f}")
    finally:
        await db.dispose()
        pg.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(run(args.rows, args.queries))


if __name__ == "__main__":
    main()
