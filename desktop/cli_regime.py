"""The `khbc` commands for the plan's reporting regime, its report outline, and reminder letters (công văn đôn đốc)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from desktop.services.workspace import Workspace


def add_regime_commands(commands, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add plan-regime, outline-export, outline-import and reminder to the `khbc` sub-command parser."""
    regime = commands.add_parser(
        "plan-regime", help="xem hoặc đặt chế độ báo cáo của kế hoạch (quý, 6 tháng, 9 tháng, năm; ngày chốt riêng)")
    regime.add_argument("kinds", nargs="*", metavar="CHẾ_ĐỘ",
                        help="half-year (mặc định: 6 tháng và năm), quarterly, cumulative (quý I, 6 tháng, 9 tháng, "
                             "năm), nine-month, yearly; hoặc liệt kê: quarter half nine year phase")
    regime.add_argument("--deadline", action="append", default=[], metavar="LOẠI=NGÀY",
                        help="hạn gửi, ví dụ year=15/12, half=10/6, quarter=18 (ngày của tháng cuối quý)")
    regime.add_argument("--cutoff", action="append", default=None, metavar="NGÀY/THÁNG",
                        help="ngày chốt số liệu riêng của kế hoạch, ví dụ 10/12 (thay 14/12), 10/6 (thay 14/6)")
    regime.add_argument("--nd09", action="store_true",
                        help="bỏ ngày chốt riêng, chốt số liệu theo Nghị định 09/2019")
    regime.add_argument("--calendar", action="store_true", help="chốt số liệu theo năm dương lịch (01/01–31/12)")
    db_option(regime)

    export = commands.add_parser("outline-export", help="ghi đề cương báo cáo của kế hoạch ra tệp JSON")
    export.add_argument("file", metavar="TỆP")
    db_option(export)
    imp = commands.add_parser("outline-import", help="nạp đề cương báo cáo (JSON) cho kế hoạch")
    imp.add_argument("file", metavar="TỆP", nargs="?")
    imp.add_argument("--default", action="store_true", help="bỏ đề cương riêng, dùng đề cương mặc định I–V")
    db_option(imp)

    reminder = commands.add_parser("reminder", help="in công văn đôn đốc các đơn vị chưa gửi báo cáo của một kỳ")
    reminder.add_argument("period", metavar="MÃ_KỲ", help="kỳ báo cáo, ví dụ 2026S1")
    reminder.add_argument("--out", metavar="THƯ_MỤC", help="thư mục hoặc tệp kết quả (mặc định: thư mục hiện tại)")
    reminder.add_argument("--format", default="pdf", choices=("pdf", "docx"))
    reminder.add_argument("--deadline", metavar="NGÀY", help="hạn gửi mới ghi trong công văn, ví dụ 20/6/2026")
    db_option(reminder)


def cmd_plan_regime(args: argparse.Namespace) -> int:
    from desktop.services.regime import current_regime, parse_deadlines, parse_kinds, regime_change
    from desktop.services.queries import current_plan

    workspace = Workspace.open(args.db)
    try:
        with workspace.unit_of_work() as session:
            changing = args.kinds or args.deadline or args.cutoff is not None or args.nd09 or args.calendar
            if not changing:
                result = current_regime(session)
            else:
                plan = current_plan(session)
                kinds = parse_kinds(args.kinds, tuple((plan.schedule or {}).get("kinds", ()))) if args.kinds else None
                cutoffs = [] if args.nd09 else args.cutoff
                rule = "calendar" if args.calendar else ("nd09" if args.nd09 else None)
                result = regime_change(session, kinds, parse_deadlines(args.deadline), cutoffs, rule)
    finally:
        workspace.close()
    for line in result.describe():
        print(line)
    return 0


def cmd_outline_export(args: argparse.Namespace) -> int:
    from desktop.services.outline_store import export_outline

    workspace = Workspace.open(args.db)
    try:
        path = export_outline(workspace, args.file)
    finally:
        workspace.close()
    print(f"Đã ghi đề cương báo cáo ra tệp: {path}")
    return 0


def cmd_outline_import(args: argparse.Namespace) -> int:
    from desktop.services.outline_store import import_outline

    if not args.default and not args.file:
        from desktop.errors import InvalidInputError

        raise InvalidInputError("Hãy cho biết tệp đề cương (JSON) cần nạp, hoặc dùng --default để trở về đề cương I–V.")
    workspace = Workspace.open(args.db)
    try:
        outline = import_outline(workspace, None if args.default else args.file)
    finally:
        workspace.close()
    print("Đã nạp đề cương báo cáo: " + "; ".join(s.heading for s in outline.sections))
    return 0


def cmd_reminder(args: argparse.Namespace) -> int:
    from desktop.services.reminders import write_reminder

    workspace = Workspace.open(args.db)
    try:
        written = write_reminder(workspace, args.period, args.format, args.out, deadline_text=args.deadline)
    finally:
        workspace.close()
    print(f"Đã ghi công văn đôn đốc ({len(written.units)} đơn vị): {written.path}")
    for name in written.units:
        print(f"- {name}")
    return 0


REGIME_COMMANDS = {"plan-regime": cmd_plan_regime, "outline-export": cmd_outline_export,
                   "outline-import": cmd_outline_import, "reminder": cmd_reminder}
