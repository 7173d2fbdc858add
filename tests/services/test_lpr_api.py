"""Watch lists, alerts, plate search and crop links on the live service, with reads stored by
the service's own LPR writer into the real PostgreSQL."""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import psycopg
import pytest
from websockets.sync.client import connect

from gtvision.services.alerts import escalation
from gtvision.services.lpr.spool import Spool
from gtvision.services.lpr.writer import DetectionWriter
from gtvision.services.objects.store import LocalObjectStore
from gtvision.services.store.db import Database
from tests.conftest import TenantUsers, run_cli
from tests.helpers.live import LiveService
from tests.helpers.lpr import JPEG, pending_read, write_reads
from tests.helpers.postgres import PostgresForTests


@pytest.fixture
def camera(service: LiveService, tenant: TenantUsers) -> str:
    with tenant.client(service) as admin:
        created = admin.post("/cameras", json={"name": f"LPR {uuid.uuid4().hex[:6]}"})
        assert created.status_code == 201, created.text
        camera_id: str = created.json()["id"]
        return camera_id


def _store(service: LiveService, postgres: PostgresForTests, reads: list) -> list[bool]:  # type: ignore[type-arg]
    return write_reads(postgres.url, service.settings.data_dir / "objects", reads)


def test_watchlists_entries_and_csv(service: LiveService, tenant: TenantUsers) -> None:
    with tenant.client(service) as admin, tenant.client(service, "operator") as operator:
        created = admin.post("/watchlists", json={"name": "Roubados", "category": "stolen"})
        assert created.status_code == 201, created.text
        wl = created.json()
        assert (
            admin.post("/watchlists", json={"name": "Roubados", "category": "stolen"}).status_code
            == 409
        )
        assert (
            operator.post("/watchlists", json={"name": "x", "category": "other"}).status_code == 403
        )
        with tenant.client(service, "viewer") as viewer:
            assert viewer.get("/watchlists").status_code == 403

        entries = f"/watchlists/{wl['id']}/entries"
        bad = admin.post(entries, json={"pattern": "ABC%"})
        assert bad.status_code == 422
        assert "ABC%" in bad.json()["detail"]
        entry = admin.post(entries, json={"pattern": "abc-1d23", "reason": "roubo", "priority": 4})
        assert entry.status_code == 201
        assert entry.json()["pattern"] == "ABC1D23"
        assert admin.post(entries, json={"pattern": "ABC1D23"}).status_code == 409

        csv_text = (
            "pattern,reason,priority\n"
            "ABC1D23,roubo confirmado,4\n"  # updates the entry above
            "QWE*,frota suspeita,2\n"
            "bad%,x,2\n"
            "ZZZ9999,,7\n"
        )
        report = admin.post(
            f"{entries}/import", content=csv_text.encode(), headers={"Content-Type": "text/csv"}
        )
        assert report.status_code == 200, report.text
        body = report.json()
        assert (body["imported"], body["updated"]) == (1, 1)
        assert [e["line"] for e in body["errors"]] == [4, 5]

        exported = operator.get(f"{entries}/export")
        assert exported.headers["content-type"].startswith("text/csv")
        lines = exported.text.splitlines()
        assert lines[0] == "pattern,reason,priority,expires_at"
        assert sorted(lines[1:]) == ["ABC1D23,roubo confirmado,4,", "QWE*,frota suspeita,2,"]

        audit = admin.get("/audit", params={"action": "watchlist.import"}).json()["items"]
        assert audit
        assert audit[0]["detail"]["rejected"] == 2


