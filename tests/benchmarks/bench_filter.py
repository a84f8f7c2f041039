"""Benchmark of the appendix search: 10,000 tasks, "tuyen truyen" typed key by key (run as a script, not by pytest)."""

from __future__ import annotations

import argparse
import ctypes
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if sys.version_info < (3, 12):
    # PySide6 6.12 (abi3 wheels) returns None without a reference on CPython 3.11, where None is not yet
    # immortal; tens of thousands of calls drain its count and abort the process ("deallocating None").
    ctypes.c_ssize_t.from_address(id(None)).value += 1 << 30
ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from desktop.domain.timeframe import parse_timeframe  # noqa: E402
from desktop.services.queries import TaskRow  # noqa: E402
from desktop.ui.appendix_model import AppendixFilter, AppendixModel  # noqa: E402
from desktop.ui.appendix_view import AppendixView  # noqa: E402

VERBS = ("Tuyên truyền, phổ biến", "Rà soát, bảo đảm", "Kiểm soát nội dung", "Lồng ghép nội dung", "Tổ chức tập huấn",
         "Theo dõi, đôn đốc", "Sơ kết, tổng kết", "Phối hợp với Công an tỉnh về", "Xây dựng kế hoạch")
TOPICS = ("bảo vệ trẻ em trên môi trường mạng", "an toàn thông tin hệ thống", "chuyển đổi số, Đề án 06",
          "cải cách hành chính", "kỹ năng số cho cán bộ, công chức", "phòng, chống xâm hại trẻ em")
UNITS = ("Văn phòng Sở", "Các phòng chuyên môn", "Công an tỉnh", "Sở Y tế", "UBND các huyện", "Đơn vị CNTT")
TIMEFRAMES = ("Quý III/2026", "Hàng năm", "Thường xuyên", "2026-2030", "Theo yêu cầu", "Năm 2028")
STATES = ("due", "late", "ongoing", "not_yet")
QUERY = "tuyen truyen"


def synthetic_rows(count: int) -> list[TaskRow]:
    labels = {text: parse_timeframe(text, (2026, 2030)).label() for text in TIMEFRAMES}
    rows = []
    for i in range(count):
        timeframe = TIMEFRAMES[i % len(TIMEFRAMES)]
        rows.append(TaskRow(
            id=i + 1, position=i + 1, number=str(i + 1),
            content=f"{VERBS[i % len(VERBS)]} {TOPICS[(i // 3) % len(TOPICS)]} (đợt {i // 50 + 1})",
            group_id=i // 200 + 1 if i % 5000 else None, group_title=f"Nhóm {i // 200 + 1}",
            lead=UNITS[i % len(UNITS)], cooperating=(UNITS[(i + 1) % len(UNITS)], UNITS[(i + 2) % len(UNITS)]),
            timeframe_text=timeframe, timeframe_kind="", timeframe_label=labels[timeframe],
            expected_output="Báo cáo kết quả, kế hoạch được ban hành", state=STATES[i % len(STATES)],
            state_label=""))
    return rows


def measure(step, keys: str) -> list[float]:
    times = []
    for n in range(1, len(keys) + 1):
        start = time.perf_counter()
        step(keys[:n])
        times.append((time.perf_counter() - start) * 1000)
    for n in range(len(keys) - 1, -1, -1):  # and erased again with Backspace
        start = time.perf_counter()
        step(keys[:n])
        times.append((time.perf_counter() - start) * 1000)
    return times


def report(label: str, times: list[float]) -> None:
    print(f"{label:<44} median {statistics.median(times):6.2f} ms   max {max(times):6.2f} ms   "
          f"({len(times)} keystrokes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])

    start = time.perf_counter()
    rows = synthetic_rows(args.rows)
    model = AppendixModel()
    model.set_rows(rows, "Năm 2026")
    print(f"{args.rows} tasks; model loaded (search text folded once) in {(time.perf_counter() - start) * 1000:.0f} ms")

    proxy = AppendixFilter()
    proxy.setSourceModel(model)
    report("proxy only", measure(lambda text: (proxy.set_search(text), proxy.rowCount()), QUERY))
    proxy.set_search("")

    view = AppendixView(model, proxy, lambda: list(UNITS), lambda: (2026, 2030), model.set_reading_preview)
    view.resize(1400, 800)
    view.show()
    app.processEvents()

    def typed(text: str) -> None:
        proxy.set_search(text)
        app.processEvents()  # spans, row heights of the rows on screen, painting

    report("proxy + table view (shown, offscreen)", measure(typed, QUERY))
    print(f"rows matching \"{QUERY}\": {sum(1 for r in rows if 'Tuyên truyền' in r.content)} tasks")


if __name__ == "__main__":
    main()
