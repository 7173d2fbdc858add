"""What the wall shows: cameras per tile, their playbacks, the layout and the maximised tile.

A service object (no widgets): the wall widget renders it and forwards the operator's
gestures. Small tiles play the sub stream; a maximised tile switches to the main stream and
the hidden tiles stop decoding, so a modest PC spends its cores on what is visible.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Literal

from PySide6.QtCore import QObject, Signal

from gtvision.console.layouts import PRESETS, WallLayout, carry_over, tour_pages
from gtvision.console.playback import Resolve, TilePlayback

Quality = Literal["main", "sub"]
SourcesFor = Callable[[str, Quality], Resolve]


class WallController(QObject):
    layoutChanged = Signal()
    tileChanged = Signal(int)
    maximisedChanged = Signal(int)  # -1 when no tile is maximised

    def __init__(
        self,
        sources_for: SourcesFor,
        title_of: Callable[[str], str],
        parent: QObject | None = None,
        layout: WallLayout = PRESETS["2x2"],
    ) -> None:
        super().__init__(parent)
        self._sources_for = sources_for
        self._title_of = title_of
        self.layout = layout
        self.cameras: list[str | None] = [None] * layout.size
        self.playbacks: list[TilePlayback | None] = [None] * layout.size
        self.maximised: int | None = None
        self.tour_page = 0
        self._tour: asyncio.Task[None] | None = None
        self.tile_tours: dict[int, asyncio.Task[None]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    def title(self, index: int) -> str:
        camera = self.cameras[index]
        return self._title_of(camera) if camera else ""

    # Operator gestures -----------------------------------------------------------------------

    def show_view(self, layout: WallLayout, cameras: list[str | None], tour_s: int | None) -> None:
        """A saved view: cameras exactly where they were saved; with more cameras than tiles
        and ``tour_s``, the wall cycles through them a page at a time."""
        self.stop_tour()
        pages = tour_pages(cameras, layout)
        self._place(layout, pages[0])
        if tour_s and len(pages) > 1:
            self._tour = asyncio.ensure_future(self._run_tour(pages, tour_s))

    def stop_tour(self) -> None:
        if self._tour is not None:
            self._tour.cancel()
            self._tour = None
        self.tour_page = 0

    def start_tile_tour(self, index: int, cameras: list[str], seconds: float) -> None:
        """One tile cycles ``cameras`` every ``seconds`` while the rest of the wall stays put."""
        self.stop_tile_tour(index)
        if not 0 <= index < len(self.cameras) or not cameras:
            return
        self.assign(index, cameras[0])
        if len(cameras) > 1:
            self.tile_tours[index] = asyncio.ensure_future(
                self._run_tile_tour(index, cameras, seconds)
            )
        self.tileChanged.emit(index)

    def stop_tile_tour(self, index: int) -> None:
        task = self.tile_tours.pop(index, None)
        if task is not None:
            task.cancel()
            self.tileChanged.emit(index)

    async def _run_tile_tour(self, index: int, cameras: list[str], seconds: float) -> None:
        position = 0
        while True:
            await asyncio.sleep(seconds)
            if self.maximised is not None and self.maximised != index:
                continue  # hidden behind a maximised tile: hold
            position = (position + 1) % len(cameras)
            self.assign(index, cameras[position])

    async def _run_tour(self, pages: list[list[str | None]], seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            if self.maximised is not None:
                continue  # the operator is looking closely at one camera: hold the page
            self.tour_page = (self.tour_page + 1) % len(pages)
            for index, camera in enumerate(pages[self.tour_page]):
                self.assign(index, camera)

    def _place(self, layout: WallLayout, cameras: list[str | None]) -> None:
        for index in list(self.tile_tours):  # tiles are renumbered: their tours end
            self.stop_tile_tour(index)
        self.restore()
        for playback in self.playbacks:
            self._retire(playback)
        self.layout, self.cameras = layout, list(cameras)
        self.playbacks = [self._play(camera, "sub") for camera in self.cameras]
        self.layoutChanged.emit()

    def set_layout(self, layout: WallLayout) -> None:
        self.stop_tour()
        self._place(layout, carry_over(self.cameras, layout))

    def assign(self, index: int, camera_id: str | None) -> None:
        camera_id = camera_id or None  # "" from a widget signal means "empty this tile"
        if not 0 <= index < len(self.cameras) or self.cameras[index] == camera_id:
            return
        self._retire(self.playbacks[index])
        self.cameras[index] = camera_id
        quality: Quality = "main" if index == self.maximised else "sub"
        self.playbacks[index] = self._play(camera_id, quality)
        self.tileChanged.emit(index)

    def place(self, index: int, camera_id: str | None) -> None:
        """The operator puts a camera on a tile: any tour stops, so it is not undone."""
        self.stop_tour()
        self.stop_tile_tour(index)
        self.assign(index, camera_id)

    def keep_only(self, known: set[str]) -> None:
        """Tiles of cameras that left the directory empty: one removed by an admin (no tile
        retrying it for ever), or every camera of the previous city after a user of another
        city (or a superadmin, of none) signed in at this wall."""
        gone = [i for i, camera in enumerate(self.cameras) if camera and camera not in known]
        if not gone:
            return
        self.stop_tour()  # its pages hold them too
        for index in gone:
            self.stop_tile_tour(index)
            self.assign(index, None)

    def fill(self, camera_ids: list[str]) -> None:
        """Put cameras in the free tiles, in order (what "open" and kiosk mode do)."""
        pending = [c for c in camera_ids if c not in self.cameras]
        for index, current in enumerate(self.cameras):
            if current is None and pending:
                self.assign(index, pending.pop(0))

    def swap(self, first: int, second: int) -> None:
        if first == second:
            return
        self.stop_tour()
        self.stop_tile_tour(first)
        self.stop_tile_tour(second)
        cams, plays = self.cameras, self.playbacks
        cams[first], cams[second] = cams[second], cams[first]
        plays[first], plays[second] = plays[second], plays[first]
        self.tileChanged.emit(first)
        self.tileChanged.emit(second)

    def toggle_maximised(self, index: int) -> None:
        if self.maximised == index:
            self.restore()
        elif self.cameras[index] is not None:
            self.restore()
            self.maximised = index
            for other, playback in enumerate(self.playbacks):
                if other != index:
                    self._retire(playback)
                    self.playbacks[other] = None
            self._replay(index, "main")
            self.maximisedChanged.emit(index)

    def restore(self) -> None:
        if self.maximised is None:
            return
        index, self.maximised = self.maximised, None
        for other, camera in enumerate(self.cameras):
            if other == index:
                self._replay(other, "sub")
            elif self.playbacks[other] is None:
                self.playbacks[other] = self._play(camera, "sub")
                self.tileChanged.emit(other)
        self.maximisedChanged.emit(-1)

    async def close(self) -> None:
        self.stop_tour()
        for index in list(self.tile_tours):
            self.stop_tile_tour(index)
        for playback in self.playbacks:
            if playback is not None:
                await playback.stop()
        self.playbacks = [None] * len(self.cameras)
        if self._tasks:
            await asyncio.gather(*self._tasks)

    # Internals -------------------------------------------------------------------------------

    def _replay(self, index: int, quality: Quality) -> None:
        self._retire(self.playbacks[index])
        self.playbacks[index] = self._play(self.cameras[index], quality)
        self.tileChanged.emit(index)

    def _play(self, camera_id: str | None, quality: Quality) -> TilePlayback | None:
        if camera_id is None:
            return None
        # No Qt parent and no deleteLater: a player thread may still hold the playback for a
        # frame after it stops, and Python's reference keeps it alive exactly that long.
        playback = TilePlayback(self._sources_for(camera_id, quality))
        playback.start()
        return playback

    def _retire(self, playback: TilePlayback | None) -> None:
        if playback is None:
            return
        task = asyncio.ensure_future(playback.stop())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
