"""The wall widget: a grid of tiles that renders a :class:`WallController`."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QWidget

from gtvision.console.wall import WallController
from gtvision.console.widgets.tile import TileWidget


class WallWidget(QWidget):
    tileSelected = Signal(int)
    ptzDrag = Signal(int, float, float)
    ptzDragEnd = Signal(int)
    ptzZoom = Signal(int, float)
    tourRequested = Signal(int, bool)

    def __init__(self, controller: WallController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.tiles: list[TileWidget] = []
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setSpacing(2)
        controller.layoutChanged.connect(self._rebuild)
        controller.tileChanged.connect(self._refresh)
        controller.maximisedChanged.connect(self._show_maximised)
        self._rebuild()

    def _rebuild(self) -> None:
        for tile in self.tiles:
            tile.show_camera(None, "", None)
            self._grid.removeWidget(tile)
            tile.deleteLater()
        self.tiles = []
        for index, cell in enumerate(self.controller.layout.cells):
            tile = TileWidget(index, self)
            tile.cameraDropped.connect(self.controller.place)
            tile.tileDropped.connect(self.controller.swap)
            tile.maximiseToggled.connect(self.controller.toggle_maximised)
            tile.tourRequested.connect(self.tourRequested)
            tile.selected.connect(self._select)
            tile.ptzDrag.connect(self.ptzDrag)
            tile.ptzDragEnd.connect(self.ptzDragEnd)
            tile.ptzZoom.connect(self.ptzZoom)
            self._grid.addWidget(tile, cell.row, cell.column, cell.row_span, cell.column_span)
            self.tiles.append(tile)
            self._refresh(index)
        for row in range(self._grid.rowCount()):
            self._grid.setRowStretch(row, 1 if row < self.controller.layout.rows else 0)
        for column in range(self._grid.columnCount()):
            self._grid.setColumnStretch(column, 1 if column < self.controller.layout.columns else 0)

    def _select(self, index: int) -> None:
        for tile in self.tiles:
            tile.is_selected = tile.index == index
            tile.update()
        self.tileSelected.emit(index)

    def _refresh(self, index: int) -> None:
        c = self.controller
        self.tiles[index].show_camera(c.cameras[index], c.title(index), c.playbacks[index])
        self.tiles[index].touring = index in c.tile_tours

    def _show_maximised(self, index: int) -> None:
        for tile in self.tiles:
            tile.setVisible(index < 0 or tile.index == index)
        if index >= 0:  # span the whole grid while maximised
            self._grid.removeWidget(self.tiles[index])
            self._grid.addWidget(
                self.tiles[index], 0, 0, self.controller.layout.rows, self.controller.layout.columns
            )
        else:
            self._rebuild_positions()

    def _rebuild_positions(self) -> None:
        for tile, cell in zip(self.tiles, self.controller.layout.cells, strict=True):
            self._grid.removeWidget(tile)
            self._grid.addWidget(tile, cell.row, cell.column, cell.row_span, cell.column_span)
