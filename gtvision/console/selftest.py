"""``gtvision-console --self-test``: prove an installation (a PyInstaller bundle above all) has
what the wall needs at run time, then exit 0 — or 1 with what is missing.

It makes a short moving test clip with PyAV's encoder, plays it in a real wall tile through
the same player and painting path as a camera, and checks that the tile's picture moves; it
also checks the translations, the dashboard's charts, that every registered player backend
imports and that the alarm sound's audio library loads (it plays nothing: a wall PC's
self-test stays quiet).
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from pathlib import Path

import av
import numpy as np
from av.video.stream import VideoStream
from PySide6.QtCore import QTranslator
from PySide6.QtGui import QImage

from gtvision.console.app import I18N_DIR
from gtvision.console.layouts import PRESETS
from gtvision.console.playback import PlaybackState, Resolve
from gtvision.console.players import FALLBACK_ORDER, PLAYERS, StreamSource
from gtvision.console.wall import Quality, WallController
from gtvision.console.widgets.wall import WallWidget

_FPS = 25


def make_test_clip(path: Path, seconds: float = 4.0, size: tuple[int, int] = (320, 180)) -> None:
    """A bar sweeping across a gradient, H.264 if the build has an encoder for it, else MPEG-4."""
    width, height = size
    codec = "libx264" if "libx264" in av.codecs_available else "mpeg4"
    with av.open(str(path), mode="w") as out:
        stream = out.add_stream(codec, rate=_FPS)
        assert isinstance(stream, VideoStream)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        base = np.tile(np.linspace(30, 200, width, dtype=np.uint8), (height, 1))
        for n in range(int(seconds * _FPS)):
            grey = base.copy()
            x = (n * 6) % width
            grey[:, x : x + 16] = 255
            frame = av.VideoFrame.from_ndarray(np.dstack([grey] * 3), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def _pixels(image: QImage) -> np.ndarray:
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    view = np.frombuffer(image.constBits(), np.uint8, image.sizeInBytes())
    return view.reshape(image.height(), image.bytesPerLine())[:, : image.width() * 4]


async def run_self_test() -> list[str]:
    """The problems found; empty means the installation works."""
    problems = [f"player {key!r} is not registered" for key in FALLBACK_ORDER if key not in PLAYERS]
    translator = QTranslator()
    if not translator.load("gtvision_pt_BR", str(I18N_DIR)):
        problems.append(f"the pt-BR translation is missing from {I18N_DIR}")
    elif not translator.translate("TileWidget", "Drag a camera here"):
        problems.append("the pt-BR translation is empty")
    try:
        from gtvision.console.sound import AlarmSound

        AlarmSound()
    except Exception as exc:  # an incomplete bundle: name what broke
        problems.append(f"the alarm sound cannot be made ({type(exc).__name__}: {exc})")
    try:
        from gtvision.console.admin.dashboard import DashboardWindow

        board = DashboardWindow()  # the charts library, with its data files
        board.deleteLater()
    except Exception as exc:
        problems.append(f"the dashboard cannot be made ({type(exc).__name__}: {exc})")
    with tempfile.TemporaryDirectory(prefix="gtv-selftest-") as directory:
        clip = Path(directory) / "clip.mp4"
        await asyncio.to_thread(make_test_clip, clip)

        def sources_for(camera: str, quality: Quality) -> Resolve:
            async def resolve() -> list[StreamSource]:
                return [StreamSource("file", str(clip))]

            return resolve

        wall = WallController(sources_for, lambda camera: "self-test", layout=PRESETS["2x2"])
        widget = WallWidget(wall)
        widget.resize(640, 360)
        widget.show()
        wall.assign(0, "self-test")
        tile, playback = widget.tiles[0], wall.playbacks[0]
        if playback is not None:
            painted = asyncio.Event()
            playback.frameReady.connect(painted.set)  # after the tile's own slot
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(painted.wait(), 20)
        if tile.current_frame() is None or playback is None:
            problems.append(f"no picture in 20 s ({playback.detail if playback else 'no player'})")
        else:
            first = _pixels(tile.grab().toImage()).astype(int)
            await asyncio.sleep(0.6)
            later = _pixels(tile.grab().toImage()).astype(int)
            if np.abs(later - first).mean() < 0.5:
                problems.append("the tile's picture does not move")
            if playback.state is not PlaybackState.LIVE:
                problems.append(f"the tile is {playback.state}, not live")
        await wall.close()
        widget.close()
    return problems
