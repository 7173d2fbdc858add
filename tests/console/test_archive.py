"""From a plate search result to the recording of that moment, and a clip of it saved to disk.

The recorded segment's frames show their own wall-clock time (a barcode): the test reads the
time off the picture the tile shows, and off the exported clip, so "it played the right moment"
is checked on the pixels, not on our own bookkeeping.
"""

from __future__ import annotations

import io
import os
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import psycopg
import pytest
from PySide6.QtGui import QImage

from gtvision.console.widgets.archive import PlaybackClock
from gtvision.console.widgets.timeline import Mark, Timeline
from tests.conftest import PASSWORD, TenantUsers
from tests.console.conftest import Loop, until
from tests.console.test_console import controller_for, sign_in
from tests.helpers.clock_video import CLOCK_BITS, clock_segment, clock_times
from tests.helpers.live import LiveService
from tests.helpers.lpr import pending_read, write_reads
from tests.helpers.postgres import PostgresForTests

pytestmark = pytest.mark.postgres


def _clock_of(image: QImage) -> datetime:
    """The barcode time of a tile's picture (BGRA), as :func:`read_clock` reads a frame."""
    image = image.convertToFormat(QImage.Format.Format_Grayscale8)
    width, height = image.width(), image.height()
    pixels = np.frombuffer(image.constBits(), np.uint8).reshape(height, image.bytesPerLine())
    row = pixels[height // 4 : 3 * height // 4, :width].mean(axis=0)
    block = width // CLOCK_BITS
    bits = "".join(str(int(row[i * block + block // 2] > 128)) for i in range(CLOCK_BITS))
    return datetime.fromtimestamp(int(bits, 2) / 10, UTC)


def _record(service: LiveService, postgres: PostgresForTests, tenant: str, camera: str,
            start: datetime, seconds: int) -> None:  # fmt: skip
    """A segment as the archiver leaves it: in the recordings store and in the index."""
    key = f"{tenant}/{camera}/{start:%Y/%m/%d}/{int(start.timestamp())}-000000.mp4"
    path = service.settings.data_dir / "objects" / "recordings" / key
    path.parent.mkdir(parents=True, exist_ok=True)
    blob = clock_segment(start, seconds)
    path.write_bytes(blob)
    with psycopg.connect(postgres.url.replace("+asyncpg", ""), autocommit=True) as conn:
        conn.execute(
            "INSERT INTO streaming.recordings (id, tenant_id, camera_id, started_at, ended_at, key,"
            " size, codec) VALUES (%s, %s, %s, %s, %s, %s, %s, 'h264')",
            (uuid.uuid4(), tenant, camera, start, start + timedelta(seconds=seconds), key,
             len(blob)),
        )  # fmt: skip


def test_a_search_result_plays_that_moment_and_exports_a_clip(
    loop: Loop, service: LiveService, postgres: PostgresForTests, tenant: TenantUsers,
    tmp_path: Path,
) -> None:  # fmt: skip
    with tenant.client(service) as admin:
        camera = admin.post("/cameras", json={"name": "Av. Atlântica"}).json()["id"]
        wl = admin.post("/watchlists", json={"name": "Clonados", "category": "wanted"}).json()
        entry = {"pattern": "RJZ4C56", "reason": "placa clonada"}
        assert admin.post(f"/watchlists/{wl['id']}/entries", json=entry).status_code == 201
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=3)
    _record(service, postgres, tenant.tenant_id, camera, start, 30)
    read_at = start + timedelta(seconds=12)
    read = pending_read(tenant.tenant_id, camera, "RJZ4C56", at=read_at)
    assert write_reads(postgres.url, service.settings.data_dir / "objects", [read]) == [True]
    controller = controller_for(service.url)
    shots = Path(os.environ.get("GTV_SCREENSHOTS", tmp_path))

    async def scenario() -> None:
        window = controller.window
        sign_in(controller, f"operator-{tenant.slug}", PASSWORD)
        await until(lambda: window.isVisible(), 20, "the main window")
        panel = window.search
        await until(lambda: panel.camera.count() == 2, 20, "the cameras to search")
        panel.plate.setText("RJZ4C56")
        panel.search_button.click()
        await until(lambda: panel.results.rowCount() == 1, 20, "the read")
        panel.results.cellDoubleClicked.emit(0, 1)  # what a double-click on the row sends
        await until(lambda: bool(window.archives), 10, "the playback window")
        archive = window.archives[0]
        tile = archive.tiles[0]
        await until(lambda: tile.current_frame() is not None, 30, "recorded picture")
        frame = tile.current_frame()
        assert frame is not None
        shown = _clock_of(frame)
        # Opened 5 s before the read; the picture is from then (keyframe before) onwards.
        assert read_at - timedelta(seconds=6.2) <= shown <= read_at + timedelta(seconds=3)
        timeline = archive.timeline
        assert timeline.ranges == [(start, start + timedelta(seconds=30))]
        assert any(m.kind == "read" and m.at == read_at for m in timeline.marks)
        alert = next(m for m in timeline.marks if m.kind == "alert")
        assert (alert.at, alert.label) == (read_at, "RJZ4C56 · placa clonada")
        archive.grab().save(str(shots / "archive-window.png"))

        archive.toggle_pause()  # paused: the clock stands still and the tiles stop
        paused_at = archive.clock.now()
        assert tile.playback is None
        archive.seek(start + timedelta(seconds=25))
        await until(lambda: tile.current_frame() is not None, 30, "picture after the seek")
        frame = tile.current_frame()
        assert frame is not None
        assert _clock_of(frame) >= start + timedelta(seconds=24)
        assert paused_at < start + timedelta(seconds=25)

        target = tmp_path / "clip.mp4"
        archive.export_clip(start + timedelta(seconds=2), start + timedelta(seconds=7), target)
        await until(lambda: target.exists(), 40, "the exported clip")
        times = clock_times(io.BytesIO(target.read_bytes()))
        assert start + timedelta(seconds=0.8) <= times[0] <= start + timedelta(seconds=2)
        assert times[-1] < start + timedelta(seconds=7)
        archive.close()
        await until(lambda: not window.archives, 10, "the playback window closed")
        await window.wall.close()
        await controller.session.close()
        window.close()

    loop.run(scenario(), timeout_s=180)


def test_timeline_maps_clicks_to_moments_and_zooms_around_the_pointer(loop: Loop) -> None:
    timeline = Timeline()
    timeline.resize(1000, 60)
    t0 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    timeline.set_window(t0, t0 + timedelta(hours=1))
    timeline.set_ranges(
        [(t0, t0 + timedelta(minutes=20)), (t0 + timedelta(minutes=40), t0 + timedelta(hours=1))]
    )
    timeline.set_marks([Mark(t0 + timedelta(minutes=10), "read", "ABC1D23")])
    sought: list[datetime] = []
    timeline.seekRequested.connect(sought.append)
    assert timeline.time_at(500) == t0 + timedelta(minutes=30)
    assert timeline.x_of(t0 + timedelta(minutes=15)) == pytest.approx(250)
    assert not timeline.recorded(t0 + timedelta(minutes=30))  # the gap
    assert timeline.recorded(t0 + timedelta(minutes=45))
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QMouseEvent, QWheelEvent

    press = QMouseEvent(QMouseEvent.Type.MouseButtonPress, QPointF(250, 30), QPointF(250, 30),
                        Qt.MouseButton.LeftButton, Qt.MouseButton.LeftButton,
                        Qt.KeyboardModifier.NoModifier)  # fmt: skip
    timeline.mousePressEvent(press)
    assert sought == [t0 + timedelta(minutes=15)]
    assert timeline.position == sought[0]
    wheel = QWheelEvent(QPointF(250, 30), QPointF(250, 30), QPoint(0, 0), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)  # fmt: skip
    timeline.wheelEvent(wheel)  # zoom in, the moment under the pointer stays put
    assert timeline.end - timeline.start == timedelta(minutes=48)
    assert timeline.time_at(250) == t0 + timedelta(minutes=15)
    image = timeline.grab().toImage()
    assert not image.isNull()


def test_playback_clock_runs_at_speed_and_stands_still_when_paused() -> None:
    t0 = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)
    clock = PlaybackClock(t0)
    assert clock.now(100.0) == t0  # not started: paused at the moment opened
    clock.run_from(t0, monotonic=100.0)
    clock.rate = 4.0
    assert clock.now(102.5) == t0 + timedelta(seconds=10)
    clock.pause(102.5)
    assert clock.now(500.0) == t0 + timedelta(seconds=10)
