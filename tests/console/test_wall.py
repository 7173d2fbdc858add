"""The wall on screen: real RTSP video in tiles, drag and drop, layouts, maximise.

The tiles paint decoded frames themselves, so ``grab()`` shows what the operator sees.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from gtvision.console.layouts import PRESETS
from gtvision.console.playback import PlaybackState, Resolve
from gtvision.console.players import StreamSource
from gtvision.console.wall import Quality, WallController
from gtvision.console.widgets.tile import CAMERA_MIME, TILE_MIME, TileWidget
from gtvision.console.widgets.wall import WallWidget
from tests.console.conftest import Loop
from tests.console.test_players import pixels
from tests.helpers.media_peers import GstRtspServer


def drop(tile: TileWidget, mime_type: str, payload: str) -> None:
    mime = QMimeData()
    mime.setData(mime_type, QByteArray(payload.encode()))
    point, action = QPointF(20, 20), Qt.DropAction.MoveAction
    buttons, modifiers = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    try:  # Qt 6.12 takes a QPointF and deprecates the QPoint form
        enter = QDragEnterEvent(point, action, mime, buttons, modifiers)  # type: ignore[call-overload,unused-ignore]
    except TypeError:
        enter = QDragEnterEvent(point.toPoint(), action, mime, buttons, modifiers)
    QApplication.sendEvent(tile, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(tile, QDropEvent(point, action, mime, buttons, modifiers))


def no_sources(camera: str, quality: Quality) -> Resolve:
    """For tests about which camera each tile shows, not its video."""

    async def resolve() -> list[StreamSource]:
        return []

    return resolve


def moving(loop: Loop, tile: TileWidget) -> bool:
    first = tile.grab().toImage()
    loop.sleep(1.0)
    later = tile.grab().toImage()
    return bool(np.abs(pixels(later).astype(int) - pixels(first).astype(int)).mean() > 0.5)


def test_wall_plays_drops_swaps_switches_and_maximises(loop: Loop, tmp_path: Path) -> None:
    asked: list[tuple[str, Quality]] = []
    with GstRtspServer() as rtsp:

        def sources_for(camera: str, quality: Quality) -> Resolve:
            async def resolve() -> list[StreamSource]:
                asked.append((camera, quality))
                return [StreamSource("rtsp", f"{rtsp.url}/{quality}")]

            return resolve

        wall = WallController(sources_for, lambda camera: f"Camera {camera}")
        widget = WallWidget(wall)
        widget.resize(960, 540)
        widget.show()

        drop(widget.tiles[0], CAMERA_MIME, "cam-a")  # from the camera tree
        assert wall.cameras == ["cam-a", None, None, None]
        tile = widget.tiles[0]
        loop.wait_until(lambda: tile.current_frame() is not None, 30, "a frame in the tile")
        assert moving(loop, tile)
        screenshot = tmp_path / "wall.png"
        assert widget.grab().save(str(screenshot))
        assert QImage(str(screenshot)).width() == 960
        assert asked[0] == ("cam-a", "sub")

        drop(widget.tiles[3], TILE_MIME, "0")  # tile 0 dragged onto tile 3
        assert wall.cameras == [None, None, None, "cam-a"]
        assert widget.tiles[3].playback is wall.playbacks[3] is not None
        assert widget.tiles[0].playback is None

        wall.set_layout(PRESETS["1+5"])
        assert len(widget.tiles) == 6
        assert wall.cameras[0] == "cam-a"  # compacted to the first tile, not lost
        loop.wait_until(lambda: widget.tiles[0].current_frame() is not None, 30, "video after")

        widget.tiles[0].mouseDoubleClickEvent(None)  # type: ignore[arg-type]
        assert wall.maximised == 0
        loop.wait_until(lambda: asked[-1] == ("cam-a", "main"), 10, "the main stream asked for")
        assert not widget.tiles[1].isVisible()
        loop.wait_until(
            lambda: (f := widget.tiles[0].current_frame()) is not None and f.width() == 320,
            30,
            "main-stream frames",
        )
        widget.tiles[0].mouseDoubleClickEvent(None)  # type: ignore[arg-type]
        assert wall.maximised is None
        loop.wait_until(lambda: asked[-1] == ("cam-a", "sub"), 10, "the sub stream asked for")
        assert widget.tiles[1].isVisible()
        playback = wall.playbacks[0]
        assert playback is not None
        loop.wait_until(lambda: playback.state == PlaybackState.LIVE, 30, "sub stream again")
        loop.run(wall.close())
        widget.close()


def test_wheel_zoom_and_a_snapshot_of_what_is_seen(loop: Loop, tmp_path: Path) -> None:
    with GstRtspServer() as rtsp:

        def sources_for(camera: str, quality: Quality) -> Resolve:
            async def resolve() -> list[StreamSource]:
                return [StreamSource("rtsp", f"{rtsp.url}/main")]

            return resolve

        wall = WallController(sources_for, str, layout=PRESETS["1x1"])
        widget = WallWidget(wall)
        widget.resize(640, 480)
        widget.show()
        wall.assign(0, "cam")
        tile = widget.tiles[0]
        loop.wait_until(lambda: tile.current_frame() is not None, 30, "a frame")
        centre = QPointF(tile.width() / 2, tile.height() / 2)
        for _ in range(3):
            event = QWheelEvent(
                centre,
                centre,
                QPoint(0, 0),
                QPoint(0, 120),
                Qt.MouseButton.NoButton,
                Qt.KeyboardModifier.NoModifier,
                Qt.ScrollPhase.NoScrollPhase,
                False,
            )
            QApplication.sendEvent(tile, event)
        assert round(tile.zoom, 2) == 1.95
        shot = tmp_path / "zoomed.png"
        assert tile.save_snapshot(str(shot))
        frame = tile.current_frame()
        assert frame is not None
        assert QImage(str(shot)).width() == round(frame.width() / tile.zoom)  # the zoomed part
        tile.reset_zoom()
        assert tile.save_snapshot(str(shot))
        assert QImage(str(shot)).size() == frame.size()
        loop.run(wall.close())
        widget.close()


def test_painting_does_not_eat_references_to_none(qapp: QApplication) -> None:
    """PySide6 6.12.0 released ``None`` once more on every Python override of a Qt virtual;
    on Python 3.11 a wall of 16 tiles then crashed within minutes. A tile must paint for ever."""
    import sys

    tile = TileWidget(0)
    tile.resize(320, 180)
    tile.show()
    before = sys.getrefcount(None)
    for _ in range(200):
        tile.repaint()
    assert sys.getrefcount(None) - before > -50
    tile.close()


def test_a_view_with_more_cameras_than_tiles_tours(loop: Loop) -> None:
    wall = WallController(no_sources, str)
    widget = WallWidget(wall)
    widget.show()
    wall.show_view(PRESETS["1x1"], ["a", "b", "c"], tour_s=0.3)  # type: ignore[arg-type]
    assert wall.cameras == ["a"]
    assert widget.tiles[0].title == "a"
    loop.wait_until(lambda: wall.cameras == ["b"], 5, "the second page")
    loop.wait_until(lambda: wall.cameras == ["c"], 5, "the third page")
    loop.wait_until(lambda: wall.cameras == ["a"], 5, "back to the first")
    drop(widget.tiles[0], CAMERA_MIME, "z")  # the operator takes over: the tour stops
    assert wall.tour_page == 0
    loop.sleep(0.8)
    assert wall.cameras == ["z"]
    wall.show_view(PRESETS["1x1"], ["a", "b", "c"], tour_s=0.3)  # type: ignore[arg-type]
    wall.set_layout(PRESETS["2x2"])  # so does a layout switch
    assert wall.tour_page == 0
    kept = list(wall.cameras)
    loop.sleep(0.8)
    assert wall.cameras == kept
    loop.run(wall.close())
    widget.close()


def test_one_tile_tours_while_the_others_stay(loop: Loop) -> None:
    wall = WallController(no_sources, str)
    widget = WallWidget(wall)
    widget.show()
    wall.show_view(PRESETS["2x2"], ["a", "x", None, None], tour_s=None)
    wall.start_tile_tour(0, ["a", "b", "c"], 0.3)
    assert widget.tiles[0].touring
    loop.wait_until(lambda: wall.cameras[0] == "b", 5, "the tile's second camera")
    loop.wait_until(lambda: wall.cameras[0] == "c", 5, "its third")
    assert wall.cameras[1:] == ["x", None, None]  # the rest of the wall stays put
    drop(widget.tiles[1], CAMERA_MIME, "z")  # a drop elsewhere leaves the tour running
    loop.wait_until(lambda: wall.cameras[0] == "a", 5, "round again")
    drop(widget.tiles[0], CAMERA_MIME, "z")  # a drop on the touring tile ends it
    assert not widget.tiles[0].touring
    loop.sleep(0.8)
    assert wall.cameras[0] == "z"
    loop.run(wall.close())
    widget.close()


def test_cameras_that_left_the_directory_leave_the_wall(loop: Loop) -> None:
    wall = WallController(no_sources, str)
    wall.show_view(PRESETS["2x2"], ["a", "b", "c", "d", "e"], tour_s=30)
    wall.keep_only({"a", "b", "c", "d", "e"})
    assert wall.cameras == ["a", "b", "c", "d"], "all known: nothing moves"
    wall.keep_only({"a", "c", "e"})  # "b" and "d" removed by an admin
    assert wall.cameras == ["a", None, "c", None]
    assert [p is None for p in wall.playbacks] == [False, True, False, True]
    assert wall._tour is None, "the tour would bring them back"
    wall.keep_only(set())  # another city's user signed in here
    assert wall.cameras == [None] * 4
    loop.run(wall.close())
