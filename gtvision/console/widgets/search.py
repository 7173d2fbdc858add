"""Plate search: a plate (whole, its beginning, or roughly), a period and a camera → the reads,
newest first, with the crop of the one selected; the same search exported as CSV."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gtvision.contract import API_PREFIX, Detection

PLATE_COLUMN, CAMERA_COLUMN, CONFIDENCE_COLUMN = 1, 2, 3


class PlateSearchPanel(QWidget):
    searchRequested = Signal(dict, str)  # query, cursor ("" for the first page)
    exportRequested = Signal(dict)
    imageRequested = Signal(str)  # API path of a read's crop
    playbackRequested = Signal(str, object)  # camera id, moment (a read's time): its footage

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plate = QLineEdit(placeholderText=self.tr("Plate, e.g. ABC1D23 or ABC"))
        self.match = QComboBox()
        for label, value in ((self.tr("Exact"), "exact"), (self.tr("Starts with"), "prefix"),
                             (self.tr("Similar (one character off)"), "fuzzy")):  # fmt: skip
            self.match.addItem(label, value)
        now = QDateTime.currentDateTime()
        self.since = QDateTimeEdit(now.addDays(-1), calendarPopup=True)
        self.until = QDateTimeEdit(now.addSecs(3600), calendarPopup=True)
        for edit in (self.since, self.until):
            edit.setDisplayFormat("dd/MM/yyyy HH:mm")
        self.camera = QComboBox()
        self.search_button = QPushButton(self.tr("Search"))
        self.search_button.setDefault(True)
        self.more_button = QPushButton(self.tr("More"))
        self.more_button.setEnabled(False)
        self.export_button = QPushButton(self.tr("Export CSV…"))
        self.results = QTableWidget(0, 4)
        self.results.setHorizontalHeaderLabels(
            [self.tr("Time"), self.tr("Plate"), self.tr("Camera"), self.tr("Conf.")]
        )
        header_item = self.results.horizontalHeaderItem(CONFIDENCE_COLUMN)
        if header_item is not None:
            header_item.setToolTip(self.tr("How sure the reader is of the plate"))
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Time, plate and confidence keep their whole text however narrow the dock: the camera's
        # name takes the width left (elided, whole in its tooltip). Rows need no numbers.
        header = self.results.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(CAMERA_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.results.verticalHeader().hide()
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._plate_font = QFont(self.results.font())  # fixed pitch: O and 0 apart, columns even
        self._plate_font.setFamilies(
            [QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont).family()]
        )
        self._plate_font.setBold(True)
        self.crop = QLabel(alignment=Qt.AlignmentFlag.AlignCenter)
        self.crop.setMinimumHeight(80)
        self.status = QLabel(wordWrap=True)
        form = QFormLayout()
        form.addRow(self.tr("Plate"), self.plate)
        form.addRow(self.tr("Match"), self.match)
        form.addRow(self.tr("From"), self.since)
        form.addRow(self.tr("To"), self.until)
        form.addRow(self.tr("Camera"), self.camera)
        buttons = QHBoxLayout()
        for button in (self.search_button, self.more_button, self.export_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.crop)
        self._reads: list[Detection] = []
        self._cursor: str | None = None
        self._query: dict[str, str] = {}
        self.search_button.clicked.connect(self._search)
        self.plate.returnPressed.connect(self._search)
        self.more_button.clicked.connect(self._more)
        self.export_button.clicked.connect(lambda: self.exportRequested.emit(self.query()))
        self.results.itemSelectionChanged.connect(self._selected)
        self.results.cellDoubleClicked.connect(self._play)
        self.results.setToolTip(self.tr("Double-click a read to play its recording"))

    def search_plate(self, plate: str, since: datetime) -> None:
        """Every read of this plate from ``since`` on, at any camera (from an alarm)."""
        self.plate.setText(plate)
        self.match.setCurrentIndex(max(0, self.match.findData("exact")))
        self.camera.setCurrentIndex(0)
        self.since.setDateTime(QDateTime.fromSecsSinceEpoch(int(since.timestamp())))
        until = datetime.now().astimezone() + timedelta(minutes=1)
        self.until.setDateTime(QDateTime.fromSecsSinceEpoch(int(until.timestamp())))
        self._search()

    def set_cameras(self, cameras: list[tuple[str, str]]) -> None:
        """(id, name) pairs; the first entry searches every camera."""
        self.camera.clear()
        self.camera.addItem(self.tr("All cameras"), "")
        for camera_id, name in sorted(cameras, key=lambda c: c[1]):
            self.camera.addItem(name, camera_id)

    def query(self) -> dict[str, str]:
        query = {
            "match": str(self.match.currentData()),
            "from": self.since.dateTime().toUTC().toString(Qt.DateFormat.ISODate),
            "to": self.until.dateTime().toUTC().toString(Qt.DateFormat.ISODate),
        }
        if self.plate.text().strip():
            query["plate"] = self.plate.text().strip()
        if self.camera.currentData():
            query["camera"] = str(self.camera.currentData())
        return query

    def show_results(
        self, reads: list[Detection], next_cursor: str | None, title_of: Callable[[str], str]
    ) -> None:
        this_year = datetime.now().astimezone().year
        for read in reads:
            row = self.results.rowCount()
            self.results.insertRow(row)
            at = read.at.astimezone()
            when = at.strftime("%d/%m %H:%M:%S" if at.year == this_year else "%d/%m/%Y %H:%M:%S")
            camera = read.camera_name or (title_of(str(read.camera_id)) if read.camera_id else "")
            cells = (when, read.plate, camera, f"{read.confidence:.0%}")
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(at.strftime("%d/%m/%Y %H:%M:%S") if column == 0 else text)
                if column == PLATE_COLUMN:
                    item.setFont(self._plate_font)
                if column == CONFIDENCE_COLUMN:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.results.setItem(row, column, item)
        self._reads.extend(reads)
        self._cursor = next_cursor
        self.more_button.setEnabled(next_cursor is not None)
        self.status.setText(self.tr("%n reads", "", len(self._reads)))

    def show_problem(self, text: str) -> None:
        self.status.setText(text)

    def show_crop(self, image: bytes) -> None:
        pixmap = QPixmap()
        if pixmap.loadFromData(image):
            self.crop.setPixmap(
                pixmap.scaledToHeight(80, Qt.TransformationMode.SmoothTransformation)
            )

    def clear(self) -> None:
        """No reads shown (a new search, or the operator who searched signed out)."""
        self.results.setRowCount(0)
        self._reads, self._cursor = [], None
        self.crop.clear()
        self.more_button.setEnabled(False)
        self.status.clear()

    def _search(self) -> None:
        self.clear()
        self._query = self.query()
        self.status.setText(self.tr("Searching…"))
        self.searchRequested.emit(self._query, "")

    def _more(self) -> None:
        if self._cursor:
            self.searchRequested.emit(self._query, self._cursor)

    def _play(self, row: int, _column: int) -> None:
        read = self._reads[row]
        if read.camera_id is not None:
            self.playbackRequested.emit(str(read.camera_id), read.at)

    def _selected(self) -> None:
        rows = {index.row() for index in self.results.selectedIndexes()}
        if len(rows) == 1:
            read = self._reads[rows.pop()]
            if read.crop_url:
                self.imageRequested.emit(f"{API_PREFIX}/detections/{read.id}/crop")
