"""The city set up from the console, against the live service: cameras found and added, their
settings (ROI drawn with the mouse, a colleague's change met with the conflict dialog), zones,
watch lists, users, webhooks, audit, the dashboard; and a viewer offered none of it.

Set ``GTV_SCREENSHOTS=DIR`` to keep each dialog's screenshot for a human look.
"""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from pyqtgraph.graphicsItems import DateAxisItem as pg_dates
from PySide6.QtCore import QByteArray, QLocale, QMimeData, QPoint, Qt, QTranslator
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from gtvision.console.admin.audit import AuditViewer
from gtvision.console.admin.camera_settings import CameraSettings
from gtvision.console.admin.dashboard import Dashboard, LocaleDateAxis
from gtvision.console.admin.finder import CameraFinder
from gtvision.console.admin.tenants import TenantEditor
from gtvision.console.admin.users import UserEditor
from gtvision.console.admin.watchlists import WatchlistEditor
from gtvision.console.admin.webhooks import WebhookEditor
from gtvision.console.admin.zones import ZoneEditor
from gtvision.console.api import RequestRejected
from gtvision.console.controller import ConsoleController
from gtvision.console.widgets.tile import CAMERA_MIME
from gtvision.console.widgets.tree import ZONE_ID_ROLE
from tests.conftest import PASSWORD, TenantUsers, Tokens
from tests.console.conftest import Loop, until
from tests.console.test_console import controller_for, screenshot_dir, sign_in, tree_rows
from tests.helpers.live import LiveService
from tests.helpers.lpr import pending_read, write_reads
from tests.helpers.media_peers import GstRtspServer, VirtualCamera
from tests.helpers.postgres import PostgresForTests

pytestmark = pytest.mark.postgres


@pytest.fixture
def portuguese(qapp: QApplication) -> Iterator[list[QTranslator]]:
    from gtvision.console.app import install_translations

    translators = install_translations(qapp, "pt_BR")
    yield translators
    for translator in translators:
        qapp.removeTranslator(translator)


async def signed_in(controller: ConsoleController, user: str) -> None:
    sign_in(controller, user, PASSWORD)
    await until(lambda: controller.window.isVisible(), 20, f"{user} signed in")
    await until(lambda: controller.session.me is not None, 20, "who is signed in")


async def closed(*controllers: ConsoleController) -> None:
    for controller in controllers:
        await controller.window.wall.close()
        await controller.session.close()
        controller.window.close()


def shot(widget: QWidget, shots: Path, name: str) -> None:
    assert widget.grab().save(str(shots / name)), f"screenshot {name} not saved"


def test_admin_finds_cameras_and_each_row_says_what_came_of_it(
    loop: Loop, service: LiveService, tenant: TenantUsers, portuguese: list[QTranslator],
    tmp_path: Path,
) -> None:  # fmt: skip
    with (
        VirtualCamera(password="onvif-pass", name="Terminal Norte") as right,
        VirtualCamera(password="another-pass", name="Terminal Sul") as other,
        tenant.client(service) as api,
    ):
        zone = api.post("/zones", json={"name": "Terminais"}).json()
        admin, operator = controller_for(service.url), controller_for(service.url)
        loop.run(finding(admin, operator, tenant, zone["id"], (right, other),
                         screenshot_dir(tmp_path)), timeout_s=180)  # fmt: skip


