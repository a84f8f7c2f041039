"""What each `khbc` command does: call one service and print its result in Vietnamese or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from desktop.services import clock
from desktop.services.workspace import Workspace


def _fmt_date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else "—"


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())


def cmd_init(args: argparse.Namespace) -> int:
    from desktop.services.setup import initialise

    result = initialise(args.db, args.sample)
    print(f"Cơ sở dữ liệu: {result.location}")
    if args.sample:
        print("Đã nạp kế hoạch mẫu." if result.sample_loaded else "Kế hoạch mẫu đã có sẵn, không nạp lại.")
    print(f"Kế hoạch hiện có {result.task_count} nhiệm vụ, {result.period_count} kỳ báo cáo.")
    return 0


def cmd_periods(args: argparse.Namespace) -> int:
    from desktop.services.queries import list_periods

    workspace = Workspace.open(args.db)
    try:
        with workspace.read() as session:
            rows = list_periods(session, clock.today())
    finally:
        workspace.close()
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
        return 0
    _print_table(["Mã kỳ", "Kỳ báo cáo", "Chốt số liệu", "Hạn gửi", "Trạng thái"], [
        [r.code, r.title, f"{_fmt_date(r.cutoff_start)} – {_fmt_date(r.cutoff_end)}", _fmt_date(r.deadline),
         r.state_label] for r in rows])
    return 0


def cmd_tasks(args: argparse.Namespace) -> int:
    from desktop.services.queries import list_tasks

    workspace = Workspace.open(args.db)
    try:
        with workspace.read() as session:
            rows = list_tasks(session, args.period, clock.today())
    finally:
        workspace.close()
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if args.period:
        _print_table(["TT", "Nội dung nhiệm vụ", "Chủ trì", "Thời gian", "Tình trạng trong kỳ", "Kết quả"], [
            [r.number, _clip(r.content, 48), _clip(r.lead, 18), _clip(r.timeframe_text, 24), r.state_label,
             r.status_label or "Chưa cập nhật"] for r in rows])
    else:
        _print_table(["TT", "Nội dung nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian thực hiện"], [
            [r.number, _clip(r.content, 48), _clip(r.lead, 18), _clip(", ".join(r.cooperating), 24),
             _clip(r.timeframe_label, 30)] for r in rows])
    return 0


def cmd_progress(args: argparse.Namespace) -> int:
    from desktop.domain.task_state import PROGRESS_STATUS_LABELS
    from desktop.services.progress import record_progress

    workspace = Workspace.open(args.db)
    try:
        with workspace.unit_of_work() as session:
            entry = record_progress(session, args.period, args.task, args.status, result=args.result,
                                    difficulties=args.difficulties, proposals=args.proposals)
            label = f"nhiệm vụ {entry.task.number}, kỳ {entry.period.title}"
    finally:
        workspace.close()
    print(f"Đã lưu {label}: {PROGRESS_STATUS_LABELS[args.status]}.")
    return 0


def cmd_target(args: argparse.Namespace) -> int:
    from desktop.services.progress import record_target_figure

    workspace = Workspace.open(args.db)
    try:
        with workspace.unit_of_work() as session:
            figure = record_target_figure(session, args.period, args.target, args.value, args.note)
            label = f"chỉ tiêu {args.target}: {figure.value_text}"
    finally:
        workspace.close()
    print(f"Đã lưu {label}.")
    return 0


def cmd_timeframe(args: argparse.Namespace, years: tuple[int, int] | None) -> int:
    from desktop.domain.timeframe import parse_timeframe

    parsed = parse_timeframe(args.text, years)
    if args.json:
        print(json.dumps(parsed.to_json(), ensure_ascii=False, indent=2))
    else:
        print(parsed.label())
        if parsed.deadlines:
            print("Các hạn: " + ", ".join(_fmt_date(d) for d in parsed.deadlines))
    return 0


def _write_document(args: argparse.Namespace, kind: str) -> int:
    from desktop.services.documents import report_warnings, write_plan_document, write_report

    workspace = Workspace.open(args.db)
    try:
        if kind == "report":
            path = write_report(workspace, args.period, args.format, Path(args.out) if args.out else None,
                                clock.today(), redraft=getattr(args, "redraft", False))
            freshness, _gaps = report_warnings(workspace, args.period, clock.today())
            if freshness.stale:
                print("Cảnh báo: " + freshness.message(), file=sys.stderr)
        else:
            path = write_plan_document(workspace, args.format, Path(args.out) if args.out else None,
                                       clock.today())
    finally:
        workspace.close()
    print(path)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    return _write_document(args, "report")


def cmd_plan_doc(args: argparse.Namespace) -> int:
    return _write_document(args, "plan")


def cmd_gui(args: argparse.Namespace) -> int:
    from desktop.ui.launch import run_gui

    return run_gui(["khbc-gui", *(["--db", args.db] if args.db else [])])


COMMANDS: dict[str, Callable[..., int]] = {
    "init": cmd_init,
    "periods": cmd_periods,
    "tasks": cmd_tasks,
    "progress": cmd_progress,
    "target": cmd_target,
    "timeframe": cmd_timeframe,
    "report": cmd_report,
    "plan-doc": cmd_plan_doc,
    "gui": cmd_gui,
}
