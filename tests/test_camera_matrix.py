"""The camera matrix: every way the city's cameras send video, each a real server, each read by
the three consumers of :mod:`gtvision.streams` — the LPR source, the built-in recorder and the
console's RTSP player — at the same time, as in the field.

Servers: gst-rtsp-server with parameter sets in-band and only in the SDP, H.265, Basic and
Digest auth, RTSP over UDP, sessions the server ends or times out, a lossy link (1 % of RTP
packets lost, 50 ms jitter), a camera that reboots; and ipycam, an ONVIF camera of another
make, found through ONVIF and joined mid-GOP. Plus what must fail with a clear reason: a stream
without video, a server that answers garbage, a camera that does not answer.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import av
import numpy as np
import pytest

from gtvision.console.players import PlayerError, StreamSource, create_player
from gtvision.onvif.device import describe
from gtvision.onvif.uris import with_credentials
from gtvision.retry import Backoff
from gtvision.services.lpr import source as source_module
from gtvision.services.lpr.source import FrameSource, SourceState
from gtvision.services.recordings import recorder as recorder_module
from gtvision.services.recordings.recorder import Recorder
from gtvision.streams import Outage, StreamError, StreamReader, Tuning
from tests.helpers.lossy_relay import LossyRelay
from tests.helpers.media_peers import GstRtspServer, VirtualCamera, free_port

Transport = Literal["tcp", "udp"]
FAST = Backoff(initial_s=0.2, max_s=1.0, deadline_s=float("inf"))


@dataclass
class Outcome:
    """What each consumer got from one camera over the same seconds."""

    lpr_frames: int = 0
    states: list[SourceState] = field(default_factory=list)
    lpr_connections: int = 0
    lpr_reopened: int = 0
    lpr_damaged: int = 0
    segments: list[Path] = field(default_factory=list)
    recorded_frames: int = 0
    player_frames: list[np.ndarray] = field(default_factory=list)
    player_error: str | None = None

    @property
    def reported_offline(self) -> list[SourceState]:
        return [s for s in self.states if s.status != "online"]


async def _lpr(
    url: str, transport: Transport, outcome: Outcome, seconds: float, first: asyncio.Event
) -> None:
    tuning = replace(source_module.TUNING, transport=transport)
    source = FrameSource(url, 5.0, outage=Outage(5.0, FAST), tuning=tuning)

    async def read() -> None:
        async for item in source.frames():
            if isinstance(item, SourceState):
                outcome.states.append(item)
                first.set()
            else:
                outcome.lpr_frames += 1

    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(read(), seconds)
    outcome.lpr_connections = source.stats.connections
    outcome.lpr_reopened = source.stats.reopened
    outcome.lpr_damaged = source.stats.damaged


async def _record(
    url: str, transport: Transport, outcome: Outcome, seconds: float, tmp: Path
) -> None:
    tuning = replace(recorder_module.TUNING, transport=transport)
    recorder = Recorder(url, tmp, segment_s=2.0, outage=Outage(5.0, FAST), tuning=tuning)
    thread = threading.Thread(target=recorder.run, daemon=True)
    thread.start()
    await asyncio.sleep(seconds)
    recorder.stop()
    await asyncio.to_thread(thread.join, 15)
    assert not thread.is_alive(), "the recorder did not stop"
    outcome.segments, outcome.recorded_frames = await asyncio.to_thread(_recorded, tmp)


def _recorded(directory: Path) -> tuple[list[Path], int]:
    segments = sorted(p for p in directory.iterdir() if p.suffix == ".mp4")
    frames = 0
    for segment in segments:
        with av.open(str(segment)) as container:
            frames += sum(1 for _ in container.decode(video=0))
    return segments, frames


async def _play(url: str, outcome: Outcome, seconds: float) -> None:
    player = create_player(StreamSource("rtsp", url))
    try:
        await asyncio.wait_for(player.play(outcome.player_frames.append), seconds)
    except TimeoutError:
        pass
    except PlayerError as exc:
        outcome.player_error = str(exc)


def read_camera(
    url: str,
    tmp: Path,
    seconds: float = 6.0,
    *,
    transport: Transport = "tcp",
    player: bool = True,
    meanwhile: Callable[[], None] | None = None,
) -> Outcome:
    """All three consumers on ``url`` together for ``seconds``; ``meanwhile`` runs on a thread
    alongside (to reboot the camera mid-way).

    The LPR source goes first and the others join once it has a picture (or 3 s later), one
    after the other: Debian 12's gst-rtsp-server 1.22 aborts (``gst_rtsp_media_get_rates:
    assertion failed``) when clients set up one shared media at the same instant — a bug of
    the test peer, not ours (a CI run saw the recorder and the player join together and the
    server gone: "connection refused").
    """
    outcome = Outcome()

    async def run() -> None:
        first = asyncio.Event()

        async def after_first(job: Coroutine[Any, Any, None], stagger_s: float) -> None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(first.wait(), 3.0)
            await asyncio.sleep(stagger_s)
            await job

        jobs = [
            _lpr(url, transport, outcome, seconds, first),
            after_first(_record(url, transport, outcome, seconds, tmp), 0.0),
        ]
        if player:
            jobs.append(after_first(_play(url, outcome, seconds), 0.7))
        if meanwhile is not None:
            jobs.append(asyncio.to_thread(meanwhile))
        await asyncio.gather(*jobs)

    asyncio.run(run())
    return outcome


def assert_read_recorded_played(outcome: Outcome, *, player: bool = True) -> None:
    assert outcome.states[:1] == [SourceState("online")], outcome.states
    assert outcome.reported_offline == [], "a camera that works was reported offline"
    assert outcome.lpr_frames >= 8, f"LPR saw only {outcome.lpr_frames} frames"
    assert outcome.segments, "nothing was recorded"
    assert outcome.recorded_frames >= 15, f"only {outcome.recorded_frames} frames recorded"
    for segment in outcome.segments:  # each segment plays on its own: it starts on a key frame
        with av.open(str(segment)) as container:
            first = next(container.demux(video=0))
            assert first.is_keyframe, f"{segment.name} does not start on a key frame"
    if player:
        frames = outcome.player_frames
        assert outcome.player_error is None, outcome.player_error
        assert len(frames) >= 15, f"the tile got only {len(frames)} frames"
        assert np.abs(frames[-1].astype(int) - frames[0].astype(int)).mean() > 0.5, "frozen"


CLEAN = {
    "in-band SPS/PPS": {},
    "SPS/PPS only in the SDP": {"RTSP_PARAMETER_SETS": "sdp"},
    "H.265": {"RTSP_CODEC": "h265"},
    "H.265, parameter sets only in the SDP": {"RTSP_CODEC": "h265", "RTSP_PARAMETER_SETS": "sdp"},
    "key frames 3 s apart": {"RTSP_GOP_S": "3"},
}


@pytest.mark.parametrize("variant", CLEAN.values(), ids=list(CLEAN))
def test_every_stream_kind_is_read_recorded_and_played(
    variant: dict[str, str], tmp_path: Path
) -> None:
    with GstRtspServer(variant=variant) as camera:
        early = Outcome()  # someone already watches: everyone else joins mid-GOP
        with _watching(camera.url + "/main", early):
            outcome = read_camera(camera.url + "/main", tmp_path)
    assert_read_recorded_played(outcome)
    assert outcome.lpr_damaged == 0, "a clean camera's packets did not decode"


@pytest.mark.parametrize("scheme", ["basic", "digest"])
def test_basic_and_digest_authentication(scheme: str, tmp_path: Path) -> None:
    variant = {"RTSP_AUTH": scheme}
    with GstRtspServer(credentials="operador:s3nha!", variant=variant) as camera:
        url = with_credentials(camera.url + "/main", "operador", "s3nha!")
        outcome = read_camera(url, tmp_path)
        assert_read_recorded_played(outcome)
        wrong = with_credentials(camera.url + "/main", "operador", "errada")
        with pytest.raises(StreamError) as refused, StreamReader(wrong):
            pass
    assert refused.value.kind == "unauthorized"
    assert refused.value.status == "unauthorized"
    assert "errada" not in str(refused.value)


def test_rtsp_over_udp(tmp_path: Path) -> None:
    """Where a site's network carries UDP; the console's tiles stay on TCP by design."""
    with GstRtspServer() as camera:
        outcome = read_camera(camera.url + "/main", tmp_path, transport="udp",
                              player=False)  # fmt: skip
    assert_read_recorded_played(outcome, player=False)


def test_a_camera_that_ends_every_session_is_reopened_at_once_without_an_outage(
    tmp_path: Path,
) -> None:
    with GstRtspServer(variant={"RTSP_END_AFTER": "3"}) as camera:
        outcome = read_camera(camera.url + "/main", tmp_path, seconds=9.0, player=False)
    assert_read_recorded_played(outcome, player=False)
    assert outcome.lpr_reopened >= 2, "sessions ended every 3 s but were not reopened"
    assert len(outcome.segments) >= 3, "each session should start a segment of its own"


def test_the_session_is_kept_alive_past_the_cameras_session_timeout(tmp_path: Path) -> None:
    with GstRtspServer(variant={"RTSP_SESSION_TIMEOUT": "3"}) as camera:
        outcome = read_camera(camera.url + "/main", tmp_path, seconds=10.0)
    assert_read_recorded_played(outcome)
    assert outcome.lpr_connections == 1, "the session timed out: no keep-alive was sent"


def test_a_lossy_link_costs_frames_not_the_stream(tmp_path: Path) -> None:
    with GstRtspServer(size="640x360") as camera, LossyRelay(camera.port) as link:
        outcome = read_camera(link.url + "/main", tmp_path, seconds=8.0)
    assert link.dropped > 0, "the relay lost nothing: the test tested nothing"
    assert_read_recorded_played(outcome)
    assert outcome.lpr_connections == 1, "packet loss ended the session"


def test_a_camera_that_reboots_is_read_again_and_a_short_reboot_is_no_outage(
    tmp_path: Path,
) -> None:
    with GstRtspServer() as camera:

        def reboot() -> None:
            time.sleep(3.0)
            camera.restart()  # killed without a goodbye, serving again a second later

        outcome = read_camera(camera.url + "/main", tmp_path, seconds=10.0, player=False,
                              meanwhile=reboot)  # fmt: skip
    assert_read_recorded_played(outcome, player=False)
    assert outcome.lpr_connections >= 2
    assert len(outcome.segments) >= 2, "recording did not go on after the reboot"


def test_an_onvif_camera_of_another_make_joined_mid_gop(tmp_path: Path) -> None:
    """ipycam: its own RTSP server (an encoder per client, relayed over local UDP), found
    through ONVIF as an installer adds it."""
    with VirtualCamera(password="matrix-pass") as cam:
        found = asyncio.run(describe(cam.address, "admin", "matrix-pass"))
        uri = next(p.stream_uri for p in found.profiles if p.stream_uri)
        assert uri is not None
        url = with_credentials(uri, "admin", "matrix-pass")
        outcome = read_camera(url, tmp_path, seconds=10.0)
    assert_read_recorded_played(outcome)


def test_what_cannot_be_read_says_why(tmp_path: Path) -> None:
    with GstRtspServer(variant={"RTSP_AUDIO_ONLY": "1"}) as audio:
        with pytest.raises(StreamError) as no_video, StreamReader(audio.url + "/main"):
            pass
        outcome = read_camera(audio.url + "/main", tmp_path / "a", seconds=7.0)
    assert no_video.value.kind == "no_video"
    assert [s.reason for s in outcome.reported_offline][:1] == [no_video.value.message]
    assert outcome.player_error is not None
    assert "no video" in outcome.player_error

    with (
        _garbage_server() as port,
        pytest.raises(StreamError) as garbage,
        StreamReader(f"rtsp://127.0.0.1:{port}/x"),
    ):
        pass
    assert garbage.value.kind == "unreachable"
    assert garbage.value.status == "offline"

    silent = Tuning(open_timeout_s=1.0, read_timeout_s=1.0)
    with (
        pytest.raises(StreamError) as nobody,
        StreamReader(f"rtsp://127.0.0.1:{free_port()}/main", silent),
    ):
        pass
    assert nobody.value.kind == "unreachable"
    assert "cannot open the stream" in nobody.value.message


# -- helpers -------------------------------------------------------------------------------------


class _watching:
    """A first viewer already on the stream, so the consumers under test join it mid-GOP."""

    def __init__(self, url: str, outcome: Outcome) -> None:
        self.url, self.outcome = url, outcome
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, daemon=True)
        self._started = threading.Event()

    def _read(self) -> None:
        with StreamReader(self.url) as reader:
            for _ in reader.packets(self._stop):
                self._started.set()

    def __enter__(self) -> None:
        self._thread.start()
        assert self._started.wait(15), "the first viewer got nothing"
        time.sleep(0.45)  # key frames come every second: now we are between two

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(15)


class _garbage_server:
    """A 'camera' that answers every connection with bytes that are not RTSP."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def _serve(self) -> None:
        rng = np.random.default_rng(3)
        while True:
            try:
                conn, _ = self._socket.accept()
            except OSError:
                return
            with conn:
                conn.recv(4096)
                conn.sendall(rng.integers(0, 256, 2048, dtype=np.uint8).tobytes())

    def __enter__(self) -> int:
        self._thread.start()
        port: int = self._socket.getsockname()[1]
        return port

    def __exit__(self, *_: object) -> None:
        self._socket.close()
