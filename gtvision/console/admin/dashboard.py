"""*Painel*: the city at a glance — plate reads per hour by camera, alarms by list and priority,
cameras online and offline over time, and (for admins) what plate reading costs now. Fed by
the service's ``/stats`` aggregates, which a mobile app or a BI can use too.

Charts are pyqtgraph's: pure Python on the Qt the console already has (QtCharts would add
PySide6-Addons, ~150 MB, to every workstation) and quick with a refresh every minute.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from PySide6.QtCore import QLocale, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import (  # how it maps axis values to wall time
    adjustTimestampToPreferredUtcOffset,
    utcfromtimestamp,
)

from gtvision.console.api import RequestRejected, ServiceError
from gtvision.console.qt import async_slot, resize_within_screen
from gtvision.console.session import ConsoleSession
from gtvision.console.widgets.alarm import PRIORITY_COLOURS, priority_name
from gtvision.console.widgets.tree import STATUS_COLOURS
from gtvision.contract import AlertStats, CameraStats, LprStats, ReadStats


class LocaleDateAxis(pg.DateAxisItem):  # type: ignore[misc]
    """A time axis that names days and months in the console's language.

    pyqtgraph names them through ``strftime``, in the C locale whatever the UI speaks: a pt-BR
    dashboard read "Fri 04" under its day ticks. Here ``%a`` and ``%b`` come from ``QLocale()``,
    which the console sets to its language at start-up; the rest of the format is left to
    pyqtgraph.
    """

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        spec = next((s for s in self.zoomLevel.tickSpecs if s.spacing == spacing), None)
        if spec is None or ("%a" not in spec.format and "%b" not in spec.format):
            return list(super().tickStrings(values, scale, spacing))
        locale, short = QLocale(), QLocale.FormatType.ShortFormat
        labels = []
        for value in values:
            when = utcfromtimestamp(adjustTimestampToPreferredUtcOffset(value, self.utcOffset))
            named = spec.format.replace(
                "%a", locale.dayName(when.isoweekday(), short).replace("%", "%%")
            ).replace("%b", locale.monthName(when.month, short).replace("%", "%%"))
            labels.append(when.strftime(named))
        return labels


def _count_axis(plot: pg.PlotWidget, top: float) -> None:
    """From zero to a little over the top, ticked in whole numbers: a count of reads, alarms
    or cameras has no halves (pyqtgraph's own ticks read 0.5 alarms under a single one)."""
    plot.setYRange(0, max(top, 1) * 1.15, padding=0)
    wanted = max(1.0, top / 6)  # about six labels up the axis
    magnitude = 10 ** math.floor(math.log10(wanted))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= wanted)
    plot.getAxis("left").setTickSpacing(major=step, minor=step)


SERIES_COLOURS = ("#4dabf7", "#f59f00", "#2fb344", "#ae3ec9", "#f76707", "#8a94a6")
TOP_CAMERAS = 5
REFRESH_MS = 60_000


@dataclass(frozen=True, slots=True)
class Period:
    label: str
    span: timedelta
    bucket: str


