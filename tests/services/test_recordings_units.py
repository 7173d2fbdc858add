"""Recording pieces on their own: segment names, probing, clip remuxing, MediaMTX path config."""

from __future__ import annotations

import asyncio
import io
import itertools
import os
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import av
import pytest
from sqlalchemy.exc import DBAPIError

from gtvision.services.media.mediamtx import PathConf
from gtvision.services.media.paths import (
    CameraSource,
    PathName,
    RecordingConf,
    Variant,
    desired_paths,
    go_duration,
    plan,
)
from gtvision.services.objects import LocalObjectStore
from gtvision.services.recordings.archiver import Archiver
from gtvision.services.recordings.remux import ClipError, ClipMuxer
from gtvision.services.recordings.segments import (
    BadSegmentError,
    file_name,
    object_key,
    parse,
    probe,
    recording_id,
    scan,
)
from gtvision.services.recordings.service import merge_ranges
from gtvision.services.store.db import Database
from tests.helpers.clock_video import noisy_segment

T, C = uuid.UUID(int=1), uuid.UUID(int=2)
T0 = datetime(2026, 11, 22, 10, 0, 0, tzinfo=UTC)


def _frame_times(data: bytes) -> list[float]:
    with av.open(io.BytesIO(data), "r") as container:
        return [float(f.time or 0) for f in container.decode(video=0)]


def test_segment_names_round_trip_and_foreign_files_are_ignored(tmp_path: Path) -> None:
    started = T0 + timedelta(microseconds=123456)
    directory = tmp_path / str(PathName(T, C, "main"))
    path = directory / file_name(started)
    assert path.name == f"{int(started.timestamp())}-123456.mp4"
    parsed = parse(path)
    assert parsed is not None
    assert (parsed.started_at, parsed.name) == (started, PathName(T, C, "main"))
    assert parse(directory / "2026-11-22_10-00-00-000000.mp4") is None  # MediaMTX's default
    assert parse(tmp_path / "lobby" / path.name) is None  # not one of our paths
    directory.mkdir()
    for name in (file_name(T0 + timedelta(seconds=60)), file_name(T0), "notes.txt"):
        (directory / name).write_bytes(b"")
    (directory / (file_name(T0 + timedelta(seconds=120)) + ".part")).write_bytes(b"")
    (tmp_path / "lobby").mkdir()
    found = scan(tmp_path)
    segments, partial = found[PathName(T, C, "main")]
    assert [s.started_at for s in segments] == [T0, T0 + timedelta(seconds=60)]
    assert len(partial) == 1
    assert list(found) == [PathName(T, C, "main")]


def test_ids_and_keys_are_derived_so_a_replay_changes_nothing() -> None:
    assert recording_id(C, T0) == recording_id(C, T0)
    assert recording_id(C, T0) != recording_id(C, T0 + timedelta(microseconds=1))
    assert object_key(T, C, T0) == f"{T}/{C}/2026/11/22/{file_name(T0)}"


def test_probe_measures_segments_and_rejects_torn_ones(tmp_path: Path) -> None:
    good = tmp_path / "good.mp4"
    good.write_bytes(noisy_segment(3.0))
    info = probe(good, T0)
    assert info.codec == "h264"
    assert info.packets == 30
    assert (info.ended_at - info.started_at).total_seconds() == pytest.approx(3.0, abs=0.01)
    torn = tmp_path / "torn.mp4"
    torn.write_bytes(good.read_bytes()[:300])  # the header and little else: a crash
    with pytest.raises(BadSegmentError):
        probe(torn, T0)
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"not a video at all" * 100)
    with pytest.raises(BadSegmentError):
        probe(junk, T0)


