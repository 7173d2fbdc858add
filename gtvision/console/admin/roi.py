"""The LPR region of interest, drawn with the mouse on what the camera sees now.

Kept as fractions of the frame (x, y, width, height), as the service stores it, so the same
region holds on the main and the sub stream whatever their sizes.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

_SMALLEST = 0.02  # a click is not a region


class RoiEditor(QWidget):
    roiChanged = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.image = QImage()
        self._roi: QRectF | None = None  # in fractions
        self._anchor: QPointF | None = None
        self.setMinimumSize(320, 180)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip(self.tr("Drag a rectangle over the road where plates pass"))

    def sizeHint(self) -> QSize:
        return QSize(480, 270)

    def set_image(self, jpeg: bytes) -> bool:
        image = QImage.fromData(jpeg)
        if image.isNull():
            return False
        self.image = image
        self.update()
        return True

    def set_roi(self, roi: list[float] | None) -> None:
        self._roi = QRectF(*roi) if roi else None
        self.update()

    def roi(self) -> list[float] | None:
        if self._roi is None:
            return None
        r = self._roi
        return [round(v, 4) for v in (r.x(), r.y(), r.width(), r.height())]

    def clear(self) -> None:
        self.set_roi(None)
        self.roiChanged.emit()

    # Geometry: the picture fitted in the widget, letterboxed ---------------------------------

    def picture_rect(self) -> QRectF:
        aspect = (self.image.width() / self.image.height()) if not self.image.isNull() else 16 / 9
        w, h = self.width(), self.height()
        fitted = QRectF(0, 0, h * aspect, h) if w / h > aspect else QRectF(0, 0, w, w / aspect)
        fitted.moveCenter(QRectF(0, 0, w, h).center())
        return fitted

    def _fraction(self, point: QPointF) -> QPointF:
        box = self.picture_rect()
        x = min(max((point.x() - box.x()) / box.width(), 0.0), 1.0)
        y = min(max((point.y() - box.y()) / box.height(), 0.0), 1.0)
        return QPointF(x, y)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._anchor = self._fraction(event.position())
            self._roi = QRectF(self._anchor, self._anchor)
            self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._anchor is not None:
            self._roi = QRectF(self._anchor, self._fraction(event.position())).normalized()
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._anchor is None:
            return
        self._anchor = None
        if self._roi is not None and min(self._roi.width(), self._roi.height()) < _SMALLEST:
            self._roi = None
        self.update()
        self.roiChanged.emit()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#11151c"))
        box = self.picture_rect()
        if self.image.isNull():
            painter.setPen(QColor("#8a94a6"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.tr("No picture yet"))
        else:
            painter.drawImage(box, self.image)
        if self._roi is None:
            painter.end()
            return
        r = self._roi
        region = QRectF(box.x() + r.x() * box.width(), box.y() + r.y() * box.height(),
                        r.width() * box.width(), r.height() * box.height())  # fmt: skip
        shade = QColor(0, 0, 0, 140)  # what LPR ignores, darkened
        for part in (
            QRectF(box.left(), box.top(), box.width(), region.top() - box.top()),
            QRectF(box.left(), region.bottom(), box.width(), box.bottom() - region.bottom()),
            QRectF(box.left(), region.top(), region.left() - box.left(), region.height()),
            QRectF(region.right(), region.top(), box.right() - region.right(), region.height()),
        ):
            painter.fillRect(part, shade)
        painter.setPen(QPen(QColor("#f59f00"), 2))
        painter.drawRect(region)
        painter.end()
