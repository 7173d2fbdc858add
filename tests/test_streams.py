"""When a stream that stopped is reopened, and when that is worth telling the operator
(:class:`gtvision.streams.Outage`); the servers themselves are in test_camera_matrix.py."""

from __future__ import annotations

import pytest

from gtvision.retry import Backoff
from gtvision.streams import Outage, StreamError, Tuning


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr("gtvision.streams.time.monotonic", clock)
    return clock


REFUSED = StreamError("unreachable", "cannot open the stream: Connection refused")
ENDED = StreamError("ended", "the camera ended the stream")


def test_a_session_that_ends_is_reopened_at_once_and_a_blip_is_not_reported(clock: Clock) -> None:
    outage = Outage(blip_s=5.0, backoff=Backoff(initial_s=1.0, max_s=30.0))
    outage.live()
    assert outage.down(ENDED) == (0.0, False)  # reopened at once
    delay, report = outage.down(REFUSED)  # the camera is rebooting
    assert not report
    assert 0.0 <= delay <= 5.0
    clock.now += 3.0
    outage.down(REFUSED)
    outage.live()  # back within the blip: nothing was ever reported
    assert not outage.reported
    assert outage.down(ENDED) == (0.0, False)


def test_a_real_outage_is_reported_once_per_reason_on_time_then_backs_off(clock: Clock) -> None:
    outage = Outage(blip_s=5.0, backoff=Backoff(initial_s=1.0, max_s=30.0))
    reports = []
    delays = []
    for _ in range(12):
        delay, report = outage.down(REFUSED)
        delays.append(delay)
        reports.append(report)
        clock.now += delay
    assert reports.count(True) == 1, "reported once, not at every retry"
    first = reports.index(True)
    assert sum(delays[:first]) >= 5.0 - 1e-9, "reported before the blip allowance ran out"
    assert sum(delays[:first]) <= 5.0 + 1e-9, "the report waited past blip_s"
    assert max(delays) <= 30.0
    other = StreamError("undecodable", "the camera sent 251 packets in a row that do not decode")
    assert outage.down(other)[1], "a new reason is told"


def test_refused_credentials_are_reported_at_once(clock: Clock) -> None:
    outage = Outage(blip_s=5.0)
    refused = StreamError("unauthorized", "the camera refused the credentials (401)")
    assert outage.down(refused)[1]
    assert refused.status == "unauthorized"
    assert REFUSED.status == "offline"


def test_tuning_options_per_consumer() -> None:
    assert Tuning().options("rtsp://cam/main") == {"rtsp_transport": "tcp"}
    assert Tuning(transport="udp").options("rtsp://cam/main")["rtsp_transport"] == "udp"
    assert "rtsp_transport" not in Tuning().options("http://service/hls/index.m3u8")
    assert Tuning(probe_s=0.5).options("rtsp://cam/main")["analyzeduration"] == "500000"
    live = Tuning(low_latency=True, extra={"live_start_index": "-1"}, headers={"A": "b"})
    options = live.options("https://service/index.m3u8")
    assert options["fflags"] == "nobuffer"
    assert options["live_start_index"] == "-1"
    assert options["headers"] == "A: b\r\n"
