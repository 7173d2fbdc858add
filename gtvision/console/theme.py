"""The control-room look: a dark palette and one style sheet (``styles/control-room.qss``), never
colours set widget by widget, and text sized for a wall read from across the room.

``ui/scale`` (QSettings, default 1.0; 1.5 on a 4K wall) scales every text; tile captions and
plates size themselves from the tile (see :mod:`.widgets.tile`). Status colours are never the
only sign: every status also has a word or a shape, for operators who cannot tell red from
green.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication

STYLE_SHEET = Path(__file__).with_name("styles") / "control-room.qss"
BASE_POINT_SIZE = 11.0

_COLOURS = {
    QPalette.ColorRole.Window: "#0f131b",
    QPalette.ColorRole.WindowText: "#e6e9ef",
    QPalette.ColorRole.Base: "#0b0e13",
    QPalette.ColorRole.AlternateBase: "#141a24",
    QPalette.ColorRole.Text: "#e6e9ef",
    QPalette.ColorRole.Button: "#1b2230",
    QPalette.ColorRole.ButtonText: "#e6e9ef",
    QPalette.ColorRole.Highlight: "#1f6feb",
    QPalette.ColorRole.HighlightedText: "#ffffff",
    QPalette.ColorRole.ToolTipBase: "#1b2230",
    QPalette.ColorRole.ToolTipText: "#e6e9ef",
    QPalette.ColorRole.PlaceholderText: "#8a94a6",
    QPalette.ColorRole.Link: "#4dabf7",
    QPalette.ColorRole.BrightText: "#ff6b6b",
}


def ui_scale() -> float:
    value = QSettings().value("ui/scale", 1.0)
    try:
        return min(3.0, max(0.75, float(value)))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0


def apply_theme(app: QApplication, scale: float | None = None) -> None:
    scale = ui_scale() if scale is None else scale
    app.setStyle("Fusion")  # the one style that follows the palette on every platform
    palette = QPalette()
    for role, colour in _COLOURS.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText,
                 QPalette.ColorRole.ButtonText):  # fmt: skip
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor("#5f6b7a"))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSizeF(BASE_POINT_SIZE * scale)
    app.setFont(font)
    pixels = round(BASE_POINT_SIZE * scale * 96 / 72)
    app.setStyleSheet(STYLE_SHEET.read_text(encoding="utf-8").replace("{px}", str(pixels)))