def test_a_watch_listed_read_raises_an_alert_that_an_operator_acknowledges(
    service: LiveService, postgres: PostgresForTests, tenant: TenantUsers, camera: str
) -> None:
    with tenant.client(service) as admin:
        wl = admin.post("/watchlists", json={"name": "Procurados", "category": "wanted"}).json()
        admin.post(
            f"/watchlists/{wl['id']}/entries",
            json={"pattern": "BRA2*", "reason": "mandado", "priority": 3},
        )
        allowed = admin.post(
            "/watchlists", json={"name": "Frota", "category": "authorised", "raises_alerts": False}
        ).json()
        admin.post(f"/watchlists/{allowed['id']}/entries", json={"pattern": "BRA2E19"})

    ws_url = service.url.replace("http", "ws") + "/api/v1/events"
    with connect(f"{ws_url}?token={tenant.tokens['viewer']}&types=plate.read,alert.raised") as ws:
        hit, miss = (
            pending_read(tenant.tenant_id, camera, "BRA2E19"),
            pending_read(tenant.tenant_id, camera, "OUT1A11"),
        )
        assert _store(service, postgres, [hit, miss]) == [True, True]
        received = [json.loads(ws.recv(timeout=10)) for _ in range(3)]
    kinds = sorted((m["type"], m["data"]["plate"]) for m in received)
    assert kinds == [
        ("alert.raised", "BRA2E19"),
        ("plate.read", "BRA2E19"),
        ("plate.read", "OUT1A11"),
    ]
    raised = next(m for m in received if m["type"] == "alert.raised")
    assert raised["data"]["reason"] == "mandado"
    assert raised["camera_id"] == camera

    with tenant.client(service, "operator") as operator, tenant.client(service, "viewer") as viewer:
        open_alerts = operator.get("/alerts", params={"status": "open"}).json()["items"]
        assert [a["plate"] for a in open_alerts] == ["BRA2E19"]
        alert = open_alerts[0]
        assert alert["crop_url"]
        window = {"camera": camera, "from": hit.at.isoformat(), "to": hit.at.isoformat()}
        assert operator.get("/alerts", params=window).json()["items"] == []  # "to" excludes
        window["to"] = (hit.at + timedelta(seconds=1)).isoformat()
        assert [a["id"] for a in operator.get("/alerts", params=window).json()["items"]] == [
            alert["id"]
        ]
        assert alert["priority"] == 3
        ack = f"/alerts/{alert['id']}/acknowledge"
        assert viewer.post(ack, json={"comment": "ok"}).status_code == 403
        assert operator.post(ack, json={"comment": ""}).status_code == 422
        done = operator.post(ack, json={"comment": "viatura enviada"})
        assert done.status_code == 200, done.text
        assert done.json()["status"] == "acknowledged"
        assert done.json()["acknowledged_by"] == tenant.user_ids["operator"]
        assert operator.post(ack, json={"comment": "de novo"}).status_code == 409
        assert operator.get("/alerts", params={"status": "open"}).json()["items"] == []
    with tenant.client(service) as admin:
        audit = admin.get("/audit", params={"action": "alert.acknowledge"}).json()["items"]
        assert audit[0]["detail"]["comment"] == "viatura enviada"


