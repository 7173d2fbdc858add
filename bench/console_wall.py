"""Video-wall benchmark: N tiles playing live streams in the real console widgets.

For 1, 4, 9 and 16 tiles of sub streams (640x360) and of main streams (1280x720), all at
25 fps from gst-rtsp-server on 127.0.0.1, it plays the wall for a while and prints per-tile
delivered and painted fps, frames dropped (decoded but superseded before a paint), the
console process's CPU (% of one core) and memory; then time to first frame per backend
(WebRTC through an aiortc WHEP peer, HLS from ffmpeg, RTSP). Offscreen Qt, so painting costs
are real but no compositor is involved. The stream source runs on the same cores.

    .venv/bin/python bench/console_wall.py [--seconds 10] [--tiles 1,4,9,16]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import aioice.ice
import av
import psutil
import qasync
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

from gtvision.console.layouts import WallLayout
from gtvision.console.playback import PlaybackState, Resolve, TilePlayback
from gtvision.console.players import VLC_AVAILABLE, StreamSource
from gtvision.console.players.pyav import HlsPlayer
from gtvision.console.qt import MainThreadGarbageCollector
from gtvision.console.wall import Quality, WallController
from gtvision.console.widgets.tile import TileWidget
from gtvision.console.widgets.wall import WallWidget
from tests.helpers.media_peers import GstRtspServer, LiveHls, WhepServer

LAYOUTS = {1: "1x1", 4: "2x2", 9: "3x3", 16: "4x4"}


class PaintCounter(QObject):
    """Counts the paints each tile receives (an event filter: the tile is left untouched)."""

    def __init__(self, tiles: list[TileWidget]) -> None:
        super().__init__()
        self._index = {id(tile): i for i, tile in enumerate(tiles)}
        self.painted = [0] * len(tiles)
        for tile in tiles:
            tile.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.painted[self._index[id(watched)]] += 1
        return False


async def wall_run(url: str, tiles: int, seconds: float) -> dict[str, float]:
    def sources_for(camera: str, quality: Quality) -> Resolve:
        async def resolve() -> list[StreamSource]:
            return [StreamSource("rtsp", url)]

        return resolve

    wall = WallController(sources_for, str, layout=WallLayout.parse(LAYOUTS[tiles]))
    widget = WallWidget(wall)
    widget.resize(1920, 1080)
    widget.show()
    counter = PaintCounter(widget.tiles)
    painted = counter.painted
    started = time.monotonic()
    for index in range(tiles):
        wall.assign(index, f"cam-{index}")
    playbacks = [p for p in wall.playbacks if p is not None]
    while not all(p.state == PlaybackState.LIVE for p in playbacks):
        await asyncio.sleep(0.05)
        if time.monotonic() - started > 60:
            raise SystemExit(f"{tiles} tiles did not all go live in 60 s")
    first_frame = max(p.first_frame_s["rtsp"] for p in playbacks)
    await asyncio.sleep(2)  # settle
    process = psutil.Process()
    frames0 = [p.frames for p in playbacks]
    dropped0 = [p.dropped for p in playbacks]
    painted0 = list(painted)
    cpu0, t0 = process.cpu_times(), time.monotonic()
    await asyncio.sleep(seconds)
    cpu1, elapsed = process.cpu_times(), time.monotonic() - t0
    delivered = [(p.frames - f) / elapsed for p, f in zip(playbacks, frames0, strict=True)]
    shown = [(n - m) / elapsed for n, m in zip(painted, painted0, strict=True)]
    dropped = sum(p.dropped - d for p, d in zip(playbacks, dropped0, strict=True))
    cpu = (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / elapsed * 100
    await wall.close()
    widget.close()
    widget.deleteLater()
    del counter
    return {
        "fps_min": min(delivered),
        "fps_mean": statistics.mean(delivered),
        "painted_mean": statistics.mean(shown),
        "dropped": dropped,
        "cpu": cpu,
        "rss_mb": process.memory_info().rss / 2**20,
        "first_frame_s": first_frame,
    }


async def first_frame(source: StreamSource) -> float:
    playback = TilePlayback(_fixed(source))
    playback.start()
    started = time.monotonic()
    while playback.state != PlaybackState.LIVE:
        await asyncio.sleep(0.01)
        if time.monotonic() - started > 30:
            raise SystemExit(f"{source.backend}: no picture in 30 s")
    await playback.stop()
    return playback.first_frame_s[source.backend]


def hls_behind_live(hls: LiveHls, seconds: float) -> list[float]:
    """How far behind the encoder the HLS player's frames are: ffmpeg runs in real time (-re)
    from pts 0, so a frame with pts t was made at started_at + t (a slight overestimate)."""
    behind = []
    with av.open(hls.url, options=HlsPlayer.OPTIONS, timeout=(8.0, 5.0)) as container:
        stream = container.streams.video[0]
        stop = time.monotonic() + seconds
        for frame in container.decode(stream):
            behind.append(time.monotonic() - (hls.started_at + float(frame.time or 0.0)))
            if time.monotonic() > stop:
                break
    return behind


def _fixed(source: StreamSource) -> Resolve:
    async def resolve() -> list[StreamSource]:
        return [source]

    return resolve


async def main(args: argparse.Namespace) -> None:
    tiles = [int(t) for t in args.tiles.split(",")]
    print(f"{'stream':<14}{'tiles':>6}{'fps min':>9}{'fps mean':>9}{'painted':>9}"
          f"{'dropped':>9}{'CPU %':>8}{'RSS MB':>8}{'1st frame s':>12}")  # fmt: skip
    for label, size in (("sub 640x360", "1280x720"), ("main 1280x720", "1280x720")):
        path = "sub" if label.startswith("sub") else "main"
        with GstRtspServer(size=size, fps=25) as rtsp:
            for n in tiles:
                r = await wall_run(f"{rtsp.url}/{path}", n, args.seconds)
                print(f"{label:<14}{n:>6}{r['fps_min']:>9.1f}{r['fps_mean']:>9.1f}"
                      f"{r['painted_mean']:>9.1f}{r['dropped']:>9.0f}{r['cpu']:>8.0f}"
                      f"{r['rss_mb']:>8.0f}{r['first_frame_s']:>12.2f}")  # fmt: skip
    aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: ["127.0.0.1"]
    print("\ntime to first frame, one tile, median of 3 (s)")
    with (
        WhepServer() as whep,
        GstRtspServer(fps=25) as rtsp,
        tempfile.TemporaryDirectory() as hls_dir,
        LiveHls(Path(hls_dir)) as hls,
    ):
        sources = [
            StreamSource("webrtc", f"{whep.url}/bench/whep"),
            StreamSource("hls", hls.url),
            StreamSource("rtsp", f"{rtsp.url}/sub"),
        ]
        if VLC_AVAILABLE:  # the optional libVLC player, on HLS (Debian's has no RTSP)
            sources.append(StreamSource("vlc", hls.url))
        for source in sources:
            times = [await first_frame(source) for _ in range(3)]
            print(f"  {source.backend:<8}{statistics.median(times):6.2f}")
        behind = sorted(await asyncio.to_thread(hls_behind_live, hls, 10.0))
        p50, p95 = behind[len(behind) // 2], behind[int(len(behind) * 0.95)]
        print(f"\nHLS behind live (1 s segments): p50 {p50:.2f} s, p95 {p95:.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--tiles", default="1,4,9,16")
    app = QApplication(sys.argv[:1])
    MainThreadGarbageCollector(app)  # as the console does
    app.setQuitOnLastWindowClosed(False)  # each wall run opens and closes a window
    qasync.run(main(parser.parse_args()))
