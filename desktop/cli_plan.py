"""The `khbc` commands for the plan package going down: plan-export (upper level) and plan-import (lower level)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from desktop.cli_bundle import _safe, _workspace
from desktop.errors import InvalidInputError


def add_plan_commands(commands, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the plan package commands to the `khbc` sub-command parser."""
    export = commands.add_parser("plan-export", help="xuất gói kế hoạch (ZIP) gửi các đơn vị cấp dưới")
    export.add_argument("out", metavar="THƯ_MỤC", help="thư mục lưu gói")
    db_option(export)

    imp = commands.add_parser("plan-import", help="nhập (hoặc cập nhật) kế hoạch từ gói kế hoạch của cấp trên")
    imp.add_argument("file", metavar="TỆP", help="tệp gói kế hoạch .zip")
    imp.add_argument("--preview", action="store_true", help="chỉ xem trước các thay đổi, không nhập")
    imp.add_argument("--unit", metavar="TÊN", help="tên đơn vị của bạn như trong kế hoạch (mặc định: theo Cài đặt)")
    imp.add_argument("--task", action="append", metavar="MÃ", dest="tasks",
                     help="mã định danh (uid) nhiệm vụ muốn nhận thêm; dùng nhiều lần (mặc định: nhiệm vụ của đơn vị)")
    db_option(imp)


def _export(args: argparse.Namespace) -> int:
    from desktop.services.plan_send import export_plan_package

    workspace = _workspace(args)
    try:
        result = export_plan_package(workspace, args.out)
    finally:
        workspace.close()
    state = "phiên bản mới" if result.new_version else "kế hoạch chưa thay đổi từ lần gửi trước, vẫn là phiên bản này"
    print(f"Đã xuất gói kế hoạch {result.path} (phiên bản {result.version}: {state}).")
    print(f"{result.task_count} nhiệm vụ, {result.unit_count} đơn vị; SHA-256 {result.sha256}.")
    print("Gửi cùng một tệp này cho tất cả đơn vị cấp dưới: mỗi đơn vị tự nhận các nhiệm vụ của mình.")
    return 0


def _import(args: argparse.Namespace) -> int:
    from desktop.services.plan_receive import import_plan_package, preview_plan_import

    selected = None
    workspace = _workspace(args)
    try:
        preview = preview_plan_import(workspace, args.file, unit=args.unit)
        if args.tasks:
            known = {t.uid for t in preview.tasks}
            unknown = [uid for uid in args.tasks if uid not in known]
            if unknown:
                raise InvalidInputError(f"Không có nhiệm vụ mã {_safe(', '.join(unknown))} trong gói kế hoạch.")
            selected = preview.preselected() | set(args.tasks)
            preview = preview_plan_import(workspace, args.file, unit=args.unit, selected=selected)
        for line in preview.lines():
            print(_safe(line))
        if preview.refusal:
            raise InvalidInputError(preview.refusal)
        if args.preview:
            print("(Chỉ xem trước: chưa nhập gì.)")
            return 0
        result = import_plan_package(workspace, args.file, unit=args.unit, selected=selected,
                                     expected_sha256=preview.sha256)
    finally:
        workspace.close()
    print(_safe(result.message))
    return 0


PLAN_COMMANDS = {"plan-export": _export, "plan-import": _import}