def test_reads_and_alerts_of_a_removed_camera_still_name_it(
    service: LiveService, postgres: PostgresForTests, tenant: TenantUsers
) -> None:
    """An operator looking at last week's reads or alarms of a camera removed since sees
    its name, not an id (renamed and still there: its name now)."""
    with tenant.client(service) as admin:
        created = admin.post("/cameras", json={"name": "Av. Brasil x Rua 7"})
        assert created.status_code == 201, created.text
        camera_id = created.json()["id"]
        kept = admin.post("/cameras", json={"name": "Rodoviária"}).json()
        wl = admin.post("/watchlists", json={"name": "Clonados", "category": "wanted"}).json()
        admin.post(f"/watchlists/{wl['id']}/entries", json={"pattern": "GON3E01"})
    reads = [
        pending_read(tenant.tenant_id, camera_id, "GON3E01", camera_name="Av. Brasil x Rua 7"),
        pending_read(tenant.tenant_id, kept["id"], "GON3E02", camera_name="Rodoviária"),
    ]
    assert _store(service, postgres, reads) == [True, True]
    with tenant.client(service) as admin:
        renamed = admin.patch(f"/cameras/{kept['id']}", json={"name": "Terminal Rodoviário"},
                              headers={"If-Match": f'"{kept["version"]}"'})  # fmt: skip
        assert renamed.status_code == 200, renamed.text
        cam = admin.get(f"/cameras/{camera_id}")
        gone = admin.delete(f"/cameras/{camera_id}", headers={"If-Match": cam.headers["etag"]})
        assert gone.status_code == 204, gone.text
    with tenant.client(service, "operator") as operator:
        found = operator.get("/detections", params={"plate": "GON3E0", "match": "prefix"})
        names = {r["plate"]: r["camera_name"] for r in found.json()["items"]}
        assert names == {"GON3E01": "Av. Brasil x Rua 7", "GON3E02": "Terminal Rodoviário"}
        [alert] = operator.get("/alerts", params={"camera": camera_id}).json()["items"]
        assert alert["camera_name"] == "Av. Brasil x Rua 7"
        day = {"from": (reads[0].at - timedelta(hours=1)).isoformat(),
               "to": (reads[0].at + timedelta(hours=1)).isoformat()}  # fmt: skip
        stats = operator.get("/stats/reads", params=day).json()["cameras"]
        assert {c["camera_id"]: c["camera_name"] for c in stats}[camera_id] == "Av. Brasil x Rua 7"
        exported = operator.get("/detections/export", params={"plate": "GON3E01"}).text
        assert "Av. Brasil x Rua 7" in exported


def test_plate_search_exact_prefix_fuzzy_paged_and_audited(
    service: LiveService, postgres: PostgresForTests, tenant: TenantUsers, camera: str
) -> None:
    now = datetime.now(UTC)
    plates = ["RIO2A18", "RIO2A19", "RIO9Z99", "SAO1B23", "0SC8B15"]
    reads = [
        pending_read(tenant.tenant_id, camera, p, at=now - timedelta(minutes=i))
        for i, p in enumerate(plates)
    ]
    assert all(_store(service, postgres, reads))
    by_id = {str(r.id): r.plate for r in reads}

    with tenant.client(service, "operator") as op:

        def plates_for(**params: str) -> list[str]:
            response = op.get("/detections", params=params)
            assert response.status_code == 200, response.text
            return [d["plate"] for d in response.json()["items"] if d["id"] in by_id]

        assert plates_for(plate="rio2a18") == ["RIO2A18"]
        assert plates_for(plate="RIO2", match="prefix") == ["RIO2A18", "RIO2A19"]
        # One wrong character, and confusable glyphs count as equal (O/0, S/5, B/8).
        assert plates_for(plate="RIO2A17", match="fuzzy") == ["RIO2A18", "RIO2A19"]
        assert plates_for(plate="OSC8815", match="fuzzy") == ["0SC8B15"]
        assert plates_for(plate="ABC1234", match="fuzzy") == []
        assert plates_for(
            camera=camera, **{"from": (now - timedelta(minutes=2.5)).isoformat()}
        ) == [
            "RIO2A18",
            "RIO2A19",
            "RIO9Z99",
        ]

        first = op.get("/detections", params={"camera": camera, "limit": 2}).json()
        second = op.get(
            "/detections", params={"camera": camera, "limit": 2, "cursor": first["next_cursor"]}
        ).json()
        assert "items" in second, second
        assert [d["plate"] for d in first["items"] + second["items"]] == plates[:4]
        item = first["items"][0]
        assert item["camera_name"]
        assert item["crop_url"]
        assert item["frames"] == 3

        for params, word in [
            ({"plate": "RIO%"}, "plate"),
            ({"plate": "RIO", "match": "fuzzy"}, "fuzzy"),
            ({"match": "regex"}, "match"),
            ({"cursor": "not-a-cursor"}, "cursor"),
            ({"from": now.isoformat(), "to": (now - timedelta(days=1)).isoformat()}, "before"),
        ]:
            bad = op.get("/detections", params=params)
            assert bad.status_code == 422, (params, bad.text)
            assert word in bad.text, (params, bad.text)

        exported = op.get("/detections/export", params={"plate": "RIO", "match": "prefix"})
        assert exported.status_code == 200
        rows = exported.text.splitlines()
        assert rows[0].startswith("id,at,camera_id,camera_name,plate")
        assert sorted(r.split(",")[4] for r in rows[1:]) == ["RIO2A18", "RIO2A19", "RIO9Z99"]

    with tenant.client(service, "viewer") as viewer:
        assert viewer.get("/detections").status_code == 403
    with tenant.client(service) as admin:
        searches = admin.get("/audit", params={"action": "detection.search"}).json()["items"]
        assert any(
            e["detail"]["plate"] == "RIO2A17" and e["detail"]["match"] == "fuzzy" for e in searches
        )
        exports = admin.get("/audit", params={"action": "detection.export"}).json()["items"]
        assert exports[0]["detail"]["rows"] == 3