async def finding(
    admin: ConsoleController, operator: ConsoleController, tenant: TenantUsers, zone_id: str,
    cameras: tuple[VirtualCamera, VirtualCamera], shots: Path,
) -> None:  # fmt: skip
    right, other = cameras
    await signed_in(admin, f"admin-{tenant.slug}")
    await signed_in(operator, f"operator-{tenant.slug}")
    window = admin.window
    assert window.admin.placed is not None
    assert window.admin.placed.isVisible()
    assert window.admin.actions["find"][0].isVisible()
    window.admin.open_finder()
    finder = window.admin._opened["find"]
    assert isinstance(finder, CameraFinder)
    dialog = finder.dialog
    assert dialog.windowTitle() == "Procurar câmeras"
    dialog.interfaces.setText(f"{right.netns.host_ip}, {other.netns.host_ip}")
    dialog.search_button.click()
    await until(lambda: dialog.table.rowCount() == 2, 60, "both cameras found")
    names = {dialog.table.item(r, 1).text() for r in range(2)}  # type: ignore[union-attr]
    assert names == {"Terminal Norte", "Terminal Sul"}
    assert len(dialog.ticked()) == 2  # new cameras come ticked

    # One password typed for both: the camera with another password says so on its row only.
    dialog.password.setText("onvif-pass")
    dialog.zone.setCurrentIndex(dialog.zone.findData(zone_id))
    dialog.add_button.click()
    keys = {dialog.table.item(r, 1).text(): str(dialog.table.item(r, 0).data(  # type: ignore[union-attr]
        Qt.ItemDataRole.UserRole)) for r in range(2)}  # fmt: skip
    await until(lambda: all(dialog.result_of(k) for k in keys.values()), 90, "both outcomes")
    assert dialog.result_of(keys["Terminal Norte"]).startswith("Adicionada como")
    assert dialog.result_of(keys["Terminal Sul"]) == "Usuário ou senha errados"
    assert "1 adicionada(s), 1 não adicionada(s)" in dialog.status.text()
    shot(dialog, shots, "admin-find-cameras.png")

    # Both consoles' trees show it in its zone, by name, without a reload.
    for console in (admin, operator):
        await until(
            lambda c=console: any("Terminal Norte" in row for row in tree_rows(c)),
            20,
            "the new camera in the tree",
        )
    rows = tree_rows(operator)
    assert rows.index("  Terminais") < rows.index(next(r for r in rows if "Terminal Norte" in r))
    await closed(admin, operator)


def test_camera_settings_roi_drawn_and_a_colleagues_change_not_overwritten(
    loop: Loop, service: LiveService, tenant: TenantUsers, portuguese: list[QTranslator],
    tmp_path: Path,
) -> None:  # fmt: skip
    with GstRtspServer() as rtsp, tenant.client(service) as api:
        made = api.post("/cameras", json={
            "name": "Av. Brasil", "main_profile": {"stream_uri": f"{rtsp.url}/main"},
        })  # fmt: skip
        assert made.status_code == 201, made.text
        controller = controller_for(service.url)
        loop.run(editing(controller, tenant, made.json()["id"], screenshot_dir(tmp_path)),
                 timeout_s=120)  # fmt: skip
        stored = api.get(f"/cameras/{made.json()['id']}")
        # Gone again: a camera reading plates would stay on the shared service after the test.
        gone = api.delete(
            f"/cameras/{made.json()['id']}", headers={"If-Match": stored.headers["etag"]}
        )
        assert gone.status_code == 204, gone.text
        stored = stored.json()
    assert stored["name"] == "Av. Brasil — faixa 1"  # mine
    assert stored["description"] == "trocada pela colega"  # theirs, kept
    assert stored["lpr_enabled"] is True
    x, y, w, h = stored["lpr_roi"]
    assert [round(v, 1) for v in (x, y, w, h)] == [0.2, 0.5, 0.5, 0.3]  # as dragged, ±0.05


