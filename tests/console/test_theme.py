"""The control-room look: dark, large type on the wall, statuses told by shape as well as
colour, an Events list that shows at least eight rows."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import QApplication

from gtvision.console.widgets.events import MIN_ROWS, VISIBLE_ROWS, EventsPanel
from gtvision.console.widgets.tile import TileWidget
from gtvision.console.widgets.tree import status_icon


def test_the_theme_is_dark_and_sized_for_distance(qapp: QApplication) -> None:
    palette = qapp.palette()
    assert palette.color(QPalette.ColorRole.Window).lightness() < 40
    assert palette.color(QPalette.ColorRole.WindowText).lightness() > 200
    assert qapp.font().pointSizeF() >= 11
    assert "QDockWidget" in qapp.styleSheet()


def test_tile_captions_are_readable_from_across_the_room(qapp: QApplication) -> None:
    tile = TileWidget(0)
    tile.title = "Av. Presidente Vargas x Rio Branco"
    tile.resize(960, 540)  # one tile of a 2x2 wall on a 1080p screen
    image = QImage(tile.size(), QImage.Format.Format_RGB32)
    tile.render(image)
    band = _rows_with_text(image)
    assert band >= 18, f"caption {band} px high"
    tile.resize(320, 180)
    small = QImage(tile.size(), QImage.Format.Format_RGB32)
    tile.render(small)
    assert 10 <= _rows_with_text(small) < band


def _rows_with_text(image: QImage) -> int:
    """Height of the caption's glyphs: rows of the top band holding white text pixels."""
    converted = image.convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = np.frombuffer(converted.constBits(), np.uint8, converted.sizeInBytes())
    grey = pixels.reshape(converted.height(), converted.bytesPerLine())[:, : converted.width()]
    top = grey[: converted.height() // 4]
    lit = np.where((top > 200).sum(axis=1) > 0)[0]
    return int(lit.max() - lit.min() + 1) if len(lit) else 0


def test_statuses_differ_in_shape_not_only_in_colour(qapp: QApplication) -> None:
    shapes = {}
    for status in ("online", "degraded", "offline", "unauthorized", "unknown"):
        image = status_icon(status, 32).pixmap(32, 32).toImage()
        alpha = image.convertToFormat(QImage.Format.Format_Alpha8)
        mask = np.frombuffer(alpha.constBits(), np.uint8, alpha.sizeInBytes()) > 128
        shapes[status] = mask.tobytes()
    assert len(set(shapes.values())) == 5, "two statuses share a shape"


def test_the_events_list_shows_eight_rows_with_readable_crops(qapp: QApplication) -> None:
    panel = EventsPanel(lambda event: "")
    assert panel.iconSize().width() >= 160
    row = max(panel.iconSize().height(), panel.fontMetrics().height())
    assert panel.sizeHint().height() >= VISIBLE_ROWS * row  # where the screen has room
    assert VISIBLE_ROWS >= 8
    assert MIN_ROWS * row <= panel.minimumHeight() < VISIBLE_ROWS * row
