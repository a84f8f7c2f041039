"""The main window (first version): the plan, its periods and the appendix, read through the services."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QLabel, QMainWindow, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout, QWidget,
)

from desktop.services import clock
from desktop.services.queries import list_periods, list_tasks
from desktop.services.setup import current_plan, load_sample
from desktop.services.workspace import Workspace


def open_workspace(target: str | None) -> Workspace:
    """Open the database; a brand-new one starts from the sample plan until the first-run wizard exists."""
    workspace = Workspace.open(target)
    with workspace.unit_of_work() as session:
        if current_plan(session, required=False) is None:
            load_sample(session)
    return workspace


def _table(headers: list[str], rows: list[list[str]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setWordWrap(True)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    table.resizeColumnsToContents()
    table.horizontalHeader().setStretchLastSection(True)
    return table


class MainWindow(QMainWindow):
    """Shows the current plan; the full workspace (issue: desktop program) replaces this view."""

    def __init__(self, workspace: Workspace):
        super().__init__()
        self.workspace = workspace
        self.setWindowTitle(f"KHBC – Kế hoạch, báo cáo — {workspace.location}")
        today = clock.today()
        with workspace.unit_of_work() as session:
            plan_title = current_plan(session).title
            periods = list_periods(session, today)
            tasks = list_tasks(session, None, today)
        central = QWidget()
        layout = QVBoxLayout(central)
        title = QLabel(f"<b>Kế hoạch:</b> {html.escape(plan_title)}")
        title.setWordWrap(True)
        title.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(title)
        tabs = QTabWidget()
        tabs.addTab(_table(["TT", "Nội dung nhiệm vụ", "Chủ trì", "Thời gian thực hiện"],
                           [[t.number, t.content, t.lead, t.timeframe_label] for t in tasks]), "Phụ lục nhiệm vụ")
        tabs.addTab(_table(["Mã kỳ", "Kỳ báo cáo", "Hạn gửi", "Trạng thái"],
                           [[p.code, p.title, p.deadline.strftime("%d/%m/%Y") if p.deadline else "",
                             p.state_label] for p in periods]), "Kỳ báo cáo")
        layout.addWidget(tabs)
        self.setCentralWidget(central)
        self.statusBar().showMessage(f"Dữ liệu: {workspace.location}")