async def editing(
    controller: ConsoleController, tenant: TenantUsers, camera_id: str, shots: Path
) -> None:
    await signed_in(controller, f"admin-{tenant.slug}")
    window = controller.window
    await until(lambda: camera_id in window.session.cameras, 20, "the directory")
    settings = await window.admin.open_camera_settings(camera_id)
    assert isinstance(settings, CameraSettings)
    dialog = settings.dialog
    assert dialog.name.text() == "Av. Brasil"
    assert not dialog.reread_button.isEnabled()  # added by its RTSP URL: no ONVIF to ask
    await until(lambda: not dialog.roi.image.isNull(), 60, "the camera's picture")

    # The admin drags the region over the lower middle of the picture.
    dialog.tabs.setCurrentIndex(1)
    dialog.resize(900, 700)
    await asyncio.sleep(0.2)
    box = dialog.roi.picture_rect()
    start = QPoint(int(box.x() + box.width() * 0.25), int(box.y() + box.height() * 0.5))
    end = QPoint(int(box.x() + box.width() * 0.75), int(box.y() + box.height() * 0.85))
    QTest.mousePress(dialog.roi, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(dialog.roi, end)
    QTest.mouseRelease(dialog.roi, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    assert dialog.roi.roi() is not None
    dialog.lpr_enabled.setChecked(True)
    dialog.name.setText("Av. Brasil — faixa 1")
    shot(dialog, shots, "admin-camera-settings-roi.png")

    # Meanwhile a colleague changes the description from elsewhere.
    client = controller.session.client
    assert client is not None
    async with httpx.AsyncClient(base_url=f"{client.base_url}/api/v1", headers={
        "Authorization": f"Bearer {tenant.tokens['admin']}"}) as colleague:  # fmt: skip
        current = await colleague.get(f"/cameras/{camera_id}")
        changed = await colleague.patch(f"/cameras/{camera_id}",
                                        json={"description": "trocada pela colega"},
                                        headers={"If-Match": current.headers["etag"]})  # fmt: skip
        assert changed.status_code == 200, changed.text

    dialog.save_button.click()
    await until(lambda: dialog.conflict is not None and dialog.conflict.isVisible(), 20,
                "the conflict dialog")  # fmt: skip
    assert dialog.conflict is not None
    assert f"admin-{tenant.slug}" in dialog.conflict.text()
    assert "descrição" in dialog.conflict.informativeText()
    shot(dialog.conflict, shots, "admin-camera-conflict.png")
    dialog.keep_mine.click()
    await until(lambda: dialog.status.text() == "Salvo", 20, "saved on their version")
    settings.dialog.close()
    await closed(controller)


def test_a_viewer_is_offered_no_administration_and_the_service_refuses_it_anyway(
    loop: Loop, service: LiveService, tenant: TenantUsers, portuguese: list[QTranslator]
) -> None:
    controller = controller_for(service.url)
    loop.run(as_viewer_then_operator(controller, tenant))


async def as_viewer_then_operator(controller: ConsoleController, tenant: TenantUsers) -> None:
    window = controller.window
    await signed_in(controller, f"viewer-{tenant.slug}")
    assert window.admin.placed is not None
    assert not window.admin.placed.isVisible()
    assert not any(action.isVisible() for action, _ in window.admin.actions.values())
    assert not window.tree.administering
    with pytest.raises(RequestRejected) as refused:
        await controller.session.admin().create_zone("Zona do visitante")
    assert refused.value.status == 403
    assert str(refused.value).startswith("Não permitido para o seu perfil")
    assert await window.admin.open_camera_settings("00000000-0000-0000-0000-000000000000") is None

    window.sign_out_action.trigger()
    await until(lambda: controller.login.isVisible(), 20, "signed out")
    await signed_in(controller, f"operator-{tenant.slug}")
    await until(lambda: window.admin.actions["dashboard"][0].isVisible(), 20, "operator menu")
    offered = [key for key, (action, _) in window.admin.actions.items() if action.isVisible()]
    assert offered == ["dashboard"]
    await closed(controller)


def test_zones_and_moving_a_camera_by_dragging_it_in_the_tree(
    loop: Loop, service: LiveService, tenant: TenantUsers, portuguese: list[QTranslator],
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(QMessageBox, "question", lambda *_: QMessageBox.StandardButton.Yes)
    with tenant.client(service) as api:
        camera = api.post("/cameras", json={"name": "Praça Sete"}).json()
        controller = controller_for(service.url)
        loop.run(zoning(controller, tenant, camera["id"], screenshot_dir(tmp_path)))
        stored = api.get(f"/cameras/{camera['id']}").json()
        zones = {z["name"]: z["id"] for z in api.get("/zones").json()["items"]}
    assert sorted(zones) == ["Centro-Sul"]
    assert stored["zone_id"] == zones["Centro-Sul"]


async def zoning(
    controller: ConsoleController, tenant: TenantUsers, camera_id: str, shots: Path
) -> None:
    await signed_in(controller, f"admin-{tenant.slug}")
    window = controller.window
    assert window.tree.administering
    window.admin.open_zones()
    zones = window.admin._opened["zones"]
    assert isinstance(zones, ZoneEditor)
    dialog = zones.dialog
    for name in ("Centro-Sul", "Norte"):
        dialog.name.setText(name)
        dialog.add_button.click()
        await until(lambda n=name: "  " + n in tree_rows(controller), 20, f"zone {name}")
    rows = [dialog.zones.item(i).text() for i in range(dialog.zones.count())]
    assert "Centro-Sul (sem câmeras)" in rows  # not pt-BR's "0 câmera"
    dialog.zones.setCurrentRow(next(i for i, text in enumerate(rows) if text.startswith("Norte")))
    dialog.delete_button.click()  # "Yes" is answered by the test's patch of QMessageBox
    await until(lambda: "  Norte" not in tree_rows(controller), 20, "zone removed")
    shot(dialog, shots, "admin-zones.png")

    # Dragged onto "Centro-Sul" in the tree: what the tree's model receives on a drop.
    model = window.tree.model
    target = next(model.indexFromItem(item) for item in _items(model)
                  if item.data(ZONE_ID_ROLE) and item.text() == "Centro-Sul")  # fmt: skip
    mime = QMimeData()
    mime.setData(CAMERA_MIME, QByteArray(camera_id.encode()))
    assert model.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, target)
    model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, 0, target)
    await until(lambda: tree_rows(controller)[tree_rows(controller).index("  Centro-Sul") + 1]
                == "    Praça Sete", 20, "the camera in its new zone")  # fmt: skip
    await closed(controller)


def _items(model: QStandardItemModel) -> list[QStandardItem]:
    found: list[QStandardItem] = []

    def walk(item: QStandardItem) -> None:
        for row in range(item.rowCount()):
            child = item.child(row)
            found.append(child)
            walk(child)

    walk(model.invisibleRootItem())
    return found


def test_watch_lists_plates_csv_import_with_row_errors_and_export(
    loop: Loop, service: LiveService, tenant: TenantUsers, portuguese: list[QTranslator],
    tmp_path: Path,
) -> None:  # fmt: skip
    controller = controller_for(service.url)
    csv_in = tmp_path / "roubados.csv"
    csv_in.write_text("pattern,reason,priority\nQRS1T23,furto,4\nNOTAPLATE!,x,2\nUVW4X56,,1\n")
    loop.run(listing(controller, tenant, csv_in, tmp_path / "out.csv", screenshot_dir(tmp_path)))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text())))
    assert sorted(r["pattern"] for r in rows) == ["ABC1D23", "QRS1T23", "UVW4X56"]


