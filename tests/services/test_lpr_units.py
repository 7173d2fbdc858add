"""The pure parts of LPR in the service: plate text, pass voting, the on-disk queue, CSV."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gtvision.services.lpr.plates import (
    PlateSyntaxError,
    like_pattern,
    matches,
    normalize,
    normalize_pattern,
    plate_key,
)
from gtvision.services.lpr.spool import PendingRead, Spool
from gtvision.services.lpr.tracker import Observation, PassTracker, edit_distance, vote
from gtvision.services.watchlists import csvio
from tests.helpers.lpr import pending_read

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def test_plates_are_normalised_and_garbage_is_named() -> None:
    assert normalize(" abc-1d23 ") == "ABC1D23"
    with pytest.raises(PlateSyntaxError, match="ABC%"):
        normalize("ABC%")
    with pytest.raises(PlateSyntaxError):
        normalize("ABCDEFGHIJKLMN")


def test_confusable_glyphs_share_a_fuzzy_key() -> None:
    assert plate_key("OBC1D23") == plate_key("0BC1023") == plate_key("QBC1O23")
    assert plate_key("BSZ6G12") == plate_key("852G612")
    assert plate_key("ABC1D23") != plate_key("ABC1D24")


@pytest.mark.parametrize(
    ("pattern", "plate", "expected"),
    [
        ("ABC*", "ABC1D23", True),
        ("ABC*", "XABC123", False),
        ("AB?1D23", "ABC1D23", True),
        ("AB?1D23", "ABCC1D23", False),
        ("*1D2*", "ABC1D23", True),
        ("ABC1D23", "ABC1D23", True),
        ("ABC1D23", "ABC1D2", False),
    ],
)
def test_patterns_match_like_sql_like(pattern: str, plate: str, expected: bool) -> None:
    assert matches(normalize_pattern(pattern), plate) is expected


def test_patterns_are_a_closed_alphabet() -> None:
    assert like_pattern("ABC*") == "ABC%"
    assert like_pattern("ABC1D23") is None
    assert normalize_pattern("abc**") == "ABC*"
    for bad in ("ABC%", "A_C", "***", "ABC'; DROP", "(A|B)+"):
        with pytest.raises(PlateSyntaxError):
            normalize_pattern(bad)


def test_edit_distance_stops_early() -> None:
    assert edit_distance("ABC1D23", "ABC1D23") == 0
    assert edit_distance("ABC1D23", "ABC1O23") == 1
    assert edit_distance("ABC1D23", "ABC1D2") == 1
    assert edit_distance("ABC1D23", "XYZ9999", limit=2) == 3


def _obs(text: str, t: float, conf: float = 0.9, evidence: object = None) -> Observation:
    return Observation(
        text, conf, tuple([conf] * len(text)), "mercosul", (0, 0, 10, 5), NOW, t, evidence
    )


def test_one_pass_per_vehicle_with_a_voted_text() -> None:
    tracker = PassTracker(gap_s=2.0)
    for i, text in enumerate(["ABC1D23", "ABC1O23", "ABC1D23", "A8C1D23", "ABC1D23"]):
        tracker.observe(_obs(text, i * 0.2, evidence=f"frame{i}"))
    tracker.observe(_obs("XYZ9876", 0.5))  # another car in the same frames
    assert tracker.close_idle(1.0) == []  # both still in view
    voted = sorted(tracker.close_idle(3.0), key=lambda v: v.text)
    assert [v.text for v in voted] == ["ABC1D23", "XYZ9876"]
    assert voted[0].frames == 5
    assert tracker.open_passes == 0


def test_the_pass_keeps_the_best_frame_only() -> None:
    tracker = PassTracker(gap_s=1.0)
    tracker.observe(_obs("ABC1D23", 0.0, conf=0.7, evidence="first"))
    tracker.observe(_obs("ABC1D23", 0.1, conf=0.95, evidence="best"))
    tracker.observe(_obs("ABC1D23", 0.2, conf=0.8, evidence="third"))
    (voted,) = tracker.close_all()
    assert voted.best.evidence == "best"
    assert voted.best.confidence == 0.95


def test_a_car_that_returns_after_the_gap_is_a_new_pass() -> None:
    tracker = PassTracker(gap_s=1.0)
    tracker.observe(_obs("ABC1D23", 0.0))
    assert len(tracker.close_idle(1.5)) == 1
    tracker.observe(_obs("ABC1D23", 5.0))
    assert len(tracker.close_idle(7.0)) == 1


def test_a_pass_is_told_once_its_reads_agree_and_only_once() -> None:
    tracker = PassTracker(gap_s=2.0, settle_frames=3)
    tracker.observe(_obs("ABC1D23", 0.0))
    tracker.observe(_obs("A8C1D23", 0.2))  # a misread: two agree so far, not three
    tracker.observe(_obs("ABC1D23", 0.4))
    assert tracker.settled() == []
    tracker.observe(_obs("ABC1D23", 0.6))
    (early,) = tracker.settled()
    assert (early.text, early.frames) == ("ABC1D23", 4)
    for i in range(5):  # the car is still in view: its reads join the settled pass
        tracker.observe(_obs("ABC1D23", 0.8 + i * 0.2))
    assert tracker.settled() == []
    assert tracker.close_idle(10.0) == [], "a settled pass makes no second record"
    assert tracker.open_passes == 0
    doubtful = PassTracker(gap_s=2.0, settle_frames=3)
    for i in range(4):
        doubtful.observe(_obs("XYZ9876", i * 0.2, conf=0.3))
    assert doubtful.settled() == [], "sure reads only: a doubtful one waits for the whole pass"
    assert [v.text for v in doubtful.close_idle(10.0)] == ["XYZ9876"]


def test_voting_uses_the_most_common_length() -> None:
    voted = vote([_obs("ABC1D23", 0), _obs("ABC1D2", 0.1, conf=0.99), _obs("ABC1D23", 0.2)])
    assert voted.text == "ABC1D23"
    assert 0 < voted.confidence <= 1


def test_the_spool_keeps_order_and_survives_a_restart(tmp_path: Path) -> None:
    tenant, camera = uuid.uuid4(), uuid.uuid4()

    async def main() -> list[PendingRead]:
        spool = Spool(tmp_path)
        for plate in ("AAA1111", "BBB2222", "CCC3333"):
            await spool.append(
                pending_read(tenant, camera, plate, crop=b"\xff\xd8crop" + plate.encode())
            )
        reopened = Spool(tmp_path)  # a new process after a crash
        out = []
        while len(reopened):
            path, read = await reopened.next()
            out.append(read)
            reopened.done(path)
        return out

    reads = asyncio.run(main())
    assert [r.plate for r in reads] == ["AAA1111", "BBB2222", "CCC3333"]
    assert reads[1].crop == b"\xff\xd8cropBBB2222"
    assert reads[0].tenant_id == tenant
    assert reads[0].at.tzinfo is not None


def test_a_truncated_entry_is_set_aside_not_retried(tmp_path: Path) -> None:
    async def main() -> tuple[str, int]:
        spool = Spool(tmp_path)
        first = await spool.append(pending_read(uuid.uuid4(), uuid.uuid4(), "AAA1111"))
        await spool.append(pending_read(uuid.uuid4(), uuid.uuid4(), "BBB2222"))
        first.write_bytes(first.read_bytes()[:-5])  # torn by a disk fault
        _, read = await spool.next()
        return read.plate, spool.corrupt

    assert asyncio.run(main()) == ("BBB2222", 1)
    assert len(list(tmp_path.glob("*.bad"))) == 1


def test_watchlist_csv_names_every_bad_row() -> None:
    rows, errors = csvio.parse(
        "pattern,reason,priority,expires_at\n"
        "ABC1D23,roubo,3,\n"
        "ABC%,bad pattern,2,\n"
        "ABC*,prefix,9,\n"
        "abc1d23,duplicate,2,\n"
        "XYZ9876,expiry,2,2027-01-01\n"
        "QWE1234,ok,,2027-01-01T00:00:00-03:00\n"
    )
    assert [r.pattern for r in rows] == ["ABC1D23", "QWE1234"]
    assert [(e.line, e.error.split(":")[0]) for e in errors] == [
        (3, "pattern"),
        (4, "priority"),
        (5, "pattern ABC1D23 already on line 2"),
        (6, "expires_at"),
    ]
    with pytest.raises(csvio.HeaderError, match="'pattern' column"):
        csvio.parse("plate\nABC1234\n")


def test_a_queue_shared_by_two_processes_skips_what_the_other_stored(tmp_path: Path) -> None:
    async def main() -> str:
        mine = Spool(tmp_path)
        first = await mine.append(pending_read(uuid.uuid4(), uuid.uuid4(), "AAA1111"))
        await mine.append(pending_read(uuid.uuid4(), uuid.uuid4(), "BBB2222"))
        files = mine._files()
        first.unlink()  # stored by the other process between the listing and the read
        mine._files = lambda: files  # type: ignore[method-assign]
        _, read = await mine.next()
        return read.plate

    assert asyncio.run(main()) == "BBB2222"


def test_the_service_runs_the_int8_detector_when_the_admin_asks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from gtvision.inference.models import BUILTIN_DETECTOR, BUILTIN_DETECTOR_INT8
    from gtvision.services.lpr.runtime import make_reader
    from gtvision.services.settings import Settings

    monkeypatch.setenv("GTV_LPR_PRECISION", "int8")
    assert make_reader(Settings()).detector_path.name == BUILTIN_DETECTOR_INT8
    monkeypatch.delenv("GTV_LPR_PRECISION")
    assert make_reader(Settings()).detector_path.name == BUILTIN_DETECTOR
    monkeypatch.setenv("GTV_LPR_PRECISION", "int4")
    with pytest.raises(ValueError, match="lpr_precision"):
        Settings()
    monkeypatch.setenv("GTV_LPR_PRECISION", "int8")
    with pytest.raises(ValueError, match="lpr_precision is an OpenVINO setting"):
        Settings(lpr_backend="cuda")


def test_the_admin_picks_the_recogniser_and_a_wrong_name_stops_the_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The shipped average, or its first member alone where a server needs the frames."""
    from gtvision.inference.models import add_model, builtin_dir
    from gtvision.inference.training.ensemble import split_recognizer
    from gtvision.services.lpr.runtime import make_reader
    from gtvision.services.settings import Settings

    monkeypatch.setenv("GTV_LPR_MODELS", str(tmp_path / "models"))
    assert make_reader(Settings()).recognizer_model.name == "br_recognizer"
    (first, *_) = split_recognizer(builtin_dir() / "br_recognizer.onnx", tmp_path / "members")
    add_model(first, tmp_path / "models")  # as `gtvision-lpr models add` does
    monkeypatch.setenv("GTV_LPR_RECOGNIZER", "member0")
    reader = make_reader(Settings())
    assert reader.recognizer_model.name == "member0"
    assert reader.recognizer_model.path.parent == tmp_path / "models"
    with pytest.raises(ValueError, match="lpr_recognizer: no recogniser named 'membro0'"):
        Settings(lpr_recognizer="membro0")
    assert Settings(lpr_recognizer="membro0", lpr_enabled=False).lpr_recognizer == "membro0"


def test_service_workers_share_the_cores_among_their_plate_readers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`run --workers N`: N OpenVINO readers each taking every core only contend."""
    import os

    from gtvision.inference.backends import OpenVinoConfig
    from gtvision.services.cli import share_cores
    from gtvision.services.lpr.runtime import make_reader
    from gtvision.services.settings import Settings

    monkeypatch.setenv("GTV_LPR_THREADS", "0")  # undone after the test, whatever is set
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: set(range(8)), raising=False)
    share_cores(Settings(), 4)
    assert Settings().lpr_threads == 2
    config = make_reader(Settings()).backend.config
    assert isinstance(config, OpenVinoConfig)
    assert config.threads == 2
    share_cores(Settings(), 2)  # set now (as by an admin): it stands
    assert Settings().lpr_threads == 2
    monkeypatch.setenv("GTV_LPR_THREADS", "0")
    share_cores(Settings(), 16)  # more processes than cores: one thread each, never none
    assert Settings().lpr_threads == 1