def test_clip_starts_on_the_keyframe_before_and_keeps_gaps_in_time() -> None:
    first, second = noisy_segment(4.0), noisy_segment(4.0)
    out = io.BytesIO()
    muxer = ClipMuxer(out, T0 + timedelta(seconds=2.5), T0 + timedelta(seconds=16), fragmented=True)
    muxer.add(T0, first)
    muxer.add(T0 + timedelta(seconds=10), second)  # six seconds not recorded in between
    assert muxer.close() == T0 + timedelta(seconds=2)  # the keyframe at 2 s, not 2.5 s
    times = _frame_times(out.getvalue())
    assert times[0] == pytest.approx(0.0)
    assert len(times) == 20 + 40  # 2.0 to 3.9 s of the first, all of the second
    jump = max(b - a for a, b in itertools.pairwise(times))
    assert jump == pytest.approx(6.1, abs=0.02)  # the gap stays a gap
    with av.open(io.BytesIO(out.getvalue()), "r") as container:
        assert (
            container.metadata["comment"]
            == f"recorded-from={(T0 + timedelta(seconds=2)).isoformat()}"
        )


def test_clip_stops_at_the_end_and_at_a_codec_change() -> None:
    muxer = ClipMuxer(io.BytesIO(), T0, T0 + timedelta(seconds=1.5), fragmented=False)
    muxer.add(T0, noisy_segment(4.0))
    assert muxer.done
    muxer.add(T0 + timedelta(seconds=4), noisy_segment(4.0))  # ignored: already past the end
    assert muxer.packets == 15
    changed = ClipMuxer(io.BytesIO(), T0, T0 + timedelta(seconds=20), fragmented=True)
    changed.add(T0, noisy_segment(2.0))
    changed.add(T0 + timedelta(seconds=2), noisy_segment(2.0, codec="mpeg4"))
    assert changed.done
    assert changed.packets == 20


def test_a_range_with_no_frames_is_a_clip_error() -> None:
    muxer = ClipMuxer(
        io.BytesIO(), T0 + timedelta(seconds=10), T0 + timedelta(seconds=20), fragmented=True
    )
    muxer.add(T0, noisy_segment(2.0))  # ends before the range starts
    with pytest.raises(ClipError):
        muxer.close()


def test_ranges_merge_segments_and_show_gaps() -> None:
    s = timedelta(seconds=1)
    ranges = merge_ranges(
        [(T0, T0 + 60 * s), (T0 + 60.5 * s, T0 + 120 * s), (T0 + 300 * s, T0 + 360 * s)]
    )
    assert [(r.start, r.end) for r in ranges] == [
        (T0, T0 + 120 * s),
        (T0 + 300 * s, T0 + 360 * s),
    ]
    assert merge_ranges([]) == []


def test_recorded_cameras_become_recording_paths() -> None:
    recording = RecordingConf(
        root="/var/lib/gtvision/recordings/", segment_s=60, delete_after_s=86_400
    )
    streams: dict[Variant, str] = {"main": "rtsp://h/main", "sub": "rtsp://h/sub"}
    other = uuid.UUID(int=9)
    desired = desired_paths(
        [CameraSource(T, C, streams, record=True), CameraSource(T, other, streams)], recording
    )
    main = desired[str(PathName(T, C, "main"))].body()
    assert main["record"] is True
    assert main["recordPath"] == "/var/lib/gtvision/recordings/%path/%s-%f"
    assert main["recordFormat"] == "fmp4"
    # As Go prints durations, which is how MediaMTX returns them: no churn on read-back.
    assert (main["recordSegmentDuration"], main["recordDeleteAfter"]) == ("1m0s", "24h0m0s")
    assert [go_duration(s) for s in (5, 90, 3600, 604_800)] == ["5s", "1m30s", "1h0m0s", "168h0m0s"]
    assert main["sourceOnDemand"] is False  # recorded: pulled all the time
    assert desired[str(PathName(T, C, "sub"))].body()["record"] is False
    plain = desired[str(PathName(T, other, "main"))]
    assert plain.body()["sourceOnDemand"] is True
    assert "recordPath" not in plain.body()
    # MediaMTX reads a path back with its own record* defaults: that is no change to make.
    read_back = PathConf.model_validate(
        {
            **plain.body(),
            "name": plain.name,
            "recordPath": "./recordings/%path/x",
            "recordFormat": "fmp4",
        }
    )
    assert plan({plain.name or "": plain}, {plain.name or "": read_back}).empty
    assert (
        desired_paths([CameraSource(T, C, streams, record=True)])[
            str(PathName(T, C, "main"))
        ].record
        is False
    )  # no recording config: the service's own recorder does it