async def listing(
    controller: ConsoleController, tenant: TenantUsers, csv_in: Path, csv_out: Path, shots: Path
) -> None:
    await signed_in(controller, f"admin-{tenant.slug}")
    window = controller.window
    window.admin.open_watchlists()
    editor = window.admin._opened["watchlists"]
    assert isinstance(editor, WatchlistEditor)
    dialog = editor.dialog
    dialog.list_name.setText("Roubados")
    dialog.category.setCurrentIndex(dialog.category.findData("stolen"))
    dialog.create_list_button.click()
    await until(lambda: dialog.lists.count() == 1, 20, "the list shown (watchlist event)")
    dialog.lists.setCurrentRow(0)
    dialog.pattern.setText("abc1d23")
    dialog.priority.setCurrentIndex(dialog.priority.findData(4))
    dialog.reason.setText("roubo à mão armada")
    dialog.add_entry_button.click()
    await until(lambda: dialog.entries.rowCount() == 1, 20, "the plate on the list")
    assert dialog.entries.item(0, 0).text() == "ABC1D23"  # type: ignore[union-attr]
    assert dialog.entries.item(0, 1).text() == "crítica"  # type: ignore[union-attr]

    editor.import_file(str(csv_in))
    await until(lambda: dialog.import_errors.count() == 1, 20, "the import report")
    assert dialog.import_errors.item(0).text().startswith("Linha 3:")
    assert "Importadas 2" in dialog.status.text()
    await until(lambda: dialog.entries.rowCount() == 3, 20, "imported plates shown")
    shot(dialog, shots, "admin-watchlists.png")
    editor.export_file(str(csv_out))
    await until(lambda: csv_out.exists(), 20, "the export written")
    await closed(controller)


