"""A watch-listed plate on the operator's wall: the tile flashes, the pop-up shows the crop,
plate and reason, the operator acknowledges with a comment, and the service records it."""

from __future__ import annotations

import asyncio
import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import httpx
import numpy as np
import pytest
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QInputDialog, QTableWidgetItem

from tests.conftest import PASSWORD, TenantUsers
from tests.console.conftest import Loop, until
from tests.console.test_console import controller_for, sign_in
from tests.helpers.audio import PulseServer, named_tones
from tests.helpers.live import LiveService
from tests.helpers.lpr import pending_read, write_reads
from tests.helpers.postgres import PostgresForTests

pytestmark = pytest.mark.postgres


def _plate_crop(plate: str = "RJX1A23") -> bytes:
    image = np.full((60, 200, 3), 235, np.uint8)
    cv2.putText(image, plate, (10, 42), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (20, 20, 20), 3)
    return cv2.imencode(".jpg", image)[1].tobytes()


def test_an_alarm_pops_up_sounds_and_is_acknowledged(
    loop: Loop, service: LiveService, postgres: PostgresForTests, tenant: TenantUsers,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    with tenant.client(service) as admin:
        camera = admin.post("/cameras", json={"name": "Túnel Rebouças"}).json()["id"]
        wl = admin.post("/watchlists", json={"name": "Roubados", "category": "stolen"}).json()
        admin.post(f"/watchlists/{wl['id']}/entries",
                   json={"pattern": "RJX1A23", "reason": "roubo 12/11", "priority": 4})  # fmt: skip
    controller = controller_for(service.url, "--layout", "2x2")
    shots = Path(os.environ.get("GTV_SCREENSHOTS", tmp_path))

    async def scenario() -> None:
        window = controller.window
        sign_in(controller, f"operator-{tenant.slug}", PASSWORD)
        await until(lambda: window.isVisible(), 20, "the main window")
        await until(lambda: window.link.text().endswith("live"), 20, "the event stream")
        window.wall.fill([camera])
        read = pending_read(tenant.tenant_id, camera, "RJX1A23", crop=_plate_crop())
        stored = await asyncio.to_thread(
            write_reads, postgres.url, service.settings.data_dir / "objects", [read]
        )
        assert stored == [True]
        alarms = window.alarms
        assert alarms is not None
        await until(lambda: alarms.isVisible(), 20, "the alarm pop-up")
        assert alarms.plate.text() == "RJX1A23"
        assert "roubo 12/11" in alarms.details.text()
        assert "Túnel Rebouças" in alarms.details.text()
        await until(lambda: not alarms.crop.pixmap().isNull(), 20, "the plate crop")
        assert window.wall_widget.tiles[0]._flash_until > 0  # the camera's tile flashes
        assert alarms.sound is not None
        await until(lambda: alarms.sound is not None and alarms.sound.wait(0), 20, "the sound")
        assert alarms.sound.backend == "PulseAudio"
        await until(lambda: window.events.count() >= 2, 10, "the read and the alert listed")
        read_row = next(
            window.events.item(i) for i in range(2) if "ALERT" not in window.events.item(i).text()
        )
        await until(lambda: not read_row.icon().isNull(), 20, "the crop beside the read")
        alarms.resize(420, 420)
        await asyncio.sleep(0.3)
        assert alarms.grab().save(str(shots / "console-alarm.png"))

        assert not alarms.acknowledge.isEnabled()  # a comment is required
        alarms.comment.setPlainText("viatura 23 a caminho")
        alarms.acknowledge.click()
        await until(lambda: not alarms.isVisible(), 20, "the alarm acknowledged")
        with tenant.client(service) as admin:
            done = admin.get("/alerts", params={"status": "acknowledged"}).json()["items"]
        assert [(a["plate"], a["comment"]) for a in done] == [("RJX1A23", "viatura 23 a caminho")]
        assert done[0]["acknowledged_by"] == tenant.user_ids["operator"]

        await window.wall.close()
        await controller.session.close()
        window.close()

    with PulseServer() as pulse, pulse.recording() as heard:
        monkeypatch.setenv("PULSE_SERVER", pulse.server)
        loop.run(scenario())
    # The operator heard the chime (its two tones), not just a beep request.
    assert {960.0, 770.0} <= set(named_tones(heard.tones(), {960.0, 770.0}))


def test_plate_search_finds_reads_shows_the_crop_and_exports_csv(
    loop: Loop, service: LiveService, postgres: PostgresForTests, tenant: TenantUsers,
    tmp_path: Path,
) -> None:  # fmt: skip
    with tenant.client(service) as admin:
        camera = admin.post("/cameras", json={"name": "Ponte Rio-Niterói"}).json()["id"]
    reads = [pending_read(tenant.tenant_id, camera, p, crop=_plate_crop())
             for p in ("KZY2B11", "KZY2B12", "PQR9A99")]  # fmt: skip
    assert write_reads(postgres.url, service.settings.data_dir / "objects", reads) == [True] * 3
    controller = controller_for(service.url)

    async def scenario() -> None:
        window = controller.window
        sign_in(controller, f"operator-{tenant.slug}", PASSWORD)
        await until(lambda: window.isVisible(), 20, "the main window")
        panel = window.search

        def cell(row: int, column: int) -> str:
            item = panel.results.item(row, column)
            assert item is not None
            return item.text()

        await until(lambda: panel.camera.count() == 2, 20, "the cameras to search")
        panel.plate.setText("kzy2")
        panel.match.setCurrentIndex(panel.match.findData("prefix"))
        panel.search_button.click()
        await until(lambda: panel.results.rowCount() == 2, 20, "two reads found")
        plates = sorted(cell(r, 1) for r in range(2))
        assert plates == ["KZY2B11", "KZY2B12"]
        assert cell(0, 2) == "Ponte Rio-Niterói"
        panel.results.selectRow(0)
        await until(lambda: not panel.crop.pixmap().isNull(), 20, "the crop of the selected read")

        panel.plate.setText("PQR9A98")  # one character off
        panel.match.setCurrentIndex(panel.match.findData("fuzzy"))
        panel.search_button.click()
        await until(lambda: panel.results.rowCount() == 1, 20, "the similar plate")
        assert cell(0, 1) == "PQR9A99"

        panel.plate.setText("PQR%")
        panel.search_button.click()
        await until(lambda: "plate" in panel.status.text(), 20, "the refusal explained")
        assert panel.results.rowCount() == 0

        target = tmp_path / "placas.csv"
        panel.plate.setText("KZY2")
        panel.match.setCurrentIndex(panel.match.findData("prefix"))
        await window.export_search(panel.query(), target)
        lines = target.read_text().splitlines()
        assert lines[0].startswith("id,at,camera_id,camera_name,plate")
        assert sorted(line.split(",")[4] for line in lines[1:]) == ["KZY2B11", "KZY2B12"]

        await window.wall.close()
        await controller.session.close()
        window.close()

    loop.run(scenario())


def test_a_narrow_search_dock_keeps_time_plate_and_confidence_whole(qapp: object) -> None:
    """Columns shared out evenly cut '03/12/2…' and 'Confidence' off in a 360 px dock."""
    import uuid

    from gtvision.console.widgets.search import CAMERA_COLUMN, PlateSearchPanel
    from gtvision.contract import Detection

    panel = PlateSearchPanel()
    long_name = "Terminal Rodoviário — entrada norte, faixa 2"
    now = datetime.now(UTC)
    reads = [
        Detection(id=uuid.uuid4(), at=at, camera_id=uuid.uuid4(), camera_name=name, plate=plate,
                  confidence=0.97, char_confidences=[0.97] * 7, format="mercosul",
                  box=[0, 0, 1, 1], frames=3, crop_url=None, frame_url=None)
        for at, name, plate in ((now, long_name, "BRA2E19"),
                                (now - timedelta(days=400), "Ponte", "OKL0817"))
    ]  # fmt: skip
    panel.show_results(reads, None, str)
    panel.resize(360, 520)
    panel.show()
    qapp.processEvents()  # type: ignore[attr-defined]
    table, header = panel.results, panel.results.horizontalHeader()
    for row in range(table.rowCount()):
        for column in range(table.columnCount()):
            if column == CAMERA_COLUMN:
                continue
            item = table.item(row, column)
            assert item is not None
            needed = QFontMetrics(item.font()).horizontalAdvance(item.text())  # plate: bold
            assert header.sectionSize(column) >= needed, (row, column, item.text())
    recent, old = (table.item(r, 0) for r in range(2))
    assert recent is not None
    assert old is not None
    assert recent.text() == now.astimezone().strftime("%d/%m %H:%M:%S")  # this year: no year
    assert old.text().count("/") == 2  # another year's read says which
    camera = table.item(0, CAMERA_COLUMN)
    assert camera is not None
    assert camera.toolTip() == long_name  # elided in the cell, whole on hover
    assert header.sectionSize(CAMERA_COLUMN) > 0
    panel.close()


def test_the_most_urgent_alarm_first_and_a_repeat_sighting_is_the_same_alarm(
    qapp: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offline, on the dialog itself: order, sightings, and the priority told in words."""
    from PySide6.QtCore import QSettings

    from gtvision.console.widgets.alarm import Alarm, AlarmDialog

    QSettings().setValue("alarm/sound", "off")
    dialog = AlarmDialog()
    rang: list[int] = []
    monkeypatch.setattr(dialog, "ring", lambda: rang.append(1))

    def alarm(alert_id: str, priority: int) -> Alarm:
        return Alarm(alert_id, f"ABC{alert_id}", "Av. Brasil", "roubo", "Roubados", priority,
                     "03/12 03:00:00", None)  # fmt: skip

    dialog.add(alarm("1", 1))
    dialog.add(alarm("2", 2))
    dialog.add(alarm("3", 4))
    dialog.add(alarm("4", 4))
    assert [a.alert_id for a in dialog.pending] == ["3", "4", "2", "1"]
    assert dialog.current is not None
    assert dialog.current.alert_id == "3"
    assert "CRITICAL" in dialog.details.text() or "CRÍTICA" in dialog.details.text()
    rings = len(rang)
    assert dialog.seen_again("3", 2, "03/12 03:04:00", "/api/v1/detections/x/crop")
    assert len(rang) == rings, "a repeat sighting does not sound a new alarm"
    assert len(dialog.pending) == 4
    assert "03/12 03:04:00" in dialog.details.text()
    assert "2" in dialog.details.text()
    assert not dialog.seen_again("99", 2, "—", None)
    dialog.remove("3")
    assert dialog.current is not None
    assert dialog.current.alert_id == "4"
    dialog.close()


def test_the_alarms_dock_handles_a_night_of_alarms(
    loop: Loop, service: LiveService, postgres: PostgresForTests, tenant: TenantUsers,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """Several alarms waiting: the most urgent on top, a repeat pass counted on its row, two
    acknowledged together with one comment (greyed, with who and why), and from a row to its
    camera (on the wall, maximised), its recording and every read of its plate."""
    monkeypatch.setenv("PULSE_SERVER", f"unix:{tmp_path / 'no-sound'}")
    with tenant.client(service) as admin:
        cameras = [admin.post("/cameras", json={"name": n}).json()["id"]
                   for n in ("Linha Vermelha km 3", "Av. Atlântica 1702")]  # fmt: skip
        wl = admin.post("/watchlists", json={"name": "Noite", "category": "wanted"}).json()
        for plate, priority in (("NGT1A01", 2), ("NGT1A02", 4), ("NGT1A03", 3)):
            entry = {"pattern": plate, "reason": "busca", "priority": priority}
            admin.post(f"/watchlists/{wl['id']}/entries", json=entry)
    controller = controller_for(service.url)
    shots = Path(os.environ.get("GTV_SCREENSHOTS", tmp_path))

    async def scenario() -> None:
        window = controller.window
        sign_in(controller, f"operator-{tenant.slug}", PASSWORD)
        await until(lambda: window.isVisible(), 20, "the main window")
        await until(lambda: window.link.text().endswith("live"), 20, "the event stream")
        now = datetime.now(UTC)
        names = ("Linha Vermelha km 3", "Av. Atlântica 1702")
        reads = [
            pending_read(tenant.tenant_id, cameras[i], plate, at=now + timedelta(seconds=after),
                         camera_name=names[i])
            for i, plate, after in ((0, "NGT1A01", 0), (1, "NGT1A02", 1), (0, "NGT1A03", 2),
                                    (1, "NGT1A02", 30))
        ]  # fmt: skip
        stored = await asyncio.to_thread(
            write_reads, postgres.url, service.settings.data_dir / "objects", reads
        )
        assert stored == [True] * 4
        panel = window.alarm_list
        await until(lambda: len(panel.rows) == 3, 20, "three alarms listed")
        await until(lambda: max(r.sightings for r in panel.rows.values()) == 2, 20, "the repeat")
        assert [r.plate for r in panel.visible()] == ["NGT1A02", "NGT1A03", "NGT1A01"]

        def cell(row: int, column: int) -> QTableWidgetItem:
            item = panel.table.item(row, column)
            assert item is not None
            return item

        assert cell(0, 0).text() in ("CRITICAL", "CRÍTICA")
        assert cell(0, 5).text() == "2"

        panel.table.selectRow(0)
        panel.show_camera.click()
        await until(lambda: window.wall.maximised is not None, 10, "the camera maximised")
        assert window.wall.cameras[window.wall.maximised or 0] == cameras[1]
        panel.show_recording.click()
        await until(lambda: len(window.archives) == 1, 10, "its recording opened")
        window.archives[0].close()
        window.docks["ptz"].raise_()  # the tab the operator left in front
        search_dock = window.docks["search"]
        await until(lambda: search_dock.visibleRegion().isEmpty(), 10, "the search behind PTZ")
        panel.search_plate.click()
        await until(lambda: window.search.plate.text() == "NGT1A02", 10, "the plate searched")
        await until(lambda: not search_dock.visibleRegion().isEmpty(), 10, "its tab in front")

        panel.filter.setText("NGT1A0")
        panel.table.clearSelection()
        for row in (0, 1):
            cell(row, 0).setSelected(True)
        monkeypatch.setattr(QInputDialog, "getText",
                            lambda *a, **k: ("guarnição 12 acionada", True))  # fmt: skip
        panel.acknowledge.click()
        await until(lambda: sum(not r.open for r in panel.rows.values()) == 2, 20, "two handled")
        handled = [r for r in panel.visible() if not r.open]
        assert {r.plate for r in handled} == {"NGT1A02", "NGT1A03"}
        assert all(r.comment == "guarnição 12 acionada" for r in handled)
        assert all(r.acknowledged_by == f"operator-{tenant.slug}" for r in handled)
        assert panel.visible()[0].plate == "NGT1A01", "what still waits comes first"
        window.resize(1600, 900)
        await asyncio.sleep(0.3)
        assert window.grab().save(str(shots / "console-alarms-dock.png"))

        # The camera is removed; its alarm, restored at the next sign-in, still names it.
        async with httpx.AsyncClient(base_url=f"{service.url}/api/v1", headers={
            "Authorization": f"Bearer {tenant.tokens['admin']}"}) as admin:  # fmt: skip
            cam = await admin.get(f"/cameras/{cameras[0]}")
            gone = await admin.delete(f"/cameras/{cameras[0]}",
                                      headers={"If-Match": cam.headers["etag"]})  # fmt: skip
            assert gone.status_code == 204, gone.text
        await until(lambda: cameras[0] not in controller.session.cameras, 20, "directory event")
        window.sign_out_action.trigger()
        await until(lambda: controller.login.isVisible(), 20, "signed out")
        sign_in(controller, f"operator-{tenant.slug}", PASSWORD)
        await until(lambda: not controller.login.isVisible(), 20, "signed in again")
        await until(lambda: "NGT1A01" in {r.plate for r in panel.rows.values()}, 20, "restored")
        [restored] = [r for r in panel.rows.values() if r.plate == "NGT1A01"]
        assert restored.camera == "Linha Vermelha km 3"
        await window.wall.close()
        await controller.session.close()
        window.close()

    loop.run(scenario())


def test_an_alarm_restored_at_sign_in_names_the_camera_as_the_directory_does_now(
    loop: Loop, service: LiveService, postgres: PostgresForTests, tenant: TenantUsers,
    tmp_path: Path,
) -> None:  # fmt: skip
    """The camera was renamed after the alert: the pop-up at sign-in says its name now (the
    directory is read before anything reacts to the sign-in), not the one the alert kept."""
    with tenant.client(service) as admin:
        camera = admin.post("/cameras", json={"name": "Câmera provisória"}).json()["id"]
        wl = admin.post("/watchlists", json={"name": "Clonados", "category": "wanted"}).json()
        admin.post(f"/watchlists/{wl['id']}/entries",
                   json={"pattern": "QRS4T56", "reason": "clonada", "priority": 3})  # fmt: skip
    read = pending_read(tenant.tenant_id, camera, "QRS4T56", crop=_plate_crop("QRS4T56"))
    assert write_reads(postgres.url, service.settings.data_dir / "objects", [read]) == [True]
    with tenant.client(service) as admin:
        etag = admin.get(f"/cameras/{camera}").headers["ETag"]
        renamed = admin.patch(f"/cameras/{camera}", headers={"If-Match": etag},
                              json={"name": "Av. Paulista x Consolação"})  # fmt: skip
        assert renamed.status_code == 200, renamed.text
    controller = controller_for(service.url, "--layout", "2x2")

    async def scenario() -> None:
        window = controller.window
        sign_in(controller, f"operator-{tenant.slug}", PASSWORD)
        alarms = window.alarms
        assert alarms is not None
        await until(lambda: alarms.isVisible(), 20, "the alarm restored at sign-in")
        assert alarms.plate.text() == "QRS4T56"
        assert "Av. Paulista x Consolação" in alarms.details.text(), alarms.details.text()
        await until(lambda: not alarms.crop.pixmap().isNull(), 20, "the plate crop")
        shots = Path(os.environ.get("GTV_SCREENSHOTS", tmp_path))
        assert alarms.grab().save(str(shots / "console-alarm-at-sign-in.png"))
        await window.wall.close()
        await controller.session.close()
        window.close()

    loop.run(scenario())
