"""The `khbc import-tasks` command: read tasks from a file, show them, and add them to the plan's appendix."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from desktop.errors import InvalidInputError, KhbcError


def add_import_commands(commands, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the import-tasks sub-command to the `khbc` sub-parsers; `db_option` adds --db."""
    parser = commands.add_parser(
        "import-tasks", help="nhập nhiệm vụ từ tệp PDF, Word (.docx), Excel (.xlsx) hoặc văn bản kế hoạch (.txt)",
        description="Đọc nhiệm vụ từ bảng phụ lục \"06 rõ\" (Excel, Word, văn bản có cột cách bằng Tab) hoặc từ "
                    "văn bản kế hoạch (\"Cơ quan chủ trì: …\", \"Giao Sở …\"), rồi thêm vào phụ lục của kế hoạch "
                    "hiện tại. Dùng --dry-run để chỉ xem trước.")
    parser.add_argument("file", metavar="TỆP", help="tệp .pdf, .docx, .xlsx, .txt, .csv (.doc, .xls khi có LibreOffice); \"-\" để đọc từ đầu vào chuẩn")
    parser.add_argument("--unit", metavar="TÊN_ĐƠN_VỊ",
                        help="chỉ giữ nhiệm vụ đơn vị này chủ trì hoặc phối hợp (ví dụ \"Sở Y tế\")")
    parser.add_argument("--role", default="any", choices=("lead", "cooperate", "any"),
                        help="với --unit: lead = đơn vị chủ trì, cooperate = đơn vị phối hợp, any = cả hai (mặc định)")
    parser.add_argument("--include-general", action="store_true",
                        help="với --unit: nhập cả nhiệm vụ giao chung (\"các sở, ban, ngành\", \"các đơn vị liên quan\")")
    parser.add_argument("--create-units", action="store_true",
                        help="tạo các đơn vị chưa có trong danh mục (nếu không, tên được ghi vào ghi chú nhiệm vụ)")
    parser.add_argument("--groups", action="store_true", help="giữ các mục của văn bản làm nhóm nhiệm vụ trong phụ lục")
    parser.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi vào cơ sở dữ liệu")
    parser.add_argument("--json", action="store_true", help="xuất danh sách nhiệm vụ dạng JSON")
    db_option(parser)


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _print_table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)).rstrip())
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())


def _print_rows(preview, rows=None) -> None:
    headers = ["TT", "Nội dung nhiệm vụ", "Chủ trì", "Phối hợp", "Thời gian thực hiện"]
    if preview.unit_name:
        headers.append("Vai trò")
    table = []
    for row in preview.rows if rows is None else rows:
        task = row.task
        line = [task.number or "—", _clip(task.content, 50), _clip(", ".join(task.lead), 24),
                _clip(", ".join(task.cooperating), 24), _clip(task.timeframe, 24)]
        if preview.unit_name:
            line.append(row.role_label + ("" if row.selected else " (chưa chọn)"))
        table.append(line)
    _print_table(headers, table)


def _preview(args: argparse.Namespace):
    """(preview, source name) of the file named on the command line, or of standard input for "-"."""
    from pathlib import Path

    from desktop.services.task_import import preview_import

    if args.file == "-":
        from desktop.importers.detect import decode_text

        text = decode_text(sys.stdin.buffer.read(), "đầu vào chuẩn")
        return preview_import(text, unit_name=args.unit, role=args.role), "đầu vào chuẩn"
    path = Path(args.file)
    return preview_import(path, unit_name=args.unit, role=args.role), path.name


def cmd_import_tasks(args: argparse.Namespace) -> int:
    from desktop.services.task_import import apply_import, check_import
    from desktop.services.workspace import Workspace

    if args.role != "any" and not args.unit:
        raise InvalidInputError("--role cần đi kèm --unit TÊN_ĐƠN_VỊ.")
    if args.include_general and not args.unit:
        raise InvalidInputError("--include-general cần đi kèm --unit TÊN_ĐƠN_VỊ.")
    preview, source = _preview(args)
    out = sys.stderr if args.json else sys.stdout
    if not preview.total:
        last = preview.warnings[-1] if preview.warnings else "Không tìm thấy nhiệm vụ nào."
        raise KhbcError(f"{preview.not_a_plan}\n{last}" if preview.not_a_plan and preview.not_a_plan != last else last)
    if args.include_general:
        for row in preview.rows:
            row.selected = True
    if args.dry_run:
        if args.json:
            print(json.dumps(preview.to_json(), ensure_ascii=False, indent=2))
        else:
            _print_rows(preview)
        _print_notes(preview, out)
        return 0
    rows = preview.selected_rows()
    if not rows:
        print(f"Không có nhiệm vụ nào để nhập (đã đọc {preview.total} nhiệm vụ).", file=out)
        _print_notes(preview, out)
        return 0
    workspace = Workspace.open(args.db)
    try:
        with workspace.unit_of_work() as session:  # one transaction: all rows are added, or none
            unknown = check_import(session, rows).unknown_units
            summary = apply_import(session, rows, set(unknown) if args.create_units else set(),
                                   source=source, with_groups=args.groups)
    finally:
        workspace.close()
    if args.json:
        data = []
        for row, outcome in zip(rows, summary.outcomes):
            item = row.task.to_json(with_role=bool(preview.unit_name))
            item["result"] = outcome
            data.append(item)
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        _print_rows(preview, rows)
    _print_notes(preview, out)
    print(f"Đã thêm {summary.added} nhiệm vụ vào phụ lục"
          + (f" (số {summary.numbers[0]}–{summary.numbers[-1]})" if summary.numbers else "")
          + (f"; bỏ qua {summary.skipped_duplicates} nhiệm vụ đã có." if summary.skipped_duplicates else "."),
          file=out)
    if summary.created_units:
        print("Đã tạo đơn vị mới: " + "; ".join(summary.created_units) + ".", file=out)
    if summary.unlinked_units:
        print("Đơn vị chưa có trong danh mục (đã ghi vào ghi chú nhiệm vụ; dùng --create-units để tạo): "
              + "; ".join(summary.unlinked_units) + ".", file=out)
    return 0


def _print_notes(preview, out) -> None:
    shown = len(preview.rows)
    parts = [f"Đọc được {preview.total} nhiệm vụ ({preview.layout_label})"]
    if preview.unit_name:
        general = len(preview.rows_with_role("general"))
        parts.append(f"{shown - general} nhiệm vụ của \"{preview.unit_name}\"")
        if general:
            parts.append(f"{general} nhiệm vụ giao chung" + ("" if any(
                r.selected for r in preview.rows_with_role("general")) else " (thêm --include-general để nhập)"))
        if preview.hidden:
            parts.append(f"{preview.hidden} nhiệm vụ khác (của đơn vị khác hoặc vai trò khác) không hiển thị")
    print("; ".join(parts) + ".", file=out)
    for warning in preview.warnings:
        print(f"Lưu ý: {warning}", file=out)
    uncertain = [r.task for r in preview.rows if not r.task.certain]
    if uncertain:
        print(f"Cần kiểm tra {len(uncertain)} nhiệm vụ (chưa được chọn):", file=out)
        for task in uncertain[:50]:
            print(f"  {task.source}: {_clip(task.content, 60)} — {'; '.join(task.doubts)}", file=out)
    if preview.unrecognised:
        print(f"Không nhận ra {len(preview.unrecognised)} đoạn:", file=out)
        for where, text in preview.unrecognised[:50]:
            print(f"  {where}: {_clip(text, 100)}", file=out)


IMPORT_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {"import-tasks": cmd_import_tasks}
