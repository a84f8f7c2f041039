"""Tổng quan: the current period and its deadline, task counts, late or due tasks, and periods not yet sent."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QScrollArea, QSizePolicy,
    QVBoxLayout, QWidget,
)

from desktop.domain.periods import days_left
from desktop.domain.task_state import PROGRESS_STATUS_LABELS, TASK_STATE_LABELS
from desktop.services import clock
from desktop.services.operations import Change
from desktop.domain.rows import OverviewScreen, PeriodRow, TaskRow
from desktop.ui.bus import DataBus
from desktop.ui.pages.base import Page
from desktop.ui.bar_chart import BarChart
from desktop.ui.widgets import RowsModel, hint, make_table, selected_key, vn_date

ATTENTION_LIMIT = 40

STATE_COLORS = {"late": "#c62828", "due": "#ef6c00", "ongoing": "#1e88e5", "not_yet": "#9e9e9e",
                "finished": "#2e7d32"}
STATUS_COLORS = {"done": "#2e7d32", "in_progress": "#1e88e5", "not_started": "#ef6c00",
                 "not_applicable": "#9e9e9e", None: "#c5cad3"}
NOT_UPDATED = "Chưa cập nhật kết quả"
LATE_RED = QColor("#b71c1c")


def deadline_phrase(days: int | None) -> tuple[str, str]:
    """(big text, line under it) for the days left to a deadline."""
    if days is None:
        return "—", "Kỳ này không đặt hạn gửi báo cáo"
    if days > 0:
        return f"Còn {days} ngày", "đến hạn gửi báo cáo"
    if days == 0:
        return "Hôm nay", "là hạn gửi báo cáo"
    return f"Quá hạn {-days} ngày", "so với hạn gửi báo cáo"


class OverviewPage(Page):
    """What needs attention today, at a glance."""

    nav_label = "Tổng quan"
    slug = "tong-quan"
    changes = frozenset({Change.PLAN, Change.TASKS, Change.PROGRESS, Change.REPORT, Change.EXPORTS, Change.PROFILE,
                         Change.TARGETS})

    open_task_requested = Signal(int)  # a task's id, on double-click in the list of late/due tasks

    def __init__(self, bus: DataBus, parent: QWidget | None = None):
        super().__init__(bus, parent)
        self.period: PeriodRow | None = None
        self.attention: list[TaskRow] = []

        self.period_title = QLabel()
        self.period_title.setTextFormat(Qt.TextFormat.RichText)
        self.period_details = QLabel()
        self.period_details.setTextFormat(Qt.TextFormat.RichText)
        self.days_big = QLabel()
        self.days_big.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.days_note = QLabel()
        self.days_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.days_note.setWordWrap(True)
        card = QFrame()
        card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        card.setObjectName("periodCard")
        card.setStyleSheet("#periodCard { background: palette(base); border: 1px solid palette(mid);"
                           " border-radius: 8px; }")
        card_layout = QHBoxLayout(card)
        card_layout.setContentsMargins(20, 16, 20, 16)
        left = QVBoxLayout()
        left.addWidget(self.period_title)
        left.addWidget(self.period_details)
        left.addStretch(1)
        right = QVBoxLayout()
        right.addWidget(self.days_big)
        right.addWidget(self.days_note)
        card_layout.addLayout(left, 3)
        card_layout.addLayout(right, 2)

        self.state_chart = BarChart()
        self.status_chart = BarChart()
        self.state_box = self._boxed("Nhiệm vụ theo thời hạn trong kỳ", self.state_chart)
        self.status_box = self._boxed("Nhiệm vụ theo kết quả đã cập nhật", self.status_chart)

        self.tasks_model = RowsModel(["TT", "Nhiệm vụ", "Chủ trì", "Hạn", "Tình trạng"])
        self.tasks_view = make_table(self.tasks_model, stretch=1)
        self.tasks_view.setEditTriggers(self.tasks_view.EditTrigger.NoEditTriggers)
        self.tasks_view.doubleClicked.connect(self._open_task)
        self.tasks_view.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.tasks_view.setColumnWidth(3, 150)  # "Hạn: 30/09/2026, sau đó duy trì" wraps; the task text gets the room
        self.tasks_empty = hint("Không có nhiệm vụ chậm tiến độ hoặc đến hạn trong kỳ này.")
        self.tasks_more = hint("")
        self.tasks_box = self._boxed("Nhiệm vụ chậm tiến độ hoặc đến hạn trong kỳ", self.tasks_view,
                                     self.tasks_empty, self.tasks_more,
                                     hint("Nhấp đúp vào một nhiệm vụ để cập nhật kết quả."))

        self.periods_model = RowsModel(["Kỳ báo cáo", "Hạn gửi", "Tình trạng"])
        self.periods_view = make_table(self.periods_model, stretch=0, sortable=False)
        self.periods_view.setEditTriggers(self.periods_view.EditTrigger.NoEditTriggers)
        self.periods_empty = hint("Mọi kỳ đã đến hạn đều đã gửi báo cáo.")
        self.periods_box = self._boxed("Kỳ báo cáo chưa gửi", self.periods_view, self.periods_empty)
        self.no_tasks_box = self._build_no_tasks()

        content = QWidget()
        self.grid = grid = QGridLayout(content)
        grid.setContentsMargins(16, 16, 16, 16)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        grid.addWidget(card, 0, 0, 1, 2)
        grid.addWidget(self.no_tasks_box, 1, 0, 1, 2)
        grid.addWidget(self.state_box, 1, 0)
        grid.addWidget(self.status_box, 1, 1)
        grid.addWidget(self.tasks_box, 2, 0)
        grid.addWidget(self.periods_box, 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 2)
        grid.setRowStretch(2, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    def _build_no_tasks(self) -> QFrame:
        """The pointer shown instead of empty charts while the plan's appendix has no task yet."""
        box = QFrame()
        box.setObjectName("noTasks")
        box.setStyleSheet("#noTasks { background: #fff8e1; border: 1px solid #ffcc80; border-radius: 8px; }")
        title = QLabel("Kế hoạch chưa có nhiệm vụ nào")
        title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        text = QLabel("Các số liệu ở trang này được tính từ phụ lục nhiệm vụ của kế hoạch. Hãy gõ từng nhiệm vụ, "
                      "hoặc nhập cả phụ lục từ tệp Word, Excel, PDF hay văn bản đã có.")
        text.setWordWrap(True)
        self.add_tasks_button = QPushButton("Thêm nhiệm vụ")
        self.add_tasks_button.setToolTip("Mở trang Phụ lục với hộp thêm nhiệm vụ")
        self.add_tasks_button.clicked.connect(lambda: self._on_appendix("new_item"))
        self.import_tasks_button = QPushButton("Nhập từ tệp…")
        self.import_tasks_button.setToolTip("Đọc phụ lục nhiệm vụ từ một tệp có sẵn")
        self.import_tasks_button.clicked.connect(lambda: self._on_appendix("open_import"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_tasks_button)
        buttons.addWidget(self.import_tasks_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.addWidget(title)
        layout.addWidget(text)
        layout.addLayout(buttons)
        box.hide()
        return box

    def _on_appendix(self, command: str) -> None:
        """Go to Phụ lục and run `command` there (the main window owns the pages; a bare page has no Phụ lục)."""
        show_page = getattr(self.window(), "show_page", None)
        if show_page is not None:
            getattr(show_page("phu-luc"), command)()

    @staticmethod
    def _boxed(title: str, *widgets: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        for widget in widgets:
            layout.addWidget(widget)
        return box

    # --- data -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        super().refresh()
        self.show_data(self.read_data(self.bus))

    @classmethod
    def read_data(cls, reader) -> OverviewScreen:
        """The current period and its tasks, as plain rows, in one read."""
        from desktop.services.page_data import overview_screen  # SQLAlchemy: not on the first paint's path

        today = clock.today()
        screen = reader.try_read(overview_screen, today)
        return screen if screen is not None else OverviewScreen(today, [], None, [], True)

    @classmethod
    def quick_read_data(cls, path) -> OverviewScreen | None:
        """What `read_data` gives, read with the standard sqlite3 module before SQLAlchemy loads; None when
        the file needs the full path (see desktop.services.quick_read)."""
        from desktop.services.quick_read import read_overview

        rows = read_overview(path, clock.today())
        if rows is None:
            return None
        today, periods, period, tasks = rows
        return OverviewScreen(today, periods, period, tasks, not tasks if period is not None else None)

    def show_data(self, data: OverviewScreen) -> None:
        self.period = data.period
        self._show_period(data.today)
        appendix_empty = data.appendix_empty
        if appendix_empty is None:  # rows read before the workspace opened: decided on the next refresh
            appendix_empty = False
        self._show_empty_plan(appendix_empty)
        self._show_counts(data.tasks)
        self._show_attention(data.tasks)
        self._show_unsent(data.periods)

    def _show_empty_plan(self, empty: bool) -> None:
        self.no_tasks_box.setVisible(empty)
        for box in (self.state_box, self.status_box, self.tasks_box):
            box.setVisible(not empty)  # all-zero charts would only say nothing
        self.grid.removeWidget(self.periods_box)  # alone, the unsent periods take the whole width
        self.grid.addWidget(self.periods_box, 2, 0 if empty else 1, 1, 2 if empty else 1)

    def appendix_is_empty(self) -> bool:
        return not self.no_tasks_box.isHidden()

    def _show_period(self, today) -> None:
        period = self.period
        if period is None:
            self.period_title.setText("<span style='font-size:16pt; font-weight:600'>Không còn kỳ báo cáo nào "
                                      "phía trước</span>")
            self.period_details.setText("Kế hoạch đã qua hạn gửi của mọi kỳ báo cáo.")
            self.days_big.setText("")
            self.days_note.setText("")
            return
        self.period_title.setText(
            "<span style='font-size:10pt; color:palette(placeholder-text)'>KỲ BÁO CÁO HIỆN TẠI</span><br>"
            f"<span style='font-size:18pt; font-weight:600'>{html.escape(period.title)}</span>")
        rows = [("Thời gian chốt số liệu", f"{vn_date(period.cutoff_start)} – {vn_date(period.cutoff_end)}"),
                ("Hạn gửi báo cáo", vn_date(period.deadline, "không đặt hạn")),
                ("Tình trạng", period.state_label)]
        self.period_details.setText("<table cellspacing='0' cellpadding='3'>" + "".join(
            f"<tr><td>{html.escape(k)}:&nbsp;&nbsp;</td><td><b>{html.escape(v)}</b></td></tr>" for k, v in rows)
            + "</table>")
        if period.state == "sent":
            from desktop.services.ui_overview import as_local  # not at start-up: it pulls in the package services

            sent = as_local(period.sent_at)
            big, note = "Đã gửi", f"báo cáo ngày {vn_date(sent.date() if sent else None)}"
            color = "#2e7d32"
        else:
            days = days_left(period, today)
            big, note = deadline_phrase(days)
            color = "#c62828" if days is not None and days <= 3 else ("#ef6c00" if days is not None and days <= 14
                                                                     else "#1565c0")
        self.days_big.setText(big)
        self.days_big.setStyleSheet(f"font-size: 30pt; font-weight: 700; color: {color};")
        self.days_note.setText(note)
        self.days_note.setStyleSheet("font-size: 12pt;")

    def _show_counts(self, tasks: list[TaskRow]) -> None:
        states = [(TASK_STATE_LABELS[key], sum(1 for t in tasks if t.state == key), STATE_COLORS[key])
                  for key in ("late", "due", "ongoing", "not_yet", "finished")]
        statuses = [(PROGRESS_STATUS_LABELS[key], sum(1 for t in tasks if t.status == key), STATUS_COLORS[key])
                    for key in PROGRESS_STATUS_LABELS]
        statuses.append((NOT_UPDATED, sum(1 for t in tasks if t.status is None), STATUS_COLORS[None]))
        self.state_chart.set_items(states)
        self.status_chart.set_items(statuses)

    def _show_attention(self, tasks: list[TaskRow]) -> None:
        order = {"late": 0, "due": 1}
        self.attention = sorted((t for t in tasks if t.state in order), key=lambda t: (order[t.state], t.position))
        # An overview, not the whole appendix: a long list would only slow the start on a big plan.
        shown = self.attention[:ATTENTION_LIMIT]
        self.tasks_model.set_rows(
            [(t.number, t.content, t.lead, t.timeframe_label, t.state_label) for t in shown],
            keys=[t.id for t in shown],
            colors=[LATE_RED if t.state == "late" else None for t in shown])
        hidden = len(self.attention) - len(shown)
        self.tasks_more.setText(f"… và {hidden} nhiệm vụ khác; xem đầy đủ ở trang Cập nhật kết quả." if hidden else "")
        self.tasks_more.setVisible(bool(hidden))
        self.tasks_view.setVisible(bool(self.attention))
        self.tasks_empty.setVisible(not self.attention)

    def _show_unsent(self, periods: list[PeriodRow]) -> None:
        unsent = [p for p in periods if p.state in ("open", "awaiting", "overdue")]
        self.periods_model.set_rows(
            [(p.title, vn_date(p.deadline, "không đặt hạn"), p.state_label) for p in unsent],
            keys=[p.code for p in unsent],
            colors=[LATE_RED if p.state == "overdue" else None for p in unsent])
        self.periods_view.setVisible(bool(unsent))
        self.periods_empty.setVisible(not unsent)

    def _open_task(self, _index: QModelIndex) -> None:
        task_id = selected_key(self.tasks_view)
        if task_id is not None:
            self.open_task_requested.emit(int(task_id))

    def late_task_numbers(self) -> list[str]:
        """TT of the tasks shown as late (for tests and the status bar)."""
        return [t.number for t in self.attention if t.state == "late"]
