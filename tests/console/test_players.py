"""Tile playback against real peers: gst-rtsp-server, ffmpeg's live HLS, an aiortc WHEP server.

"Moving video" means two frames some time apart differ: each peer sends a moving pattern.
"""

from __future__ import annotations

from pathlib import Path

import aioice.ice
import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage

from gtvision.console.playback import PlaybackState, TilePlayback, in_fallback_order
from gtvision.console.players import PLAYERS, VLC_AVAILABLE, StreamSource
from gtvision.retry import Backoff
from tests.console.conftest import Loop
from tests.helpers.media_peers import (
    GstRtspServer,
    LiveHls,
    WebrtcbinWhep,
    WhepServer,
    free_port,
)

FAST_RETRY = Backoff(initial_s=0.1, max_s=0.5, deadline_s=float("inf"))


def pixels(image: QImage) -> np.ndarray:
    converted = image.convertToFormat(QImage.Format.Format_RGB888)
    view = np.frombuffer(converted.constBits(), np.uint8, converted.sizeInBytes())
    return view.reshape(converted.height(), converted.bytesPerLine())[:, : converted.width() * 3]


def playback_of(*sources: StreamSource, **options: float) -> TilePlayback:
    async def resolve() -> list[StreamSource]:
        return list(sources)

    return TilePlayback(resolve, backoff=FAST_RETRY, **options)  # type: ignore[arg-type]


def assert_moving_video(loop: Loop, playback: TilePlayback) -> None:
    loop.wait_until(lambda: playback.state == PlaybackState.LIVE, 30, "live video")
    first = playback.take_frame()
    assert first is not None
    assert not first.isNull()
    loop.sleep(1.0)
    later = playback.take_frame()
    assert later is not None
    assert later.size() == first.size()
    assert np.abs(pixels(later).astype(int) - pixels(first).astype(int)).mean() > 0.5


def test_fallback_order_prefers_webrtc_then_hls_then_rtsp() -> None:
    assert set(PLAYERS) >= {"webrtc", "hls", "rtsp"}
    sources = [StreamSource(k, f"{k}://x") for k in ("rtsp", "vlc", "webrtc", "hls")]
    assert [s.backend for s in in_fallback_order(sources)] == ["webrtc", "hls", "rtsp", "vlc"]


@pytest.mark.skipif(not VLC_AVAILABLE, reason="needs python-vlc and libVLC (bootstrap.sh dev)")
@pytest.mark.parametrize(
    ("mode", "expected"),
    [
        ("off", ["webrtc", "hls", "rtsp"]),
        ("last", ["webrtc", "hls", "rtsp", "vlc", "vlc"]),
        ("first", ["vlc", "vlc", "webrtc", "hls", "rtsp"]),
    ],
)
def test_libvlc_takes_the_place_the_settings_give_it(mode: str, expected: list[str]) -> None:
    QSettings().setValue("players/vlc", mode)
    sources = [StreamSource(k, f"{k}://x") for k in ("rtsp", "webrtc", "hls")]
    ordered = in_fallback_order(sources)
    assert [s.backend for s in ordered] == expected
    tried_by_vlc = [s.url for s in ordered if s.backend == "vlc"]
    assert tried_by_vlc == ["hls://x", "rtsp://x"][: expected.count("vlc")]


@pytest.mark.skipif(not VLC_AVAILABLE, reason="needs python-vlc and libVLC (bootstrap.sh dev)")
def test_libvlc_plays_live_hls(loop: Loop, tmp_path: Path) -> None:
    with LiveHls(tmp_path, size="320x180") as hls:
        playback = playback_of(StreamSource("vlc", hls.url))
        playback.start()
        assert_moving_video(loop, playback)
        assert playback.backend == "vlc"
        frame = playback.take_frame()
        assert frame is not None
        assert (frame.width(), frame.height()) == (320, 180)  # libVLC's padding rows cut off
        loop.run(playback.stop())
    assert playback.state == PlaybackState.IDLE


@pytest.mark.skipif(not VLC_AVAILABLE, reason="needs python-vlc and libVLC (bootstrap.sh dev)")
def test_what_libvlc_cannot_play_falls_back(loop: Loop) -> None:
    """libVLC first, on RTSP: Debian's libVLC has no live555, so the tile ends up on PyAV's
    RTSP, playing (a libVLC with live555 plays it itself)."""
    live555 = any(Path("/usr/lib").glob("*/vlc/plugins/access/liblive555_plugin.so"))
    QSettings().setValue("players/vlc", "first")
    with GstRtspServer() as rtsp:
        playback = playback_of(StreamSource("rtsp", rtsp.url + "/sub"))
        playback.start()
        assert_moving_video(loop, playback)
        assert playback.backend == ("vlc" if live555 else "rtsp")
        loop.run(playback.stop())