def test_users_added_promoted_disabled_and_reset(
    loop: Loop, service: LiveService, tenant: TenantUsers, portuguese: list[QTranslator],
    tmp_path: Path,
) -> None:  # fmt: skip
    controller = controller_for(service.url)
    loop.run(staffing(controller, tenant, screenshot_dir(tmp_path)))
    new_user = f"maria-{tenant.slug}"
    with httpx.Client(base_url=service.url) as anonymous:
        again = {"username": new_user, "password": "nova-senha-12345"}
        refused = anonymous.post("/api/v1/auth/token", data=again)
    assert refused.status_code == 401  # disabled
    with tenant.client(service) as api:
        [maria] = [u for u in api.get("/users").json()["items"] if u["username"] == new_user]
    assert (maria["role"], maria["active"]) == ("operator", False)


async def staffing(controller: ConsoleController, tenant: TenantUsers, shots: Path) -> None:
    await signed_in(controller, f"admin-{tenant.slug}")
    window = controller.window
    window.admin.open_users()
    editor = window.admin._opened["users"]
    assert isinstance(editor, UserEditor)
    dialog = editor.dialog
    await until(lambda: dialog.table.rowCount() >= 3, 20, "the city's users")
    username = f"maria-{tenant.slug}"
    dialog.username.setText(username)
    dialog.full_name.setText("Maria Souza")
    dialog.new_role.setCurrentIndex(dialog.new_role.findData("viewer"))
    dialog.password.setText("senha-inicial-123")
    dialog.create_button.click()
    await until(lambda: dialog.selected() is not None, 20, "the new user selected")
    user_id = dialog.selected()
    assert user_id is not None
    editor.change_role(user_id, "operator")
    await until(lambda: editor.users[user_id].role == "operator", 20, "promoted")
    editor.reset_password(user_id, "nova-senha-12345")
    await until(lambda: "senha redefinida" in dialog.status.text(), 20, "password reset")
    client = controller.session.client
    assert client is not None
    async with httpx.AsyncClient(base_url=client.base_url) as anonymous:
        reset = {"username": username, "password": "nova-senha-12345"}
        fresh = await anonymous.post("/api/v1/auth/token", data=reset)
        assert fresh.status_code == 200, fresh.text
    shot(dialog, shots, "admin-users.png")
    editor.set_active(user_id, False)
    await until(lambda: not editor.users[user_id].active, 20, "disabled")
    await closed(controller)


def test_webhook_added_and_tested_from_the_console(
    loop: Loop, service: LiveService, tenant: TenantUsers, portuguese: list[QTranslator]
) -> None:
    from tests.services.test_webhooks import Receiver

    receiver = Receiver()
    try:
        controller = controller_for(service.url)
        loop.run(hooking(controller, tenant, receiver.url))
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()
    assert [h["X-GTV-Event"] for h, _ in receiver.received] == ["webhook.test"]


async def hooking(controller: ConsoleController, tenant: TenantUsers, url: str) -> None:
    await signed_in(controller, f"admin-{tenant.slug}")
    controller.window.admin.open_webhooks()
    editor = controller.window.admin._opened["webhooks"]
    assert isinstance(editor, WebhookEditor)
    dialog = editor.dialog
    dialog.url.setText(url)
    dialog.types.setText("alert.raised")
    dialog.create_button.click()
    await until(lambda: dialog.table.rowCount() == 1, 20, "the webhook listed")
    dialog.table.selectRow(0)
    dialog.test_button.click()
    await until(lambda: dialog.status.text().startswith("Entregue"), 30, "the test delivered")
    assert "HTTP 204" in dialog.status.text()
    await closed(controller)


