"""Where a task stands in a reporting period, from its timeframe, its recorded progress and today's date.

Rules (a period is judged on its calendar span, `span_start`..`span_end`):
- "late" needs a deadline inside or before the span that has passed (today is after it) while the
  task is not "done"; "not_applicable" (Không phát sinh) never makes a task late.
- Deadline/range tasks: a deadline inside the span → "due" (or "late"); all deadlines before the span →
  "finished" when done, "ongoing" when the task continues ("… và duy trì") or is not applicable, else
  "late"; deadlines only after the span → "ongoing" once work has started (or an earlier milestone
  passed), else "not_yet". `done_before` (finished in an earlier period) → "finished", or "ongoing"
  for a task that continues after its deadline. A multi-deadline task is late when any of its
  deadlines in the span has passed undone.
- Recurring tasks are judged on the last of their deadlines in the span (the occurrence being
  reported); none in the span → "ongoing"; before start_year → "not_yet"; after end_year → "finished".
  "Thường xuyên, hằng năm" (continues=True) is not late while "in_progress": the work never ends.
- Continuous → "ongoing" (inside its year bounds, if any). On demand and unknown → "ongoing".
  Conditional → "not_yet" until work is recorded as started or done.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Literal, get_args

if TYPE_CHECKING:  # annotations only: the CLI reads the status choices without loading the timeframe patterns
    from desktop.domain.periods import Period
    from desktop.domain.timeframe import Timeframe

ProgressStatus = Literal["done", "in_progress", "not_started", "not_applicable"]
PROGRESS_STATUSES: tuple[str, ...] = get_args(ProgressStatus)
PROGRESS_STATUS_LABELS: dict[str, str] = {
    "done": "Đã hoàn thành",
    "in_progress": "Đang thực hiện",
    "not_started": "Chưa thực hiện",
    "not_applicable": "Không phát sinh",
}

TaskState = Literal["due", "ongoing", "not_yet", "late", "finished"]
TASK_STATES: tuple[str, ...] = get_args(TaskState)
TASK_STATE_LABELS: dict[str, str] = {
    "due": "Đến hạn trong kỳ",
    "ongoing": "Đang thực hiện/thường xuyên",
    "not_yet": "Chưa đến thời gian thực hiện",
    "late": "Chậm tiến độ",
    "finished": "Đã hoàn thành từ kỳ trước",
}


def task_state(timeframe: Timeframe, period: Period, status: str | None, today: date,
               done_before: bool = False) -> TaskState:
    """State of one task in `period` as of `today`; `status` is the progress recorded for this period."""
    status = (status or "").strip() or None
    done = status == "done"
    exempt = status == "not_applicable"
    started = status in ("in_progress", "done")
    start, end = period.span_start, period.span_end
    kind = timeframe.kind

    def judge(passed: bool, lenient: bool = False) -> TaskState:
        if passed and not done and not exempt and not (lenient and status == "in_progress"):
            return "late"
        return "due"

    def after_deadline() -> TaskState:
        if done:
            return "finished"
        return "ongoing" if timeframe.continues or exempt else "late"

    if kind == "deadline" and timeframe.deadlines:
        if done_before:
            return "ongoing" if timeframe.continues else "finished"
        inside = [d for d in timeframe.deadlines if start <= d <= end]
        if inside:
            return judge(any(d < today for d in inside))
        if any(d > end for d in timeframe.deadlines):
            return "ongoing" if started or any(d < start for d in timeframe.deadlines) else "not_yet"
        return after_deadline()

    if kind == "range":
        if timeframe.start_year is not None and end < date(timeframe.start_year, 1, 1):
            return "not_yet"
        if done_before:
            return "ongoing" if timeframe.continues else "finished"
        if timeframe.deadlines:
            deadline = timeframe.deadlines[-1]
        elif timeframe.end_year is not None:
            deadline = date(timeframe.end_year, 12, 31)
        else:
            return "ongoing"
        if start <= deadline <= end:
            return judge(deadline < today)
        return after_deadline() if deadline < start else "ongoing"

    if kind == "recurring":
        if timeframe.start_year is not None and end.year < timeframe.start_year:
            return "not_yet"
        if timeframe.end_year is not None and start.year > timeframe.end_year:
            return "finished"
        inside = timeframe.deadlines_between(start, end)
        if not inside:
            return "ongoing"
        return judge(inside[-1] < today, lenient=timeframe.continues)

    if kind == "continuous":
        if timeframe.start_year is not None and end.year < timeframe.start_year:
            return "not_yet"
        if timeframe.end_year is not None and start.year > timeframe.end_year:
            return "finished"
        return "ongoing"

    if kind == "conditional":
        if done_before:
            return "finished"
        return "ongoing" if started else "not_yet"

    if kind == "unknown" and done_before:
        return "finished"
    return "ongoing"  # on_demand, unknown, a deadline kind without dates