def test_rtsp_plays_moving_video(loop: Loop) -> None:
    with GstRtspServer() as rtsp:
        playback = playback_of(StreamSource("rtsp", rtsp.url + "/sub"))
        playback.start()
        assert_moving_video(loop, playback)
        assert playback.backend == "rtsp"
        assert playback.take_frame().size().width() == 160  # type: ignore[union-attr]
        assert playback.fps > 5
        loop.run(playback.stop())
    assert playback.state == PlaybackState.IDLE


def test_hls_plays_moving_video_from_the_live_edge(loop: Loop, tmp_path: Path) -> None:
    with LiveHls(tmp_path) as hls:
        playback = playback_of(StreamSource("hls", hls.url))
        playback.start()
        assert_moving_video(loop, playback)
        loop.run(playback.stop())


def test_webrtc_plays_moving_video_over_whep(loop: Loop, loopback_ice: None) -> None:
    with WhepServer(token="s3cret") as whep:
        playback = playback_of(StreamSource("webrtc", f"{whep.url}/t1/c1/sub/whep?token=s3cret"))
        playback.start()
        assert_moving_video(loop, playback)
        assert playback.first_frame_s["webrtc"] < 10
        loop.run(playback.stop())


def test_webrtc_plays_from_gstreamer_webrtcbin(loop: Loop, monkeypatch: pytest.MonkeyPatch) -> None:
    """An independent WebRTC stack (libnice, GStreamer's DTLS/SRTP) serving WHEP."""
    with WebrtcbinWhep() as whep:
        host = whep.netns.host_ip
        monkeypatch.setattr(aioice.ice, "get_host_addresses", lambda use_ipv4, use_ipv6: [host])
        playback = playback_of(StreamSource("webrtc", f"{whep.url}/t1/c1/sub/whep"))
        playback.start()
        assert_moving_video(loop, playback)
        loop.run(playback.stop())


def test_a_refused_source_falls_back_to_the_next(loop: Loop, loopback_ice: None) -> None:
    with WhepServer(token="s3cret") as whep, GstRtspServer() as rtsp:
        states: list[tuple[str, str]] = []
        playback = playback_of(
            StreamSource("webrtc", f"{whep.url}/t1/c1/sub/whep?token=wrong"),
            StreamSource("rtsp", rtsp.url + "/sub"),
        )
        playback.stateChanged.connect(lambda state, detail: states.append((state, detail)))
        playback.start()
        loop.wait_until(lambda: playback.state == PlaybackState.LIVE, 30, "live video")
        assert playback.backend == "rtsp"
        assert states[0] == ("connecting", "webrtc")
        loop.run(playback.stop())


def test_wrong_camera_credentials_show_a_clear_reason(loop: Loop) -> None:
    with GstRtspServer(credentials="admin:right") as rtsp:
        url = rtsp.url.replace("rtsp://", "rtsp://admin:wrong@") + "/sub"
        playback = playback_of(StreamSource("rtsp", url))
        states: list[tuple[str, str]] = []  # the tile retries: its state may move on meanwhile
        playback.stateChanged.connect(lambda state, detail: states.append((state, detail)))
        playback.start()
        loop.wait_until(lambda: "offline" in dict(states), 30, "offline")
        reason = next(detail for state, detail in states if state == "offline")
        assert "refused our credentials" in reason
        assert "wrong" not in reason  # the password never reaches the screen
        loop.run(playback.stop())


def test_a_dropped_stream_reconnects_by_itself(loop: Loop) -> None:
    port = free_port()
    server = GstRtspServer()
    server.port, server.url = port, f"rtsp://127.0.0.1:{port}"
    server._args[2] = str(port)
    playback = playback_of(StreamSource("rtsp", server.url + "/sub"), stall_timeout_s=2.0)
    with server:
        playback.start()
        loop.wait_until(lambda: playback.state == PlaybackState.LIVE, 30, "live video")
    loop.wait_until(lambda: playback.state == PlaybackState.RECONNECTING, 30, "reconnecting")
    frames = playback.frames
    with server:  # the camera comes back on the same address
        loop.wait_until(lambda: playback.frames > frames + 5, 40, "video again")
        assert playback.state == PlaybackState.LIVE
        loop.run(playback.stop())


@pytest.mark.parametrize("backend", ["rtsp", "hls", "webrtc"])
def test_an_unreachable_source_goes_offline_with_the_reason(loop: Loop, backend: str) -> None:
    scheme = "rtsp" if backend == "rtsp" else "http"
    url = f"{scheme}://127.0.0.1:{free_port()}/cam/index.m3u8"
    playback = playback_of(StreamSource(backend, url))
    playback.start()
    loop.wait_until(lambda: playback.state == PlaybackState.OFFLINE, 30, "offline")
    assert playback.detail
    loop.run(playback.stop())