def test_audit_trail_filtered_by_user_and_action_and_exported(
    loop: Loop, service: LiveService, tenant: TenantUsers, portuguese: list[QTranslator],
    tmp_path: Path,
) -> None:  # fmt: skip
    with tenant.client(service, "operator") as operator:
        searched = operator.get("/detections", params={"plate": "AUD1T00"})
        assert searched.status_code == 200, searched.text
    controller = controller_for(service.url)
    exported = tmp_path / "auditoria.csv"
    loop.run(auditing(controller, tenant, exported, screenshot_dir(tmp_path)))
    rows = list(csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8"))))
    assert rows, "the export is empty"
    assert {(r["username"], r["action"]) for r in rows} == {
        (f"operator-{tenant.slug}", "detection.search")
    }
    assert any('"AUD1T00"' in r["detail"] for r in rows), rows


async def auditing(
    controller: ConsoleController, tenant: TenantUsers, exported: Path, shots: Path
) -> None:
    await signed_in(controller, f"admin-{tenant.slug}")
    controller.window.admin.open_audit()
    viewer = controller.window.admin._opened["audit"]
    assert isinstance(viewer, AuditViewer)
    dialog = viewer.dialog
    await until(lambda: dialog.table.rowCount() > 0, 20, "the last day's entries")
    await until(lambda: dialog.user.count() >= 4, 20, "the city's users to filter by")

    def column(index: int) -> list[str]:
        cells = (dialog.table.item(row, index) for row in range(dialog.table.rowCount()))
        return [cell.text() if cell else "" for cell in cells]

    assert f"admin-{tenant.slug}" in column(1)  # this sign-in, among others
    operator = f"operator-{tenant.slug}"
    dialog.user.setCurrentIndex(dialog.user.findText(operator))
    dialog.action.setEditText("detection.search")
    dialog.search_button.click()
    await until(lambda: column(2) == ["detection.search"], 20, "the operator's search only")
    assert column(1) == [operator]
    assert column(3) == ["sucesso"]  # the outcome in the operator's language
    assert dialog.status.text() == "1 registro"  # one, not "1 registros"
    shot(dialog, shots, "admin-audit.png")
    dialog.exportRequested.emit(dialog.filters(), str(exported))  # what the file dialog sends
    await until(lambda: dialog.status.text().startswith("Exportado para"), 20, "exported")
    dialog.user.setCurrentIndex(0)  # anyone
    dialog.action.setEditText("audit.export")
    dialog.search_button.click()
    await until(lambda: column(2) == ["audit.export"], 20, "the export is audited too")
    assert column(1) == [f"admin-{tenant.slug}"]
    await closed(controller)


def test_dashboard_draws_the_citys_figures(
    loop: Loop, service: LiveService, postgres: PostgresForTests, tenant: TenantUsers,
    portuguese: list[QTranslator], tmp_path: Path,
) -> None:  # fmt: skip
    with tenant.client(service) as api:
        cameras = [api.post("/cameras", json={"name": f"Câmera {i}"}).json()["id"]
                   for i in range(7)]  # fmt: skip
        wl = api.post("/watchlists", json={"name": "Procurados", "category": "wanted"}).json()
        api.post(f"/watchlists/{wl['id']}/entries", json={"pattern": "PRO1C99", "priority": 3})
    reads = [pending_read(tenant.tenant_id, cameras[i % 7], f"DSH{i % 10}A{i:02d}")
             for i in range(30)]  # fmt: skip
    reads.append(pending_read(tenant.tenant_id, cameras[0], "PRO1C99"))
    assert all(write_reads(postgres.url, tmp_path, reads))
    controller = controller_for(service.url)
    loop.run(watching(controller, tenant, screenshot_dir(tmp_path)))


@pytest.mark.parametrize(
    ("language", "day", "month"), [("pt_BR", "sex. 04", "dez."), ("en_US", "Fri 04", "Dec")]
)
def test_dashboard_time_axis_speaks_the_consoles_language(
    qapp: QApplication, language: str, day: str, month: str
) -> None:
    """pyqtgraph's own axis names days through strftime, in the C locale: "Fri 04" on a pt-BR
    dashboard."""
    friday = datetime(2026, 12, 4, 15, tzinfo=UTC).timestamp()
    before = QLocale()
    QLocale.setDefault(QLocale(language))
    try:
        axis = LocaleDateAxis(utcOffset=0)
        axis.zoomLevel = pg_dates.DAY_HOUR_ZOOM_LEVEL
        days, hours = axis.zoomLevel.tickSpecs
        assert axis.tickStrings([friday], 1.0, days.spacing) == [day]
        assert axis.tickStrings([friday], 1.0, hours.spacing) == ["15:00"]
        axis.zoomLevel = pg_dates.YEAR_MONTH_ZOOM_LEVEL
        years, months = axis.zoomLevel.tickSpecs
        assert axis.tickStrings([friday], 1.0, months.spacing) == [month]
        assert axis.tickStrings([friday], 1.0, years.spacing) == ["2026"]
    finally:
        QLocale.setDefault(before)


async def watching(controller: ConsoleController, tenant: TenantUsers, shots: Path) -> None:
    await signed_in(controller, f"admin-{tenant.slug}")
    controller.window.admin.open_dashboard()
    board = controller.window.admin._opened["dashboard"]
    assert isinstance(board, Dashboard)
    await until(lambda: board.loaded >= 1, 30, "the figures")
    dialog = board.dialog
    assert dialog.totals.text() == "31 leituras de placas, 7 câmeras lendo"
    lines = dialog.reads.getPlotItem().listDataItems()
    assert len(lines) == 6  # the five busiest, then the others summed
    assert sum(sum(line.getData()[1]) for line in lines) == 31
    assert dialog.alert_bars == [("Procurados", 3, 1, 0)]
    low, high = dialog.alerts.getViewBox().viewRange()[1]
    ticks = dialog.alerts.getAxis("left").tickValues(low, high, 300)
    assert [v for _, values in ticks for v in values] == [0.0, 1.0]  # no half alarms
    assert dialog.lpr_box.isVisibleTo(dialog)
    dialog.resize(1280, 800)
    await asyncio.sleep(0.3)
    shot(dialog, shots, "admin-dashboard.png")
    dialog.close()
    await closed(controller)


def test_a_superadmin_adds_a_city_with_its_first_admin(
    loop: Loop, service: LiveService, superadmin: Tokens, tenant: TenantUsers,
    portuguese: list[QTranslator], tmp_path: Path,
) -> None:  # fmt: skip
    slug = "cidade-" + uuid.uuid4().hex[:6]
    with tenant.client(service) as api:
        assert api.post("/cameras", json={"name": "Câmera da cidade"}).status_code == 201
    controller = controller_for(service.url)
    loop.run(founding(controller, superadmin._usernames["superadmin"], slug,
                      screenshot_dir(tmp_path), f"operator-{tenant.slug}"))  # fmt: skip
    tokens = service.login(f"admin-{slug}", "senha-do-admin-1")  # the city's admin signs in
    assert tokens["access_token"]


async def founding(
    controller: ConsoleController, root: str, slug: str, shots: Path, operator: str
) -> None:
    # A city's operator hands the workstation over to the installation's superadmin.
    await signed_in(controller, operator)
    window = controller.window
    await until(lambda: "Câmera da cidade" in window.session.title_of(
        next(iter(window.session.cameras), "")), 20, "the city's cameras")  # fmt: skip
    window.wall.fill(list(window.session.cameras))  # on the wall
    assert window.wall.cameras[0] is not None
    window.sign_out_action.trigger()
    await until(lambda: controller.login.isVisible(), 20, "signed out")
    assert window.wall.cameras[0] is not None, "the wall stays for the next operator"
    await signed_in(controller, root)
    await until(lambda: not window.session.cameras, 20, "no city's cameras for a superadmin")
    assert window.tree.camera_ids() == []
    await until(lambda: window.wall.cameras[0] is None, 20, "the city's video off the wall")
    offered = [key for key, (action, _) in window.admin.actions.items() if action.isVisible()]
    assert offered == ["tenants"]  # a city's tools need a city
    await asyncio.sleep(0.5)
    assert window.statusBar().currentMessage() == ""  # no city's cameras asked for, no refusal
    assert not window.tree.administering
    window.admin.open_tenants()
    editor = window.admin._opened["tenants"]
    assert isinstance(editor, TenantEditor)
    dialog = editor.dialog
    dialog.slug.setText(slug)
    dialog.name.setText("Prefeitura de Teste")
    dialog.state.setText("mg")
    dialog.admin_username.setText(f"admin-{slug}")
    dialog.admin_password.setText("senha-do-admin-1")
    dialog.create_button.click()
    await until(lambda: "adicionada, com o administrador" in dialog.status.text(), 20, "added")
    row = next(r for r in range(dialog.table.rowCount())
               if dialog.table.item(r, 0).text() == slug)  # type: ignore[union-attr]  # fmt: skip
    assert dialog.table.item(row, 2).text() == "MG"  # type: ignore[union-attr]
    dialog.table.selectRow(row)
    dialog.reads_days.setValue(45)  # not the default (90): the wait below means something
    dialog.retention_button.click()
    await until(lambda: any(t.slug == slug and t.detection_retention_days == 45
                            for t in editor.tenants.values()), 20, "retention kept")  # fmt: skip
    shot(dialog, shots, "admin-cities.png")
    await closed(controller)


def test_the_dashboard_names_the_models_this_server_reads_with(qapp: object) -> None:
    """An admin who set lpr_precision to int8 sees that it took (and, before the first frame,
    no made-up line)."""
    from gtvision.console.admin.dashboard import DashboardWindow
    from gtvision.contract import LprCameraLoad, LprModels, LprStats

    window = DashboardWindow()
    stats = LprStats(instance="gtv-1:42", cameras=[], queue_depth=0, inference_p50_ms=None,
                     inference_p95_ms=None, storage_backlog=0)  # fmt: skip
    window.show_lpr(stats)
    assert "plate_detector" not in window.lpr_summary.text()
    camera = LprCameraLoad(camera_id=uuid.uuid4(), camera_name="Av. Brasil x Rua das Flores",
                           fps=5, frames=1200, dropped=3, passes=41)  # fmt: skip
    window.show_lpr(stats.model_copy(update={"cameras": [camera]}))
    name = window.lpr.item(0, 0)
    assert name is not None
    assert name.toolTip() == "Av. Brasil x Rua das Flores"  # elided in a narrow box
    loaded = LprModels(backend="openvino", device="CPU", detector="plate_detector.int8.onnx",
                       recognizer="br_recognizer")  # fmt: skip
    window.show_lpr(stats.model_copy(update={"models": loaded}))
    last = window.lpr_summary.text().splitlines()[-1]
    assert last == "Models: plate_detector.int8.onnx on openvino (CPU), br_recognizer"
    window.close()


@pytest.mark.parametrize(
    "dialog",
    ["audit.AuditDialog", "camera_settings.CameraSettingsDialog", "dashboard.DashboardWindow",
     "finder.CameraFinderDialog", "tenants.TenantsDialog", "users.UsersDialog",
     "watchlists.WatchlistsDialog", "webhooks.WebhooksDialog", "zones.ZonesDialog"],
)  # fmt: skip
def test_an_admin_window_fits_a_laptop_screen(dialog: str, portuguese: list[QTranslator]) -> None:
    """In Portuguese, each admin window can shrink to 1366 x 768 less a taskbar, and opens no
    larger than its screen (the test platform's is 800 x 800)."""
    import importlib

    module, name = dialog.split(".")
    window: QWidget = getattr(importlib.import_module(f"gtvision.console.admin.{module}"), name)()
    least = window.minimumSizeHint()
    assert least.width() <= 1366, least
    assert least.height() <= 768 - 48, least
    free = window.screen().availableGeometry()
    assert window.width() <= free.width()
    assert window.height() <= free.height()
    window.close()