def test_crop_links_are_signed_and_expire(
    service: LiveService, postgres: PostgresForTests, tenant: TenantUsers, camera: str
) -> None:
    read = pending_read(tenant.tenant_id, camera, "IMG1A23", crop=JPEG + b"crop")
    assert _store(service, postgres, [read]) == [True]
    with tenant.client(service, "viewer") as viewer:
        redirect = viewer.get(f"/detections/{read.id}/crop")
        assert redirect.status_code == 307
        link = redirect.headers["location"]
        assert viewer.get(f"/detections/{uuid.uuid4()}/crop").status_code == 404
    image = httpx.get(link)  # no token: the signature is the authorisation
    assert image.status_code == 200
    assert image.content == JPEG + b"crop"
    parts = urlsplit(link)
    query = parse_qs(parts.query)
    base = f"{parts.scheme}://{parts.netloc}{parts.path}"
    forged = httpx.get(base, params={"expires": query["expires"][0], "sig": "A" * 24})
    assert forged.status_code == 403
    longer = httpx.get(
        base, params={"expires": int(query["expires"][0]) + 3600, "sig": query["sig"][0]}
    )
    assert longer.status_code == 403
    other_key = base.replace(str(read.id), str(uuid.uuid4()))
    assert httpx.get(other_key, params={k: v[0] for k, v in query.items()}).status_code == 403


