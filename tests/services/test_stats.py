"""Dashboard aggregates against the live service and a real PostgreSQL: counts that match what
was stored, cut at local hours, scoped to the caller's tenant, refused where they must be."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from gtvision.contract import AlertStats, CameraStats, LprStats, ReadStats
from tests.conftest import TenantUsers
from tests.helpers.live import LiveService
from tests.helpers.lpr import pending_read, write_reads
from tests.helpers.postgres import PostgresForTests

pytestmark = pytest.mark.postgres


def test_reads_per_hour_by_camera_count_what_was_stored(
    service: LiveService,
    postgres: PostgresForTests,
    tenant: TenantUsers,
    other_tenant: TenantUsers,
    tmp_path: Path,
) -> None:
    now = datetime.now(UTC).replace(minute=30, second=0, microsecond=0)
    with tenant.client(service) as admin, other_tenant.client(service) as elsewhere:
        busy = admin.post("/cameras", json={"name": "Av. Brasil"}).json()["id"]
        quiet = admin.post("/cameras", json={"name": "Rua Direita"}).json()["id"]
        theirs = elsewhere.post("/cameras", json={"name": "Outra cidade"}).json()["id"]
    reads = [
        *(pending_read(tenant.tenant_id, busy, f"ABC1D{i:02d}", at=now - timedelta(hours=2))
          for i in range(3)),
        pending_read(tenant.tenant_id, busy, "ABC1D50", at=now),
        pending_read(tenant.tenant_id, quiet, "XYZ9A99", at=now),
        pending_read(tenant.tenant_id, busy, "OLD1A11", at=now - timedelta(days=3)),
        *(pending_read(other_tenant.tenant_id, theirs, f"ZZZ1Z{i:02d}", at=now)
          for i in range(5)),
    ]  # fmt: skip
    assert all(write_reads(postgres.url, tmp_path, reads))

    since = (now - timedelta(hours=6)).isoformat()
    until = (now + timedelta(minutes=10)).isoformat()
    with tenant.client(service, "operator") as operator:
        answer = operator.get("/stats/reads", params={"from": since, "to": until})
        assert answer.status_code == 200, answer.text
        stats = ReadStats.model_validate_json(answer.content)
        assert stats.total == 5  # three days ago and the other city are not counted
        assert [(s.camera_name, s.total) for s in stats.cameras] == [
            ("Av. Brasil", 4), ("Rua Direita", 1)
        ]  # fmt: skip
        points = [(p.at.astimezone(UTC), p.count) for p in stats.cameras[0].points]
        hour = now.replace(minute=0)
        assert points == [(hour - timedelta(hours=2), 3), (hour, 1)]

        by_day = operator.get("/stats/reads", params={
            "from": (now - timedelta(days=5)).isoformat(), "to": until, "bucket": "day",
            "tz": "America/Sao_Paulo"})  # fmt: skip
        assert by_day.status_code == 200, by_day.text
        days = ReadStats.model_validate_json(by_day.content).cameras[0].points
        assert sum(p.count for p in days) == 5
        assert all(p.at.utcoffset() == timedelta(hours=-3) for p in days)  # local midnights
        assert all((p.at.hour, p.at.minute) == (0, 0) for p in days)

        for params, needle in (
            ({"from": until, "to": since}, "before"),
            ({"from": (now - timedelta(days=30)).isoformat(), "to": until}, "400 buckets"),
            ({"tz": "Mars/Olympus"}, "time zone"),
        ):
            refused = operator.get("/stats/reads", params=params)
            assert refused.status_code == 422, refused.text
            assert needle in refused.json()["detail"]
        audit = admin_audit(service, tenant, "stats.reads")
        assert audit, "asking for reads statistics is audited like a search"
    with tenant.client(service, "viewer") as viewer:
        assert viewer.get("/stats/reads").status_code == 403


def admin_audit(service: LiveService, tenant: TenantUsers, action: str) -> list[dict[str, object]]:
    with tenant.client(service) as admin:
        answer = admin.get("/audit", params={"action": action})
        assert answer.status_code == 200, answer.text
        return list(answer.json()["items"])


def test_alerts_by_list_and_priority(
    service: LiveService, postgres: PostgresForTests, tenant: TenantUsers, tmp_path: Path
) -> None:
    with tenant.client(service) as admin:
        camera = admin.post("/cameras", json={"name": "Ponte"}).json()["id"]
        stolen = admin.post("/watchlists", json={"name": "Roubados", "category": "stolen"}).json()
        wanted = admin.post("/watchlists", json={"name": "Procurados", "category": "wanted"})
        entries = {
            "RUB1A11": (stolen["id"], 4), "RUB2B22": (stolen["id"], 4),
            "PRO3C33": (wanted.json()["id"], 2),
        }  # fmt: skip
        for plate, (list_id, priority) in entries.items():
            added = admin.post(f"/watchlists/{list_id}/entries",
                               json={"pattern": plate, "priority": priority})  # fmt: skip
            assert added.status_code == 201, added.text
        reads = [pending_read(tenant.tenant_id, camera, plate) for plate in entries]
        assert all(write_reads(postgres.url, tmp_path, reads))
        alerts = admin.get("/alerts", params={"status": "open", "plate": "RUB1A11"}).json()
        first = alerts["items"][0]
        acked = admin.post(f"/alerts/{first['id']}/acknowledge", json={"comment": "viatura"})
        assert acked.status_code == 200, acked.text

        answer = admin.get("/stats/alerts")
        assert answer.status_code == 200, answer.text
    stats = AlertStats.model_validate_json(answer.content)
    assert stats.total == 3
    rows = [(g.watchlist_name, g.priority_name, g.open, g.acknowledged) for g in stats.groups]
    assert rows == [("Roubados", "critical", 1, 1), ("Procurados", "medium", 1, 0)]


def test_cameras_online_over_time_replay_their_status_changes(
    service: LiveService, postgres: PostgresForTests, tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin:
        ids = [admin.post("/cameras", json={"name": f"Cam {i}"}).json()["id"] for i in range(3)]
    now = datetime.now(UTC).replace(minute=10, second=0, microsecond=0)
    history = [  # camera, hours ago, status
        (ids[0], 5, "online"), (ids[1], 5, "online"), (ids[2], 5, "online"),
        (ids[1], 3, "offline"), (ids[1], 1, "online"), (ids[2], 2, "unauthorized"),
    ]  # fmt: skip
    with psycopg.connect(postgres.url.replace("+asyncpg", "")) as db:
        for camera, hours, status in history:
            db.execute(
                "INSERT INTO admin.events (id, tenant_id, type, camera_id, at, data) "
                "VALUES (%s, %s, 'camera.status', %s, %s, %s::jsonb)",
                (uuid.uuid4(), tenant.tenant_id, camera, now - timedelta(hours=hours, minutes=30),
                 f'{{"status": "{status}"}}'),
            )  # fmt: skip
        db.execute("UPDATE streaming.cameras SET status = 'online' WHERE id = ANY(%s)",
                   ([uuid.UUID(i) for i in ids[:2]],))  # fmt: skip
        db.execute("UPDATE streaming.cameras SET status = 'unauthorized' WHERE id = %s", (ids[2],))
    with tenant.client(service, "operator") as operator:
        answer = operator.get("/stats/cameras", params={
            "from": (now - timedelta(hours=6)).isoformat(), "to": now.isoformat()})  # fmt: skip
        assert answer.status_code == 200, answer.text
    stats = CameraStats.model_validate_json(answer.content)
    assert (stats.now.online, stats.now.unauthorized) == (2, 1)
    standing = [(p.online, p.offline, p.unauthorized) for p in stats.points]
    # At each full hour after the start (xx:10), then at the end: the changes came at xx:40.
    assert standing == [
        (3, 0, 0), (3, 0, 0), (2, 1, 0), (1, 1, 1), (2, 0, 1), (2, 0, 1), (2, 0, 1)
    ]  # fmt: skip
    assert [p.at.minute for p in stats.points] == [0] * 6 + [10]


def test_lpr_load_is_for_admins_and_their_cameras_only(
    service: LiveService, tenant: TenantUsers
) -> None:
    with tenant.client(service) as admin:
        answer = admin.get("/stats/lpr")
        assert answer.status_code == 200, answer.text
        stats = LprStats.model_validate_json(answer.content)
        assert stats.storage_backlog >= 0
        assert all(c.camera_id for c in stats.cameras)
    with tenant.client(service, "operator") as operator:
        assert operator.get("/stats/lpr").status_code == 403
