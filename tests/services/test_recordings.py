"""Recording from a real RTSP camera into S3 and PostgreSQL, and playing it back by the clock.

The camera is gst-rtsp-server painting the wall-clock time on every frame as a barcode, so a
played-back or exported frame can be checked to come from the requested time. The S3 server is
SeaweedFS (taken down mid-recording: segments must wait on disk, then arrive, none lost or
doubled); PostgreSQL is the embedded server. All on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import io
import signal
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import av
import httpx
import psycopg
import pytest

from gtvision.services.auth.keys import Keys
from gtvision.services.media.paths import PathName
from gtvision.services.recordings import retention
from gtvision.services.recordings.retention import RecordingRetentionReport
from gtvision.services.recordings.runtime import RecordingRuntime
from gtvision.services.runtime import open_runtime
from tests.conftest import (
    TenantUsers,
    Tokens,
    make_superadmin,
    make_tenant,
)
from tests.helpers.clock_video import clock_times, noisy_segment, read_clock
from tests.helpers.fake_mediamtx import FakeMediaMtx
from tests.helpers.live import TEST_SECRET, LiveService, scrape_metrics, service_settings
from tests.helpers.media_peers import GstRtspServer
from tests.helpers.postgres import PostgresForTests
from tests.helpers.s3_server import SeaweedS3
from tests.helpers.waiting import eventually

SEGMENT_S = 5
KEYFRAME_S = 1.0  # the test camera sends a keyframe every second


@dataclass
class Stack:
    service: LiveService
    postgres: PostgresForTests
    s3: SeaweedS3
    rtsp: GstRtspServer
    tenant: TenantUsers
    root: Tokens

    @property
    def recording(self) -> RecordingRuntime:
        runtime: RecordingRuntime = self.service.app.state.recording
        return runtime

    def sql(self, query: str, *args: Any) -> list[tuple[Any, ...]]:
        url = self.postgres.url.replace("postgresql+asyncpg://", "postgresql://")
        with psycopg.connect(url, autocommit=True) as conn:
            cursor = conn.execute(query, args)
            return cursor.fetchall() if cursor.description else []


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    postgres = PostgresForTests()
    postgres.start()
    with SeaweedS3() as s3, GstRtspServer(size="320x240", fps=10, clock=True) as rtsp:
        settings = service_settings(
            postgres.url,
            tmp_path_factory.mktemp("recording-service"),
            s3_endpoint_url=s3.endpoint,
            s3_access_key=s3.access_key,
            s3_secret_key=s3.secret_key,
            s3_recordings_bucket="test-recordings",
            s3_exports_bucket="test-exports",
            recording_segment_s=SEGMENT_S,
            lpr_enabled=False,
            s3_timeout_s=2.0,
        )
        try:
            with LiveService(settings) as service:
                root = make_superadmin(service)
                yield Stack(service, postgres, s3, rtsp, make_tenant(service, root), root)
        finally:
            postgres.close()


def _camera(stack: Stack, mode: str = "continuous", **extra: Any) -> dict[str, Any]:
    with stack.tenant.client(stack.service) as admin:
        created = admin.post(
            "/cameras",
            json={
                "name": f"Rua {uuid.uuid4().hex[:6]}",
                "main_profile": {"stream_uri": f"{stack.rtsp.url}/main"},
                "recording_mode": mode,
                **extra,
            },
        )
        assert created.status_code == 201, created.text
        camera: dict[str, Any] = created.json()
        return camera


def _availability(stack: Stack, camera_id: str, **params: str) -> dict[str, Any]:
    with stack.tenant.client(stack.service, "viewer") as viewer:
        response = viewer.get(f"/cameras/{camera_id}/recordings", params=params)
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body


def _stop_recording(stack: Stack, camera_id: str) -> None:
    with stack.tenant.client(stack.service) as admin:
        response = admin.patch(f"/cameras/{camera_id}", json={"recording_mode": "off"})
        assert response.status_code == 200, response.text


def _play(url: str, **params: str) -> httpx.Response:
    """The playback link already carries its token: add to its query, do not replace it."""
    return httpx.get(httpx.URL(url).copy_merge_params(params), timeout=30)


def _when(value: str) -> datetime:
    return datetime.fromisoformat(value)


def test_continuous_recording_plays_back_the_requested_moment(stack: Stack) -> None:
    camera = _camera(stack)
    eventually(
        lambda: _availability(stack, camera["id"])["segments"] >= 3,
        timeout_s=60,
        what="three archived segments",
    )
    _stop_recording(stack, camera["id"])
    found = _availability(stack, camera["id"])
    assert len(found["ranges"]) == 1, found["ranges"]  # back to back: no gap between segments
    first = found["ranges"][0]
    assert _when(first["end"]) - _when(first["start"]) >= timedelta(seconds=2 * SEGMENT_S)
    rows = stack.sql(
        "SELECT key, size, codec FROM streaming.recordings WHERE camera_id = %s", camera["id"]
    )
    assert len(rows) == found["segments"]
    assert all(codec == "h264" and size > 0 for _, size, codec in rows)

    # Into the second segment, between keyframes: the clip starts on the keyframe before.
    start = _when(first["start"]) + timedelta(seconds=SEGMENT_S + 2.45)
    response = _play(found["playback_url"], start=start.isoformat(), duration="3")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "video/mp4"
    with av.open(io.BytesIO(response.content), "r") as container:
        comment = container.metadata["comment"]
        frames = [read_clock(f) for f in container.decode(video=0)]
    clip_start = _when(response.headers["x-recording-start"])
    assert comment == f"recorded-from={clip_start.isoformat()}"
    # The barcode says when each frame was made, independently of our timestamps.
    assert start - timedelta(seconds=KEYFRAME_S + 0.2) <= frames[0] <= start
    assert abs((frames[0] - clip_start).total_seconds()) < 0.3
    assert frames[-1] < start + timedelta(seconds=3)
    assert frames == sorted(frames)
    assert len(frames) >= 25  # 3 s at 10 fps, from up to a second earlier


def test_a_long_segment_streams_from_its_middle(stack: Stack) -> None:
    """A real camera's minute is megabytes: the clip must start streaming long before the
    whole segment is remuxed (the player's first frame waits on nothing else)."""
    camera = _camera(stack, mode="off")
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
    blob = noisy_segment(seconds=20, size=(640, 480))
    assert len(blob) > 2_000_000  # far more than the stream's queue holds
    key = f"{stack.tenant.tenant_id}/{camera['id']}/long.mp4"
    asyncio.run(_put(stack, key, blob))
    stack.sql(
        "INSERT INTO streaming.recordings (id, tenant_id, camera_id, started_at, ended_at, key,"
        " size, codec) VALUES (%s, %s, %s, %s, %s, %s, %s, 'h264')",
        uuid.uuid4(), stack.tenant.tenant_id, camera["id"], started,
        started + timedelta(seconds=20), key, len(blob),
    )  # fmt: skip
    found = _availability(stack, camera["id"])
    clip = _play(found["playback_url"], start=(started + timedelta(seconds=1.5)).isoformat())
    assert clip.status_code == 200
    assert _when(clip.headers["x-recording-start"]) == started + timedelta(seconds=1)
    with av.open(io.BytesIO(clip.content), "r") as container:
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == 19 * 10  # from the keyframe at 1 s to the end of the segment


def test_a_clip_that_breaks_off_fails_visibly(stack: Stack) -> None:
    """The second segment of the clip is gone from storage: the player must see the stream
    break off (and the service log it), not a shorter clip that looks complete."""
    camera = _camera(stack, mode="off")
    started = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
    blob = noisy_segment(seconds=20, size=(640, 480))
    key = f"{stack.tenant.tenant_id}/{camera['id']}/first.mp4"
    asyncio.run(_put(stack, key, blob))
    missing = f"{stack.tenant.tenant_id}/{camera['id']}/lost.mp4"
    for at, segment_key in ((started, key), (started + timedelta(seconds=20), missing)):
        stack.sql(
            "INSERT INTO streaming.recordings (id, tenant_id, camera_id, started_at, ended_at,"
            " key, size, codec) VALUES (%s, %s, %s, %s, %s, %s, %s, 'h264')",
            uuid.uuid4(), stack.tenant.tenant_id, camera["id"], at, at + timedelta(seconds=20),
            segment_key, len(blob),
        )  # fmt: skip
    found = _availability(stack, camera["id"], **{"from": (started - timedelta(minutes=1))
                                                   .isoformat()})  # fmt: skip
    url = httpx.URL(found["playback_url"]).copy_merge_params(
        {"start": (started + timedelta(seconds=1)).isoformat(), "duration": "30"}
    )
    received: list[int] = []

    def read_it_all() -> None:
        with httpx.stream("GET", url, timeout=30) as clip:
            assert clip.status_code == 200  # the first segment started streaming
            for chunk in clip.iter_bytes():
                received.append(len(chunk))

    with pytest.raises(httpx.RemoteProtocolError):
        read_it_all()
    assert sum(received) > 100_000  # the first segment's footage arrived before the break


async def _put(stack: Stack, key: str, data: bytes) -> None:
    async with open_runtime(stack.service.settings) as runtime:
        await runtime.recordings.put(key, data, "video/mp4")


def test_playback_refuses_bad_links_and_empty_times(stack: Stack) -> None:
    camera = _camera(stack, mode="off")
    found = _availability(stack, camera["id"])
    assert found["segments"] == 0
    assert found["playback_url"] is None
    other = _camera(stack)
    eventually(lambda: _availability(stack, other["id"])["segments"] >= 1, timeout_s=40)
    _stop_recording(stack, other["id"])
    url = _availability(stack, other["id"])["playback_url"]
    long_ago = (datetime.now(UTC) - timedelta(days=3)).isoformat()
    assert _play(url, start=long_ago, duration="5").status_code == 404
    tampered = url.replace("token=", "token=x")
    now = datetime.now(UTC).isoformat()
    assert _play(tampered, start=now).status_code == 403
    # A link for one camera does not open another.
    elsewhere = url.replace(other["id"], camera["id"])
    assert _play(elsewhere, start=now).status_code == 403
    with stack.tenant.client(stack.service, "viewer") as viewer:
        bad = viewer.get(
            f"/cameras/{other['id']}/recordings",
            params={"from": "2026-01-01T00:00:00Z", "to": "2026-03-01T00:00:00Z"},
        )
        assert bad.status_code == 422
        assert "31 days" in bad.json()["detail"]


def test_export_makes_a_clip_of_the_range(stack: Stack) -> None:
    camera = _camera(stack)
    eventually(lambda: _availability(stack, camera["id"])["segments"] >= 3, timeout_s=60)
    _stop_recording(stack, camera["id"])
    recorded = _availability(stack, camera["id"])["ranges"][0]
    starts_at = _when(recorded["start"]) + timedelta(seconds=3.5)
    ends_at = starts_at + timedelta(seconds=6)  # across a segment boundary
    with stack.tenant.client(stack.service, "operator") as operator:
        created = operator.post(
            "/exports",
            json={
                "camera_id": camera["id"],
                "starts_at": starts_at.isoformat(),
                "ends_at": ends_at.isoformat(),
            },
        )
        assert created.status_code == 202, created.text
        export_id = created.json()["id"]
        eventually(
            lambda: operator.get(f"/exports/{export_id}").json()["status"] == "ready",
            timeout_s=30,
            what="export ready",
        )
        export = operator.get(f"/exports/{export_id}").json()
        nothing = operator.post(
            "/exports",
            json={
                "camera_id": camera["id"],
                "starts_at": "2025-01-01T10:00:00Z",
                "ends_at": "2025-01-01T10:05:00Z",
            },
        )
        assert nothing.status_code == 422
        assert "no recording" in nothing.json()["detail"]
        too_long = operator.post(
            "/exports",
            json={
                "camera_id": camera["id"],
                "starts_at": "2025-01-01T10:00:00Z",
                "ends_at": "2025-01-01T12:00:00Z",
            },
        )
        assert too_long.status_code == 422
    download = httpx.get(export["download_url"], timeout=30)
    assert download.status_code == 200
    assert len(download.content) == export["size"]
    times = clock_times(io.BytesIO(download.content))
    assert starts_at - timedelta(seconds=KEYFRAME_S + 0.2) <= times[0] <= starts_at
    assert ends_at - timedelta(seconds=0.5) <= times[-1] < ends_at
    assert len(times) >= 55  # 6 s at 10 fps, every frame of both segments
    actions = stack.sql("SELECT action FROM admin.audit_log WHERE target_id = %s", export_id)
    assert ("export.create",) in actions


def test_other_tenants_recordings_are_404_and_audited(stack: Stack) -> None:
    camera = _camera(stack, mode="off")
    intruder = make_tenant(stack.service, stack.root)
    with intruder.client(stack.service, "admin") as b:
        assert b.get(f"/cameras/{camera['id']}/recordings").status_code == 404
        assert b.get(f"/cameras/{camera['id']}/bookmarks").status_code == 404
        export = b.post(
            "/exports",
            json={
                "camera_id": camera["id"],
                "starts_at": "2026-01-01T10:00:00Z",
                "ends_at": "2026-01-01T10:01:00Z",
            },
        )
        assert export.status_code == 422  # the id is in the body
        assert "no camera" in export.json()["detail"]
        audit = b.get("/audit", params={"target_id": camera["id"]}).json()["items"]
    refused = {(e["action"], e["outcome"]) for e in audit}
    assert {("recording.list", "denied"), ("export.create", "denied")} <= refused


def test_s3_outage_keeps_segments_on_disk_then_uploads_each_once(stack: Stack) -> None:
    camera = _camera(stack)
    eventually(lambda: _availability(stack, camera["id"])["segments"] >= 1, timeout_s=40)
    archiver = stack.recording.archiver
    stack.s3.stop()
    try:
        errors = archiver.stats.errors
        eventually(lambda: archiver.stats.errors > errors, timeout_s=30, what="upload failing")
        directory = next(archiver.root.glob(f"*_c{uuid.UUID(camera['id']).hex}_main"))
        eventually(
            lambda: len(list(directory.glob("*.mp4"))) >= 2,
            timeout_s=40,
            what="segments waiting on disk",
        )
    finally:
        stack.s3.start()
    eventually(lambda: not list(directory.glob("*.mp4")), timeout_s=60, what="queue drained")
    _stop_recording(stack, camera["id"])
    found = _availability(stack, camera["id"])
    assert len(found["ranges"]) == 1, found["ranges"]  # nothing lost across the outage
    starts = stack.sql(
        "SELECT started_at FROM streaming.recordings WHERE camera_id = %s ORDER BY 1", camera["id"]
    )
    assert len(starts) == len(set(starts)) == found["segments"]
    events = stack.sql(
        "SELECT count(*) FROM admin.events WHERE type = 'recording.completed' AND camera_id = %s",
        camera["id"],
    )
    assert events == [(found["segments"],)]  # one event per segment, none twice
    eventually(lambda: scrape_metrics(stack.service)["gtv_recording_backlog"] == 0, timeout_s=20)
    metrics = scrape_metrics(stack.service)
    assert metrics["gtv_recording_errors_total"] >= 1  # the outage is visible to monitoring
    assert metrics["gtv_recording_segments_total"] >= found["segments"]


def test_event_mode_keeps_only_footage_around_plate_reads(stack: Stack) -> None:
    archiver = stack.recording.archiver
    archiver.event_margin = timedelta(seconds=1)
    camera = _camera(stack, mode="events", recording_pre_s=2, recording_post_s=2)
    time.sleep(2 * SEGMENT_S)
    read_at = datetime.now(UTC)
    stack.sql(
        "INSERT INTO ai.detections (id, at, tenant_id, camera_id, plate, plate_key, confidence,"
        " char_confidences, format, box, frames) VALUES (%s, %s, %s, %s, 'BRA2E19', 'BRA2E19',"
        " 0.9, '[]', 'mercosul', '[0,0,1,1]', 1)",
        uuid.uuid4(), read_at, stack.tenant.tenant_id, camera["id"],
    )  # fmt: skip
    time.sleep(3 * SEGMENT_S)
    _stop_recording(stack, camera["id"])
    directory = next(archiver.root.glob(f"*_c{uuid.UUID(camera['id']).hex}_main"))
    eventually(lambda: not list(directory.glob("*.mp4*")), timeout_s=30, what="disk emptied")
    found = _availability(stack, camera["id"])
    assert found["segments"] >= 1
    for kept in found["ranges"]:
        # Only segments within pre/post of the read (a segment is at most ~SEGMENT_S + 1 long).
        assert _when(kept["start"]) <= read_at + timedelta(seconds=2)
        assert _when(kept["end"]) >= read_at - timedelta(seconds=2)
    covered = sum((_when(r["end"]) - _when(r["start"])).total_seconds() for r in found["ranges"])
    assert covered < 4 * SEGMENT_S  # the minutes before and after were dropped


def test_evidence_lock_survives_retention(stack: Stack) -> None:
    camera = _camera(stack, recording_retention_days=1)
    eventually(lambda: _availability(stack, camera["id"])["segments"] >= 3, timeout_s=60)
    _stop_recording(stack, camera["id"])
    found = _availability(stack, camera["id"])
    first = found["ranges"][0]
    locked_from = _when(first["start"]) + timedelta(seconds=1)
    with stack.tenant.client(stack.service, "operator") as operator:
        lock = operator.post(
            f"/cameras/{camera['id']}/bookmarks",
            json={
                "starts_at": locked_from.isoformat(),
                "ends_at": (locked_from + timedelta(seconds=1)).isoformat(),
                "label": "Ocorrência 2026/1234",
            },
        )
        assert lock.status_code == 201, lock.text
        assert (
            operator.delete(f"/cameras/{camera['id']}/bookmarks/{lock.json()['id']}").status_code
            == 403
        )  # lifting an evidence lock is for admins
    assert _availability(stack, camera["id"])["bookmarks"][0]["label"] == "Ocorrência 2026/1234"
    query = "SELECT key FROM streaming.recordings WHERE camera_id = %s"
    keys = {k for (k,) in stack.sql(query, camera["id"])}
    in_two_days = datetime.now(UTC) + timedelta(days=2)
    report, stored = asyncio.run(_retention(stack, in_two_days, keys))
    left = {k for (k,) in stack.sql(query, camera["id"])}
    assert len(left) == 1, left  # only the segment under the lock
    assert left < keys
    assert report.segments_deleted >= len(keys) - 1
    assert stored == left  # deleted from S3 too, the locked one kept


async def _retention(
    stack: Stack, now: datetime, keys: set[str]
) -> tuple[RecordingRetentionReport, set[str]]:
    """Retention as the daily job runs it, but from the day after tomorrow."""
    async with open_runtime(stack.service.settings) as runtime:
        report = await retention.enforce(runtime.db, runtime.recordings, runtime.exports, now)
        stored = set()
        for key in keys:
            try:
                await runtime.recordings.get(key)
                stored.add(key)
            except KeyError:
                pass
    return report, stored


def test_mediamtx_records_and_the_service_archives_its_segments(
    stack: Stack, shared_dir: Path, tmp_path: Path
) -> None:
    """Where MediaMTX runs, it is told to record (its Control API traffic checked against the
    spec) and the service archives what it writes. FFmpeg stands in for MediaMTX's recorder:
    it writes final names at once, the newest file still growing, as MediaMTX does."""
    postgres = PostgresForTests()
    postgres.start()
    mediamtx = FakeMediaMtx(shared_dir / "mediamtx" / "openapi.yaml").start()
    recordings = tmp_path / "recordings"
    settings = service_settings(
        postgres.url,
        tmp_path / "data",
        mediamtx_api_url=mediamtx.url,
        media_poll_interval_s=0.2,
        recordings_dir=recordings,
        recording_segment_s=SEGMENT_S,
        s3_endpoint_url=stack.s3.endpoint,
        s3_access_key=stack.s3.access_key,
        s3_secret_key=stack.s3.secret_key,
        s3_recordings_bucket="test-recordings",  # SeaweedFS gives each bucket volumes of its own
        lpr_enabled=False,
    )
    mediamtx.api_token = Keys(TEST_SECRET.encode()).mediamtx_api_token
    try:
        with LiveService(settings) as service:
            assert service.app.state.recording.recorder is None  # MediaMTX records, not us
            service.app.state.recording.archiver.stale_s = 3.0
            city = make_tenant(service, make_superadmin(service))
            with city.client(service) as admin:
                camera = admin.post(
                    "/cameras",
                    json={
                        "name": "Terminal Central",
                        "main_profile": {"stream_uri": f"{stack.rtsp.url}/main"},
                        "recording_mode": "continuous",
                    },
                ).json()
            path = str(PathName(uuid.UUID(city.tenant_id), uuid.UUID(camera["id"]), "main"))
            eventually(lambda: mediamtx.paths.get(path, {}).get("record") is True, timeout_s=10)
            conf = mediamtx.paths[path]
            assert conf["recordPath"] == f"{recordings.resolve()}/%path/%s-%f"
            assert conf["recordFormat"] == "fmp4"
            assert conf["recordSegmentDuration"] == f"{SEGMENT_S}s"  # 5 s: Go writes "5s" too
            assert conf["sourceOnDemand"] is False

            target = Path(conf["recordPath"].replace("%path", path).replace("%f", "000000"))
            target.parent.mkdir(parents=True)
            recorder = subprocess.Popen(
                ["ffmpeg", "-loglevel", "error", "-rtsp_transport", "tcp",
                 "-i", f"{stack.rtsp.url}/main", "-c", "copy", "-f", "segment",
                 "-segment_time", str(SEGMENT_S), "-segment_format", "mp4",
                 "-segment_format_options", "movflags=+frag_keyframe+empty_moov+default_base_moof",
                 "-reset_timestamps", "1", "-strftime", "1", f"{target}.mp4"],
            )  # fmt: skip
            seen: set[str] = set()

            def on_disk() -> list[Path]:
                files = list(target.parent.glob("*.mp4"))
                seen.update(f.name for f in files)
                return files

            def archived(viewer: httpx.Client) -> int:
                on_disk()
                found = viewer.get(f"/cameras/{camera['id']}/recordings").json()
                return int(found["segments"])

            with city.client(service, "viewer") as viewer:
                try:
                    eventually(lambda: archived(viewer) >= 2, timeout_s=40, every_s=0.3)
                finally:
                    recorder.send_signal(signal.SIGINT)
                    recorder.wait(10)
                eventually(lambda: not on_disk(), timeout_s=30, every_s=0.3)
                found = viewer.get(f"/cameras/{camera['id']}/recordings").json()
            assert found["segments"] == len(seen)  # every one, the last (quiet) one too
            start = _when(found["ranges"][0]["start"]) + timedelta(seconds=SEGMENT_S)
            clip = _play(found["playback_url"], start=start.isoformat(), duration="2")
            assert clip.status_code == 200
            times = clock_times(io.BytesIO(clip.content))
            # FFmpeg names segments to the second (MediaMTX to the microsecond): a looser check.
            assert abs((times[0] - start).total_seconds()) < 3
            assert len(times) >= 15
    finally:
        mediamtx.stop()
        postgres.close()
    assert mediamtx.violations == []