def test_archiver_sets_torn_files_aside_and_recovers_a_dead_recorders_partial(
    tmp_path: Path,
) -> None:
    directory = tmp_path / str(PathName(T, C, "main"))
    directory.mkdir()
    torn = directory / file_name(T0)
    torn.write_bytes(b"\x00\x00\x00\x18ftypiso5" + b"\x00" * 100)
    newer = directory / file_name(T0 + timedelta(seconds=60))
    newer.write_bytes(noisy_segment(1.0))
    partial = directory / (file_name(T0 + timedelta(seconds=120)) + ".part")
    partial.write_bytes(noisy_segment(1.0))
    old = time.time() - 600
    for path in (torn, newer, partial):
        os.utime(path, (old, old))
    store = LocalObjectStore(tmp_path / "objects", b"k" * 32, "http://127.0.0.1")
    archiver = Archiver(Database("postgresql+asyncpg://nobody@127.0.0.1:9/none"), store, tmp_path)

    async def first_pass() -> None:
        # Only the torn file is looked at: the newer segment needs the database (unreachable
        # here), so the pass stops there, as it would during an outage.
        with pytest.raises((OSError, DBAPIError)):
            await archiver.pass_once()

    asyncio.run(first_pass())
    assert archiver.stats.bad == 1
    assert (tmp_path / ".bad" / directory.name / torn.name).exists()
    assert not partial.exists()
    assert (directory / partial.name.removesuffix(".part")).exists()  # recovered for upload
    assert newer.exists()  # waits for the database; nothing lost


def test_a_pipe_carries_chunks_then_the_producer_s_failure() -> None:
    import threading

    from gtvision.services.recordings.threads import Pipe

    async def scenario() -> tuple[list[bytes], str]:
        pipe: Pipe[bytes] = Pipe(asyncio.get_running_loop(), maxsize=2)

        def produce() -> None:
            for n in range(5):  # more than the queue holds: the producer waits on the reader
                pipe.put(b"%d" % n)
            pipe.fail(OSError("segment 2 is gone"))

        threading.Thread(target=produce, daemon=True).start()
        got: list[bytes] = []

        async def read_it_all() -> None:
            async for chunk in pipe:
                got.append(chunk)

        with pytest.raises(OSError, match="segment 2") as failure:
            await read_it_all()
        return got, str(failure.value)

    got, why = asyncio.run(scenario())
    assert got == [b"0", b"1", b"2", b"3", b"4"]
    assert why == "segment 2 is gone"


def test_a_pipe_whose_reader_left_stops_its_producer() -> None:
    import threading

    from gtvision.services.recordings.threads import Pipe

    async def scenario() -> BaseException | None:
        pipe: Pipe[bytes] = Pipe(asyncio.get_running_loop(), maxsize=1)
        stopped: list[BaseException] = []
        done = threading.Event()

        def produce() -> None:
            try:
                while True:
                    pipe.put(b"x")
            except BrokenPipeError as exc:
                stopped.append(exc)
            finally:
                done.set()

        threading.Thread(target=produce, daemon=True).start()
        async for _ in pipe:
            break  # the player closed the tab
        await asyncio.to_thread(done.wait, 10)
        return stopped[0] if stopped else None

    assert isinstance(asyncio.run(scenario()), BrokenPipeError)