def test_retention_deletes_old_reads_and_their_images(
    service: LiveService, postgres: PostgresForTests, tenant: TenantUsers, camera: str
) -> None:
    now = datetime.now(UTC)
    with tenant.client(service) as admin:
        wl = admin.post("/watchlists", json={"name": "Retidos", "category": "wanted"}).json()
        for plate in ("OLD1A11", "NEW1A11"):
            admin.post(f"/watchlists/{wl['id']}/entries", json={"pattern": plate})
    old = pending_read(tenant.tenant_id, camera, "OLD1A11", at=now - timedelta(days=10))
    aged = pending_read(tenant.tenant_id, camera, "AGE1A11", at=now - timedelta(days=3))
    fresh = pending_read(tenant.tenant_id, camera, "NEW1A11", at=now)
    ancient = pending_read(tenant.tenant_id, camera, "ANC1A11", at=now - timedelta(days=4000))
    assert all(_store(service, postgres, [old, aged, fresh, ancient]))
    objects = service.settings.data_dir / "objects"
    assert list(objects.rglob(f"{old.id}.jpg"))
    # The stream's events are stamped when published: date them as if published with the
    # reads, and a camera's status change from 10 days ago (kept: no plate in it).
    with psycopg.connect(postgres.url.replace("+asyncpg", "")) as conn:
        conn.execute(
            "UPDATE admin.events SET at = now() - interval '10 days' "
            "WHERE tenant_id = %s AND data->>'plate' IN ('OLD1A11', 'ANC1A11')",
            (tenant.tenant_id,),
        )
        conn.execute(
            "UPDATE admin.events SET at = now() - interval '3 days' "
            "WHERE tenant_id = %s AND data->>'plate' = 'AGE1A11'",
            (tenant.tenant_id,),
        )
        conn.execute(
            "INSERT INTO admin.events (id, at, tenant_id, type, camera_id, data) VALUES "
            "(gen_random_uuid(), now() - interval '10 days', %s, 'camera.status', %s, "
            """'{"status": "online"}')""",
            (tenant.tenant_id, camera),
        )

    def plates_in_events() -> set[str]:
        with psycopg.connect(postgres.url.replace("+asyncpg", "")) as conn:
            rows = conn.execute(
                "SELECT type, data->>'plate' FROM admin.events WHERE tenant_id = %s",
                (tenant.tenant_id,),
            ).fetchall()
        return {f"{kind} {plate}" if plate else kind for kind, plate in rows}

    assert {"plate.read OLD1A11", "alert.raised OLD1A11", "camera.status"} <= plates_in_events()

    with tenant.client(service) as admin:
        me = admin.get(f"/tenants/{tenant.tenant_id}").json()
        changed = admin.patch(
            f"/tenants/{tenant.tenant_id}",
            headers={"If-Match": f'"{me["version"]}"'},
            json={"detection_retention_days": 7, "crop_retention_days": 2},
        )
        assert changed.status_code == 200, changed.text
        assert admin.patch(f"/tenants/{tenant.tenant_id}", json={"name": "x"}).status_code == 403

    out = run_cli(service.settings, "retention").stdout
    assert "detections_p" in out  # the month of the 4000-day-old read went whole

    with tenant.client(service, "operator") as op:
        found = {
            d["plate"]: d for d in op.get("/detections", params={"camera": camera}).json()["items"]
        }
    assert set(found) == {"AGE1A11", "NEW1A11"}
    assert found["AGE1A11"]["crop_url"] is None
    assert found["NEW1A11"]["crop_url"]
    assert not list(objects.rglob(f"{old.id}.jpg"))
    assert not list(objects.rglob(f"{aged.id}.jpg"))
    assert list(objects.rglob(f"{fresh.id}.jpg"))
    # Alerts and events name plates: they go with the reads (LGPD), status history stays.
    with tenant.client(service, "operator") as op:
        alerts = {a["plate"] for a in op.get("/alerts", params={"camera": camera}).json()["items"]}
    assert alerts == {"NEW1A11"}
    left = plates_in_events()
    assert not {e for e in left if e.endswith(("OLD1A11", "ANC1A11"))}, left
    assert {"plate.read AGE1A11", "plate.read NEW1A11", "alert.raised NEW1A11"} <= left
    assert "camera.status" in left
    assert "alerts deleted: 1;" in out


def test_a_read_that_can_never_be_stored_is_set_aside_and_the_queue_goes_on(
    postgres: PostgresForTests, tenant: TenantUsers, camera: str, tmp_path: Path
) -> None:
    async def main() -> tuple[int, list[Path]]:
        db = Database(postgres.url)
        spool = Spool(tmp_path / "queue")
        store = LocalObjectStore(tmp_path / "objects", b"k" * 32, "http://127.0.0.1")
        writer = DetectionWriter(db, store, spool)
        orphan = pending_read(uuid.uuid4(), camera, "ORF1A11")  # a tenant deleted meanwhile
        good = pending_read(tenant.tenant_id, camera, "BOA1A11")
        await spool.append(orphan)
        await spool.append(good)
        task = asyncio.create_task(writer.run())
        try:
            for _ in range(200):
                if writer.stats.written:
                    break
                await asyncio.sleep(0.05)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await db.dispose()
        return writer.stats.written, sorted((tmp_path / "queue").glob("*.bad"))

    written, bad = asyncio.run(main())
    assert written == 1
    assert len(bad) == 1  # kept for a human, out of the way


