"""The `khbc` commands of the reporting chain: review, receipts, the units' reports per task, drafting from them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from desktop.cli_bundle import _safe, _workspace


def add_chain_commands(commands, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the review, receipt and drafting commands to the `khbc` sub-command parser."""
    review = commands.add_parser("review", help="tiếp nhận hoặc trả lại báo cáo của đơn vị cấp dưới (phía tổng hợp)")
    review.add_argument("decision", choices=("accept", "return"), help="accept: tiếp nhận; return: trả lại")
    review.add_argument("--unit", required=True, metavar="MÃ", help="mã đơn vị gửi báo cáo")
    review.add_argument("--period", required=True, metavar="MÃ_KỲ")
    review.add_argument("--version", type=int, metavar="SỐ", help="phiên bản (mặc định: phiên bản hiện hành)")
    review.add_argument("--reason", default="", metavar="LÝ_DO", help="lý do trả lại (bắt buộc khi trả lại)")
    review.add_argument("--out", metavar="THƯ_MỤC", help="lưu luôn biên nhận vào thư mục này")
    db_option(review)

    export = commands.add_parser("receipt-export", help="xuất (lại) biên nhận của một báo cáo đã xem xét")
    export.add_argument("--unit", required=True, metavar="MÃ")
    export.add_argument("--period", required=True, metavar="MÃ_KỲ")
    export.add_argument("--version", type=int, metavar="SỐ")
    export.add_argument("--out", required=True, metavar="THƯ_MỤC")
    db_option(export)

    imp = commands.add_parser("receipt-import", help="nhập biên nhận cấp trên gửi về (tiếp nhận hoặc trả lại)")
    imp.add_argument("files", nargs="+", metavar="TỆP", help="một hoặc nhiều tệp biên nhận .zip")
    db_option(imp)

    receipts = commands.add_parser("receipts", help="liệt kê biên nhận đã nhận cho các gói đã gửi")
    receipts.add_argument("--period", metavar="MÃ_KỲ")
    db_option(receipts)

    reports = commands.add_parser("unit-reports", help="xem đơn vị cấp dưới báo cáo gì cho từng nhiệm vụ")
    reports.add_argument("--period", required=True, metavar="MÃ_KỲ")
    reports.add_argument("--task", metavar="TT", help="chỉ một nhiệm vụ")
    db_option(reports)

    draft = commands.add_parser("draft", help="soạn tự động kết quả của cấp mình từ báo cáo của đơn vị cấp dưới")
    draft.add_argument("--period", required=True, metavar="MÃ_KỲ")
    draft.add_argument("--apply", action="store_true",
                       help="ghi bản soạn vào các nhiệm vụ, chỉ tiêu chưa có kết quả (không ghi đè nội dung đã nhập)")
    db_option(draft)


def cmd_review(args: argparse.Namespace) -> int:
    from desktop.services.review import review_submission

    decision = "accepted" if args.decision == "accept" else "returned"
    workspace = _workspace(args)
    try:
        result = review_submission(workspace, args.unit, args.period, decision, args.reason, args.version, args.out)
    finally:
        workspace.close()
    print(_safe(result.message()))
    return 0


def cmd_receipt_export(args: argparse.Namespace) -> int:
    from desktop.services.review import export_receipt

    workspace = _workspace(args)
    try:
        path = export_receipt(workspace, args.unit, args.period, args.out, args.version)
    finally:
        workspace.close()
    print(path)
    return 0


def cmd_receipt_import(args: argparse.Namespace) -> int:
    from desktop.services.review import import_receipt

    workspace = _workspace(args)
    labels = {"imported": "ĐÃ NHẬP", "duplicate": "ĐÃ CÓ", "rejected": "TỪ CHỐI"}
    rejected = 0
    try:
        for path in args.files:
            outcome = import_receipt(workspace, path)
            stream = sys.stdout if outcome.ok else sys.stderr
            print(_safe(f"[{labels[outcome.status]}] {outcome.file_name}: {outcome.message}"), file=stream)
            for problem in outcome.problems:
                print(f"    - {_safe(problem)}", file=stream)
            rejected += not outcome.ok
    finally:
        workspace.close()
    return 2 if rejected else 0


def cmd_receipts(args: argparse.Namespace) -> int:
    from desktop.services.review import list_receipts

    workspace = _workspace(args)
    try:
        rows = list_receipts(workspace, args.period)
    finally:
        workspace.close()
    if not rows:
        print("Chưa nhận biên nhận nào.")
    for row in rows:
        print(_safe(f"{row.period_code} | v{row.version} | {row.receiver_name} | {row.describe()}"))
    return 0


def cmd_unit_reports(args: argparse.Namespace) -> int:
    from desktop.services.review import REVIEW_LABELS
    from desktop.services.unit_reports import period_task_reports

    workspace = _workspace(args)
    try:
        with workspace.unit_of_work() as session:
            rows = period_task_reports(session, args.period)
    finally:
        workspace.close()
    shown = 0
    for row in rows:
        if args.task and row.number != args.task.strip():
            continue
        shown += 1
        print(_safe(f"{row.number}. {row.content}"))
        if not row.reports:
            print("    (chưa có đơn vị nào báo cáo)")
        for rep in row.reports:
            print(_safe(f"    - {rep.unit_name} (v{rep.version}, {REVIEW_LABELS[rep.review].lower()}): "
                        f"{rep.status_label or '—'}. {rep.result}" + (f" Số liệu: {rep.figures}" if rep.figures else "")))
            for line in rep.evidence:
                print(_safe(f"        • {line}"))
    if args.task and not shown:
        print(f"Lỗi: Không có nhiệm vụ số \"{args.task}\" trong phụ lục.", file=sys.stderr)
        return 1
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from desktop.domain.drafting import draft_task
    from desktop.services.unit_reports import apply_drafts, draft_targets, period_task_reports

    workspace = _workspace(args)
    try:
        with workspace.unit_of_work() as session:
            if args.apply:
                applied = apply_drafts(session, args.period)
            tasks = [(row, draft_task(row.reports)) for row in period_task_reports(session, args.period)]
            targets = draft_targets(session, args.period)
    finally:
        workspace.close()
    for row, draft in tasks:
        if draft is not None:
            print(_safe(f"{row.number}. {draft.result}" + (f" Số liệu: {draft.figures}" if draft.figures else "")))
    for position, draft in targets:
        print(_safe(f"Chỉ tiêu {position}: {draft.value_text} ({draft.note})"))
    if not any(d for _r, d in tasks) and not targets:
        print("Chưa có báo cáo nào của đơn vị cấp dưới gắn với nhiệm vụ của kế hoạch này trong kỳ.")
    if args.apply:
        print(f"Đã ghi bản soạn vào {len(applied.tasks)} nhiệm vụ và {len(applied.targets)} chỉ tiêu chưa có kết quả; "
              "hãy xem lại và sửa trong Cập nhật kết quả.", file=sys.stderr)
    return 0


CHAIN_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "review": cmd_review,
    "receipt-export": cmd_receipt_export,
    "receipt-import": cmd_receipt_import,
    "receipts": cmd_receipts,
    "unit-reports": cmd_unit_reports,
    "draft": cmd_draft,
}
