"""The `khbc` commands that keep the data safe: backup, restore, backups, check, audit."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

AUDIT_ENTITIES = ("plan", "task", "task_group", "progress", "evidence", "target", "target_figure", "report", "period",
                  "department", "unit", "setting", "submission", "expected_unit")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"\"{text}\" không phải số nguyên") from None
    if not 1 <= value <= 2**31:
        raise argparse.ArgumentTypeError(f"{text} phải là số nguyên dương")
    return value


def add_safety_commands(commands, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the data-safety commands to the `khbc` sub-command parser."""
    backup = commands.add_parser("backup", help="sao lưu dữ liệu (bản sao được kiểm tra toàn vẹn trước khi giữ)")
    backup.add_argument("--out", metavar="TỆP", help="nơi lưu bản sao (tệp hoặc thư mục; mặc định: thư mục backups "
                                                      "cạnh tệp dữ liệu)")
    db_option(backup)

    restore = commands.add_parser("restore", help="khôi phục dữ liệu từ một bản sao lưu (dữ liệu hiện tại được sao "
                                                  "lưu trước)")
    restore.add_argument("file", metavar="TỆP", help="bản sao lưu (.sqlite3)")
    db_option(restore)

    listing = commands.add_parser("backups", help="liệt kê các bản sao lưu")
    listing.add_argument("--json", action="store_true", help="xuất dạng JSON")
    db_option(listing)

    check = commands.add_parser("check", help="kiểm tra tính toàn vẹn của dữ liệu")
    check.add_argument("--quick", action="store_true", help="kiểm tra nhanh (bỏ qua đối chiếu chỉ mục)")
    db_option(check)

    audit = commands.add_parser("audit", help="xem hoặc xuất nhật ký thay đổi (ai sửa gì, khi nào)")
    audit.add_argument("--entity", choices=AUDIT_ENTITIES, metavar="LOẠI",
                       help="loại mục: " + ", ".join(AUDIT_ENTITIES))
    audit.add_argument("--id", type=_positive, metavar="SỐ", help="số (id) của mục, cùng với --entity")
    audit.add_argument("--limit", type=_positive, default=200, metavar="N", help="số dòng mới nhất (mặc định 200)")
    audit.add_argument("--xlsx", metavar="TỆP", help="xuất ra tệp Excel thay vì in ra màn hình")
    audit.add_argument("--json", action="store_true", help="xuất dạng JSON")
    db_option(audit)


def _safe(text: object) -> str:
    """Stored text made harmless for a terminal: no escape sequences or control characters."""
    return "".join(c if c in "\n" or (c >= " " and not "\x7f" <= c <= "\x9f") else f"\\x{ord(c):02x}"
                   for c in str(text))


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / (1024 * 1024):.1f} MB"


def cmd_backup(args: argparse.Namespace) -> int:
    from desktop.services.backup import make_backup

    row = make_backup(args.db, "manual", out=args.out)
    print(row.path)
    print(f"Đã sao lưu dữ liệu ({_size(row.size)}); bản sao đã qua kiểm tra toàn vẹn.", file=sys.stderr)
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from desktop.services.backup import database_file
    from desktop.services.restore import restore_backup
    from desktop.services.workspace import Workspace

    result = restore_backup(database_file(args.db), Path(args.file))
    Workspace.open(args.db).close()  # a backup from an older KHBC is upgraded now, with its own backup first
    print(f"Đã khôi phục dữ liệu từ {result.restored_from}.")
    if result.safety_backup is not None:
        print(f"Dữ liệu trước khi khôi phục được giữ ở {result.safety_backup.path}; muốn quay lại, hãy chạy: "
              f"khbc restore \"{result.safety_backup.path}\"")
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    from desktop.services.backup import backup_dir, database_file, list_backups

    rows = list_backups(args.db)
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(f"Chưa có bản sao lưu nào trong {backup_dir(database_file(args.db))}.")
        return 0
    for row in rows:
        print(f"{row.created_at:%d/%m/%Y %H:%M:%S}\t{row.reason_label}\t{_size(row.size)}\t{row.path}")
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from desktop.services.integrity import check_database

    report = check_database(args.db, quick=args.quick)
    if report.ok:
        print(report.summary())
        return 0
    print(f"Lỗi: {report.summary()}", file=sys.stderr)
    for problem in report.problems:
        print(f"- {_safe(problem)}", file=sys.stderr)
    for line in report.details:
        print(f"  (chi tiết kỹ thuật: {_safe(line)})", file=sys.stderr)
    return 1


def cmd_audit(args: argparse.Namespace) -> int:
    from desktop.errors import InvalidInputError
    from desktop.services.audit_log import export_audit_xlsx, list_audit
    from desktop.services.workspace import Workspace

    if args.id is not None and args.entity is None:
        raise InvalidInputError("Dùng --id cùng với --entity, ví dụ: khbc audit --entity task --id 3.")
    workspace = Workspace.open(args.db)
    try:
        if args.xlsx:
            path = export_audit_xlsx(workspace, args.xlsx, args.entity, args.id, args.limit)
            print(path)
            return 0
        with workspace.read() as session:
            rows = list_audit(session, args.entity, args.id, args.limit)
    finally:
        workspace.close()
    if args.json:
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("Nhật ký thay đổi chưa có mục nào phù hợp.")
    for row in rows:
        when, user, action, entity, entity_id, field, old, new = row.cells()
        item = f"{entity} {entity_id}".strip()
        print(_safe(f"{when} | {user} | {action} {item} | {field} | {_clip(old, 50) or '—'} → {_clip(new, 50) or '—'}"))
    return 0


SAFETY_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "backup": cmd_backup,
    "restore": cmd_restore,
    "backups": cmd_backups,
    "check": cmd_check,
    "audit": cmd_audit,
}