class DashboardWindow(QDialog):
    refreshRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Dashboard"))
        resize_within_screen(self, 1280, 800)
        pg.setConfigOptions(antialias=True, background="#11151c", foreground="#c8d0db")
        self.periods = [
            Period(self.tr("Last 24 hours"), timedelta(days=1), "hour"),
            Period(self.tr("Last 7 days"), timedelta(days=7), "hour"),
            Period(self.tr("Last 30 days"), timedelta(days=30), "day"),
        ]
        self.period = QComboBox(self)
        self.period.addItems([p.label for p in self.periods])
        self.period.currentIndexChanged.connect(lambda _: self.refreshRequested.emit())
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.refreshRequested.emit)
        self.updated = QLabel(self)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Period")))
        top.addWidget(self.period)
        top.addWidget(self.refresh_button)
        top.addStretch(1)
        top.addWidget(self.updated)

        self.reads = self._plot(self.tr("Plate reads"), self.tr("reads"), dates=True)
        self.reads.addLegend(offset=(10, 10))
        self.alerts = self._plot(self.tr("Alarms by list and priority"), self.tr("alarms"))
        self.cameras = self._plot(self.tr("Cameras by status"), self.tr("cameras"), dates=True)
        self.cameras.addLegend(offset=(10, 10))
        self.lpr = QTableWidget(0, 5, self)
        # Short headers leave the camera's name room in a half-width box; each says more on hover.
        headers = (
            (self.tr("Camera"), ""),
            (self.tr("fps"), self.tr("Frames per second asked of the camera")),
            (self.tr("Frames"), self.tr("Frames read since the camera's worker started")),
            (self.tr("Dropped"), self.tr("Frames skipped because inference was behind")),
            (self.tr("Passes"), self.tr("Vehicle passes stored since the worker started")),
        )
        for column, (label, tip) in enumerate(headers):
            header = QTableWidgetItem(label)
            header.setToolTip(tip)
            self.lpr.setHorizontalHeaderItem(column, header)
        self.lpr.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.lpr.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.lpr.verticalHeader().hide()
        self.lpr.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.lpr_summary = QLabel(self)
        self.lpr_summary.setWordWrap(True)
        self.lpr_box = QGroupBox(self.tr("Plate reading on this server"), self)
        lpr_layout = QVBoxLayout(self.lpr_box)
        lpr_layout.addWidget(self.lpr_summary)
        lpr_layout.addWidget(self.lpr, 1)
        self.totals = QLabel(self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)

        grid = QGridLayout()
        grid.addWidget(self.reads, 0, 0)
        grid.addWidget(self.alerts, 0, 1)
        grid.addWidget(self.cameras, 1, 0)
        grid.addWidget(self.lpr_box, 1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.totals)
        layout.addLayout(grid, 1)
        layout.addWidget(self.status)

    def _plot(self, title: str, unit: str, *, dates: bool = False) -> pg.PlotWidget:
        axes = {"bottom": LocaleDateAxis()} if dates else {}
        plot = pg.PlotWidget(axisItems=axes, title=title)
        plot.setLabel("left", unit)
        plot.showGrid(x=True, y=True, alpha=0.2)
        plot.setMouseEnabled(x=False, y=False)
        plot.setMinimumSize(320, 220)
        return plot

    def current_period(self) -> Period:
        return self.periods[max(0, self.period.currentIndex())]

    # Drawn from the service's figures -------------------------------------------------------

    def show_reads(self, stats: ReadStats) -> None:
        """The busiest cameras each as a line; the rest summed as one."""
        self.reads.clear()
        series = stats.cameras[:TOP_CAMERAS]
        rest = stats.cameras[TOP_CAMERAS:]
        if rest:
            merged: dict[datetime, int] = {}
            for camera in rest:
                for point in camera.points:
                    merged[point.at] = merged.get(point.at, 0) + point.count
            others = [(at, merged[at]) for at in sorted(merged)]
        for i, camera in enumerate(series):
            xs = [p.at.timestamp() for p in camera.points]
            ys = [float(p.count) for p in camera.points]
            self._line(
                self.reads, xs, ys, SERIES_COLOURS[i], f"{camera.camera_name} ({camera.total})"
            )
        if rest:
            xs = [at.timestamp() for at, _ in others]
            ys = [float(count) for _, count in others]
            self._line(self.reads, xs, ys, SERIES_COLOURS[-1], self.tr("other cameras"))
        busiest = max((p.count for c in stats.cameras for p in c.points), default=0)
        self._frame(self.reads, stats.since, stats.until, busiest)
        reads = self.tr("%n plate reads", "", stats.total)
        reading = self.tr("%n cameras reading", "", len(stats.cameras))
        self.totals.setText(f"{reads}, {reading}")

    def _frame(self, plot: pg.PlotWidget, since: datetime, until: datetime, top: float) -> None:
        """The whole period across, from zero up: one busy hour is not a zoom on it."""
        plot.setXRange(since.timestamp(), until.timestamp(), padding=0.02)
        _count_axis(plot, top)

    def _line(self, plot: pg.PlotWidget, xs: list[float], ys: list[float], colour: str,
              name: str) -> None:  # fmt: skip
        pen = pg.mkPen(colour, width=2)
        plot.plot(xs, ys, pen=pen, name=name, symbol="o", symbolSize=5, symbolBrush=colour)

    def show_alerts(self, stats: AlertStats) -> None:
        """One bar per list and priority: open (full colour) on top of acknowledged (dim)."""
        self.alerts.clear()
        groups = stats.groups
        xs = list(range(len(groups)))
        acknowledged = [g.acknowledged for g in groups]
        opened = [g.open for g in groups]
        colours = [PRIORITY_COLOURS.get(g.priority, "#8a94a6") for g in groups]
        self.alerts.addItem(pg.BarGraphItem(x=xs, height=acknowledged, width=0.6,
                                            brushes=[c + "66" for c in colours]))  # fmt: skip
        self.alerts.addItem(pg.BarGraphItem(x=xs, y0=acknowledged, height=opened, width=0.6,
                                            brushes=colours))  # fmt: skip
        ticks = [
            (i, f"{g.watchlist_name}\n{priority_name(g.priority)}") for i, g in enumerate(groups)
        ]
        self.alerts.getAxis("bottom").setTicks([ticks])
        self.alerts.getAxis("bottom").setHeight(44)  # two lines of labels
        self.alerts.setXRange(-0.6, max(len(groups), 3) - 0.4, padding=0)
        _count_axis(self.alerts, max((g.open + g.acknowledged for g in groups), default=0))
        self.alert_bars = [(g.watchlist_name, g.priority, g.open, g.acknowledged) for g in groups]

    def show_cameras(self, stats: CameraStats) -> None:
        self.cameras.clear()
        xs = [p.at.timestamp() for p in stats.points]
        for status, label in (
            ("online", self.tr("online")), ("offline", self.tr("offline")),
            ("degraded", self.tr("degraded")), ("unauthorized", self.tr("wrong credentials")),
            ("unknown", self.tr("not yet seen")),
        ):  # fmt: skip
            ys = [float(getattr(p, status)) for p in stats.points]
            if any(ys) or status in ("online", "offline"):
                self._line(self.cameras, xs, ys, STATUS_COLOURS[status], label)
        counts = stats.now
        total = counts.online + counts.offline + counts.degraded + counts.unauthorized
        self._frame(self.cameras, stats.since, stats.until, total + counts.unknown)
        now = stats.now
        text = self.tr("Now: %1 online, %2 offline, %3 degraded, %4 wrong credentials")
        for marker, value in (("%1", now.online), ("%2", now.offline), ("%3", now.degraded),
                              ("%4", now.unauthorized)):  # fmt: skip
            text = text.replace(marker, str(value))
        self.cameras.setToolTip(text)
        self.camera_now = text

    def show_lpr(self, stats: LprStats | None) -> None:
        """``None``: not the role's business (operators); the box goes."""
        self.lpr_box.setVisible(stats is not None)
        if stats is None:
            return
        self.lpr.setRowCount(0)
        for load in stats.cameras:
            row = self.lpr.rowCount()
            self.lpr.insertRow(row)
            cells = (load.camera_name, f"{load.fps:g}", str(load.frames), str(load.dropped),
                     str(load.passes))  # fmt: skip
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column == 0:  # elided in a narrow box: whole on hover
                    item.setToolTip(text)
                else:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.lpr.setItem(row, column, item)
        p50 = f"{stats.inference_p50_ms:.1f}" if stats.inference_p50_ms is not None else "—"
        p95 = f"{stats.inference_p95_ms:.1f}" if stats.inference_p95_ms is not None else "—"
        text = self.tr("Inference p50 %1 ms, p95 %2 ms; %3 frames waiting; %4 reads waiting "
                       "to be stored")  # fmt: skip
        for marker, value in (("%1", p50), ("%2", p95), ("%3", str(stats.queue_depth)),
                              ("%4", str(stats.storage_backlog))):  # fmt: skip
            text = text.replace(marker, value)
        if (models := stats.models) is not None:
            text += "\n" + self.tr("Models: %1 on %2 (%3), %4").replace(
                "%1", models.detector).replace("%2", models.backend).replace(
                "%3", models.device).replace("%4", models.recognizer)  # fmt: skip
        self.lpr_summary.setText(text)

    def shown_at(self, at: datetime) -> None:
        self.updated.setText(self.tr("Updated %1").replace("%1", at.strftime("%H:%M:%S")))
        self.status.clear()

    def show_problem(self, text: str) -> None:
        self.status.setText(text)


