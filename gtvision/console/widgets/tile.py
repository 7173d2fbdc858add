"""A wall tile: paints the newest frame of its playback, with overlays and digital zoom.

Every backend's frames arrive as ``QImage`` and are painted here with ``QPainter``, so the
overlay, the zoom, snapshots and ``grab()`` screenshots behave the same whatever plays.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QByteArray, QMimeData, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDrag,
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QFileDialog, QMenu, QSizePolicy, QWidget

from gtvision.console.playback import PlaybackState, TilePlayback
from gtvision.console.theme import ui_scale

CAMERA_MIME = "application/x-gtvision-camera"
TILE_MIME = "application/x-gtvision-tile"
_MAX_ZOOM = 8.0

_STATE_COLOURS = {
    PlaybackState.IDLE: QColor("#5f6b7a"),
    PlaybackState.CONNECTING: QColor("#e0b400"),
    PlaybackState.LIVE: QColor("#2fb344"),
    PlaybackState.RECONNECTING: QColor("#f76707"),
    PlaybackState.OFFLINE: QColor("#d63939"),
}


class TileWidget(QWidget):
    cameraDropped = Signal(int, str)  # tile index, camera id
    tileDropped = Signal(int, int)  # from tile, onto tile
    maximiseToggled = Signal(int)
    tourRequested = Signal(int, bool)  # tile, start (True) or stop
    selected = Signal(int)
    ptzDrag = Signal(int, float, float)  # tile, pan and tilt speed (-1..1): PTZ mode drags
    ptzDragEnd = Signal(int)
    ptzZoom = Signal(int, float)  # tile, zoom speed: PTZ mode wheel

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.camera_id: str | None = None
        self.title = ""
        self.playback: TilePlayback | None = None
        self.clock: Callable[[], datetime] | None = None  # recorded footage: its time, not now
        self.zoom = 1.0
        self._centre = QPointF(0.5, 0.5)  # zoom centre, in frame fractions
        self._frame: QImage | None = None
        self._press: QPoint | None = None
        self._flash_until = 0
        self._flash_on = False
        self.is_selected = False
        self.touring = False
        self.ptz_mode = False  # drags and the wheel steer the camera instead of the picture
        self._ptz_sent = (0.0, 0.0)
        self._text_scale = ui_scale()
        self.setAcceptDrops(True)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # keys then reach the window (PTZ)
        self.setMinimumSize(96, 54)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._clock = QTimer(self)  # the overlay's clock ticks even on a frozen picture
        self._clock.timeout.connect(self.update)
        self._clock.start(1000)
        self._flasher = QTimer(self)
        self._flasher.setInterval(300)
        self._flasher.timeout.connect(self._blink)

    # What it shows ----------------------------------------------------------------------------

    def show_camera(self, camera_id: str | None, title: str, playback: TilePlayback | None) -> None:
        if self.playback is not None:
            self.playback.frameReady.disconnect(self._on_frame)
            self.playback.stateChanged.disconnect(self.update)
        self.camera_id, self.title, self.playback = camera_id, title, playback
        self._frame = None
        self.zoom, self._centre = 1.0, QPointF(0.5, 0.5)
        if playback is not None:
            playback.frameReady.connect(self._on_frame)
            playback.stateChanged.connect(self.update)
        self.update()

    def current_frame(self) -> QImage | None:
        return self._frame

    def flash(self, seconds: int = 10) -> None:
        """Draw the operator's eye to this tile (a watch-list hit on its camera)."""
        self._flash_until = seconds * 1000 // self._flasher.interval()
        self._flasher.start()

    def _blink(self) -> None:
        self._flash_until -= 1
        self._flash_on = self._flash_until > 0 and not self._flash_on
        if self._flash_until <= 0:
            self._flasher.stop()
        self.update()

    def _on_frame(self) -> None:
        if self.playback is not None:
            self._frame = self.playback.take_frame()
            self.update()

    # Painting ---------------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#0b0e13"))
        if self._frame is not None:
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, self.width() < 800)
            painter.drawImage(self._target_rect(), self._frame, self._source_rect())
        self._paint_overlay(painter)
        if self.is_selected and not self._flash_on:
            painter.setPen(QColor("#4dabf7"))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        if self._flash_on:
            painter.setPen(QColor("#ff2d2d"))
            painter.drawRect(self.rect().adjusted(2, 2, -3, -3))
            painter.drawRect(self.rect().adjusted(4, 4, -5, -5))
        painter.end()

    def _target_rect(self) -> QRectF:
        assert self._frame is not None
        frame_ratio = self._frame.width() / self._frame.height()
        width, height = float(self.width()), float(self.height())
        if width / height > frame_ratio:
            fitted = QRectF(0, 0, height * frame_ratio, height)
        else:
            fitted = QRectF(0, 0, width, width / frame_ratio)
        fitted.moveCenter(QPointF(width / 2, height / 2))
        return fitted

    def _source_rect(self) -> QRectF:
        assert self._frame is not None
        w, h = self._frame.width() / self.zoom, self._frame.height() / self.zoom
        x = min(max(self._centre.x() * self._frame.width() - w / 2, 0), self._frame.width() - w)
        y = min(max(self._centre.y() * self._frame.height() - h / 2, 0), self._frame.height() - h)
        return QRectF(x, y, w, h)

    def _paint_overlay(self, painter: QPainter) -> None:
        # Read from across the room: 30 px on a 2x2 wall at 1080p, 20 px on 3x3, never
        # under 12 px however small the tile (ui/scale multiplies it).
        font = QFont(self.font())
        size = min(32.0, self.height() / 18, self.width() / 20)
        font.setPixelSize(round(max(12.0, size) * self._text_scale))
        painter.setFont(font)
        line = painter.fontMetrics().height()
        band = QRectF(0, 0, self.width(), line + 6)
        painter.fillRect(band, QColor(0, 0, 0, 140))
        painter.setPen(QColor("white"))
        inner = band.adjusted(6, 0, -6, 0)
        align = Qt.AlignmentFlag.AlignVCenter
        if self.clock is None:
            clock = datetime.now().astimezone().strftime("%H:%M:%S")
        else:
            clock = self.clock().astimezone().strftime("%d/%m %H:%M:%S")
        metrics = painter.fontMetrics()
        clock_width = metrics.horizontalAdvance(clock) + 8
        if inner.width() < 2.5 * clock_width:
            clock, clock_width = "", 0  # a small tile keeps its room for the camera's name
        title = metrics.elidedText(
            self.title or self.tr("Empty"),
            Qt.TextElideMode.ElideRight,
            int(inner.width() - clock_width),
        )
        painter.drawText(inner, align | Qt.AlignmentFlag.AlignLeft, title)
        painter.drawText(inner, align | Qt.AlignmentFlag.AlignRight, clock)
        if self.playback is None:
            if self.camera_id is None:
                painter.setPen(QColor("#8a94a6"))
                hint = self.tr("Drag a camera here")
                flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
                painter.drawText(self.rect().adjusted(8, line, -8, -line), flags, hint)
            return
        state = PlaybackState(self.playback.state)
        status = {
            PlaybackState.IDLE: self.tr("Stopped"),
            PlaybackState.CONNECTING: self.tr("Connecting…"),
            PlaybackState.LIVE: self.tr("Live") if self.clock is None else self.tr("Recorded"),
            PlaybackState.RECONNECTING: self.tr("Reconnecting…"),
            PlaybackState.OFFLINE: self.tr("Offline"),
        }[state]
        if state is PlaybackState.LIVE:
            status += f" · {self.playback.backend.upper()} · {self.playback.fps:.0f} fps"
        if self.zoom > 1.0:
            status += f" · zoom {self.zoom:.1f}x"
        if self.ptz_mode:
            status += " · PTZ"
        bottom = QRectF(0, self.height() - line - 6, self.width(), line + 6)
        painter.fillRect(bottom, QColor(0, 0, 0, 140))
        painter.setPen(_STATE_COLOURS[state])
        room = bottom.adjusted(6, 0, -6, 0)
        status = metrics.elidedText(status, Qt.TextElideMode.ElideRight, int(room.width()))
        painter.drawText(room, align | Qt.AlignmentFlag.AlignLeft, status)
        if state is not PlaybackState.LIVE and self.playback.detail and self._frame is None:
            painter.setPen(QColor("#c8ced8"))
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(
                self.rect().adjusted(12, line, -12, -line), flags, self.playback.detail
            )

    # Zoom, maximise, drag and drop ------------------------------------------------------------

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.ptz_mode:
            self.ptzZoom.emit(self.index, 0.5 if event.angleDelta().y() > 0 else -0.5)
            return
        if self._frame is None:
            return
        target = self._target_rect()
        position = event.position()
        if target.contains(position):  # zoom towards the pointer
            source = self._source_rect()
            fx = (position.x() - target.x()) / target.width()
            fy = (position.y() - target.y()) / target.height()
            self._centre = QPointF(
                (source.x() + fx * source.width()) / self._frame.width(),
                (source.y() + fy * source.height()) / self._frame.height(),
            )
        step = 1.25 if event.angleDelta().y() > 0 else 0.8
        self.zoom = min(_MAX_ZOOM, max(1.0, self.zoom * step))
        self.update()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if self.camera_id is None:
            return
        menu = QMenu(self)
        snapshot = menu.addAction(self.tr("Save picture…"))
        snapshot.setEnabled(self._frame is not None)
        snapshot.triggered.connect(self._ask_snapshot_path)
        menu.addAction(self.tr("Maximise / restore"), lambda: self.maximiseToggled.emit(self.index))
        menu.addAction(self.tr("Reset zoom"), self.reset_zoom)
        ptz = menu.addAction(self.tr("PTZ mode (drag to move, wheel to zoom)"))
        ptz.setCheckable(True)
        ptz.setChecked(self.ptz_mode)
        ptz.toggled.connect(self.set_ptz_mode)
        if self.touring:
            menu.addAction(
                self.tr("Stop this tile's tour"), lambda: self.tourRequested.emit(self.index, False)
            )
        else:
            menu.addAction(
                self.tr("Tour this camera's zone here"),
                lambda: self.tourRequested.emit(self.index, True),
            )
        menu.addAction(
            self.tr("Remove from the wall"), lambda: self.cameraDropped.emit(self.index, "")
        )
        menu.exec(event.globalPos())

    def set_ptz_mode(self, on: bool) -> None:
        self.ptz_mode = on
        self.setCursor(Qt.CursorShape.SizeAllCursor if on else Qt.CursorShape.ArrowCursor)
        self.update()

    def reset_zoom(self) -> None:
        self.zoom, self._centre = 1.0, QPointF(0.5, 0.5)
        self.update()

    def save_snapshot(self, path: str) -> bool:
        """What the operator sees in the tile, full resolution, as the picture file ``path``."""
        return self._frame is not None and self._frame.copy(self._source_rect().toRect()).save(path)

    def _ask_snapshot_path(self) -> None:
        stamp = datetime.now().astimezone().strftime("%Y%m%d-%H%M%S")
        name = f"{self.title or 'camera'}-{stamp}.png".replace("/", "-")
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save picture"), name, "PNG (*.png);;JPEG (*.jpg)"
        )
        if path:
            self.save_snapshot(path)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        self.maximiseToggled.emit(self.index)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            self.selected.emit(self.index)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is None or self.camera_id is None:
            return
        if self.ptz_mode:  # the further from where the drag began, the faster the camera turns
            offset = event.position().toPoint() - self._press
            pan = max(-1.0, min(1.0, offset.x() / (self.width() / 2)))
            tilt = max(-1.0, min(1.0, -offset.y() / (self.height() / 2)))
            sent_pan, sent_tilt = self._ptz_sent
            if abs(pan - sent_pan) + abs(tilt - sent_tilt) >= 0.1:
                self._ptz_sent = (pan, tilt)
                self.ptzDrag.emit(self.index, round(pan, 2), round(tilt, 2))
            return
        if (event.position().toPoint() - self._press).manhattanLength() < 12:
            return
        self._press = None
        mime = QMimeData()
        mime.setData(TILE_MIME, QByteArray(str(self.index).encode()))
        drag = QDrag(self)
        drag.setMimeData(mime)
        if self._frame is not None:
            drag.setPixmap(self.grab().scaledToWidth(160))
        drag.exec(Qt.DropAction.MoveAction)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.ptz_mode and self._ptz_sent != (0.0, 0.0):
            self._ptz_sent = (0.0, 0.0)
            self.ptzDragEnd.emit(self.index)
        self._press = None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(CAMERA_MIME) or event.mimeData().hasFormat(TILE_MIME):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        mime = event.mimeData()
        if mime.hasFormat(CAMERA_MIME):
            self.cameraDropped.emit(self.index, bytes(mime.data(CAMERA_MIME).data()).decode())
        elif mime.hasFormat(TILE_MIME):
            self.tileDropped.emit(int(bytes(mime.data(TILE_MIME).data()).decode()), self.index)
        event.acceptProposedAction()
