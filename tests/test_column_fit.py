"""Tables with a column fitter: long text wraps into taller rows, on screen at once and for a long table the rest
while the window answers (measuring 1,000 rows at once held up the first page of a big plan)."""

from __future__ import annotations

from PySide6.QtWidgets import QTableView

from desktop.ui.column_fit import ROWS_PER_TURN
from desktop.ui.widgets import RowsModel, make_table

LONG = "Tuyên truyền, phổ biến pháp luật về bảo vệ trẻ em trên môi trường mạng cho cán bộ, giáo viên và phụ huynh " * 2


def _table(qtbot, rows: int) -> QTableView:
    model = RowsModel(["TT", "Nhiệm vụ", "Hạn"])
    model.set_rows([(str(n), LONG if n % 2 else "Ngắn", "31/12/2026") for n in range(1, rows + 1)])
    view = make_table(model, stretch=1, sortable=False)
    qtbot.addWidget(view)
    view.resize(700, 400)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_a_short_table_has_every_row_fitted_to_its_wrapped_text(qtbot):
    view = _table(qtbot, 40)
    qtbot.waitUntil(lambda: view.rowHeight(0) > 2 * view.rowHeight(1))  # row 1 (TT 1) wraps, row 2 does not
    assert all(view.rowHeight(r) > view.rowHeight(r + 1) for r in range(0, 40, 2))


def test_a_long_table_shows_its_first_rows_fitted_then_every_row_while_the_window_answers(qtbot):
    rows = ROWS_PER_TURN * 3 + 7
    view = _table(qtbot, rows)
    qtbot.waitUntil(lambda: view.rowHeight(0) > 2 * view.rowHeight(1))
    # The vertical header no longer measures every row at each layout: the fitter does, in turns.
    assert view.verticalHeader().sectionResizeMode(0) != view.verticalHeader().ResizeMode.ResizeToContents
    qtbot.waitUntil(lambda: view.rowHeight(rows - 1) > 2 * view.rowHeight(rows - 2), timeout=10_000)
    tall, short = view.rowHeight(0), view.rowHeight(1)
    assert all(view.rowHeight(r) == (tall if r % 2 == 0 else short) for r in range(rows))  # row r is task r + 1


def test_narrowing_a_column_rewraps_its_rows(qtbot):
    view = _table(qtbot, 20)
    qtbot.waitUntil(lambda: view.rowHeight(0) > 2 * view.rowHeight(1))
    before = view.rowHeight(0)
    view.horizontalHeader().resizeSection(1, view.horizontalHeader().sectionSize(1) // 3)  # the clerk drags it
    qtbot.waitUntil(lambda: view.rowHeight(0) > before)