class Dashboard(QObject):
    def __init__(self, session: ConsoleSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.dialog = DashboardWindow(parent)
        self.dialog.refreshRequested.connect(self.refresh)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.dialog.finished.connect(lambda _: self.timer.stop())
        self.loaded = 0  # refreshes completed, for tests and the curious

    def open(self) -> None:
        self.dialog.show()
        self.dialog.raise_()
        self.timer.start()
        self.refresh()

    @async_slot()
    async def refresh(self) -> None:
        period = self.dialog.current_period()
        until = datetime.now().astimezone()
        since = until - period.span
        api = self.session.admin()
        try:
            reads = await api.read_stats(since, until, period.bucket)
            alerts = await api.alert_stats(since, until)
            cameras = await api.camera_stats(since, until, period.bucket)
        except ServiceError as exc:
            self.dialog.show_problem(str(exc))
            return
        try:
            lpr: LprStats | None = await api.lpr_stats()
        except RequestRejected as exc:
            if exc.status != 403:
                self.dialog.show_problem(str(exc))
            lpr = None
        except ServiceError as exc:
            self.dialog.show_problem(str(exc))
            lpr = None
        self.dialog.show_reads(reads)
        self.dialog.show_alerts(alerts)
        self.dialog.show_cameras(cameras)
        self.dialog.show_lpr(lpr)
        self.dialog.shown_at(until)
        self.loaded += 1