def test_the_same_car_again_updates_its_open_alert_and_a_critical_one_is_announced_again(
    service: LiveService, postgres: PostgresForTests, tenant: TenantUsers, camera: str
) -> None:
    """13 minutes of a control room: a watched car passing the same camera again and again
    is one alarm with its sightings, not one alarm per pass."""
    with tenant.client(service) as admin:
        wl = admin.post("/watchlists", json={"name": "Roubados", "category": "stolen"}).json()
        stolen = {"pattern": "RPT4A56", "reason": "roubo", "priority": 4}
        entry = admin.post(f"/watchlists/{wl['id']}/entries", json=stolen)
        assert entry.status_code == 201, entry.text
        assert entry.json()["priority_name"] == "critical"
        other = admin.post("/cameras", json={"name": f"Outra {uuid.uuid4().hex[:4]}"}).json()["id"]
    now = datetime.now(UTC)
    passes = [pending_read(tenant.tenant_id, camera, "RPT4A56", at=now + timedelta(seconds=s))
              for s in (0, 40, 90)]  # fmt: skip
    elsewhere = pending_read(tenant.tenant_id, other, "RPT4A56", at=now + timedelta(seconds=95))
    much_later = pending_read(tenant.tenant_id, camera, "RPT4A56", at=now + timedelta(seconds=500))
    types = "alert.raised,alert.updated,alert.reannounced"
    ws_url = service.url.replace("http", "ws") + f"/api/v1/events?types={types}"
    with connect(f"{ws_url}&token={tenant.tokens['viewer']}") as ws:
        assert _store(service, postgres, [*passes, elsewhere, much_later]) == [True] * 5
        received = [json.loads(ws.recv(timeout=10)) for _ in range(5)]
        assert [m["type"] for m in received] == [
            "alert.raised", "alert.updated", "alert.updated", "alert.raised", "alert.raised"
        ]  # fmt: skip
        first = received[0]["data"]
        assert [m["data"]["alert_id"] for m in received[1:3]] == [first["alert_id"]] * 2
        assert received[2]["data"]["sightings"] == 3
        assert received[2]["data"]["detection_id"] == str(passes[2].id)
        assert first["priority_name"] == "critical"
        assert received[3]["camera_id"] == other, "another camera is another alarm"

        async def reannounce(every_s: float) -> int:
            db = Database(postgres.url)
            try:
                return await escalation.reannounce_due(db, every_s)
            finally:
                await db.dispose()

        assert asyncio.run(reannounce(3600.0)) == 0, "nothing is due an hour early"
        assert asyncio.run(reannounce(0.0)) >= 3
        again = [json.loads(ws.recv(timeout=10)) for _ in range(3)]
        assert {m["type"] for m in again} == {"alert.reannounced"}
        assert first["alert_id"] in {m["data"]["alert_id"] for m in again}
        assert asyncio.run(reannounce(3600.0)) == 0, "announced once per period, not per pass"

    with tenant.client(service, "operator") as operator:
        listed = operator.get("/alerts", params={"camera": camera, "status": "open"}).json()
        by_id = {a["id"]: a for a in listed["items"]}
        covered = by_id[first["alert_id"]]
        assert covered["sightings"] == 3
        assert covered["last_detection_id"] == str(passes[2].id)
        assert covered["priority_name"] == "critical"
        assert covered["watchlist_name"] == "Roubados"  # a name, not a pattern, at sign-in
        for alert_id in by_id:
            operator.post(f"/alerts/{alert_id}/acknowledge", json={"comment": "abordado"})
        for alert in operator.get("/alerts", params={"camera": other, "status": "open"}).json()[
            "items"
        ]:
            operator.post(f"/alerts/{alert['id']}/acknowledge", json={"comment": "abordado"})
    after_ack = pending_read(tenant.tenant_id, camera, "RPT4A56", at=now + timedelta(seconds=520))
    with connect(f"{ws_url}&token={tenant.tokens['viewer']}") as ws:
        assert _store(service, postgres, [after_ack]) == [True]
        assert json.loads(ws.recv(timeout=10))["type"] == "alert.raised", "acknowledged: anew"
