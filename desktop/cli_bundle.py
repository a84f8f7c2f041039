"""The `khbc` commands for report packages: export, verify, import-bundle, collect, reopen, expect-unit, exports."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date, datetime

from desktop.errors import InvalidInputError


def _deadline(text: str) -> date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"ngày \"{text}\" không hợp lệ (dạng 10/12/2026 hoặc 2026-12-10)")


def add_bundle_commands(commands, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the package commands to the `khbc` sub-command parser."""
    export = commands.add_parser("export", help="xuất gói báo cáo (ZIP) của một kỳ để gửi lên cấp trên")
    export.add_argument("--period", required=True, metavar="MÃ_KỲ", help="kỳ báo cáo, ví dụ 2026S1, 2026")
    export.add_argument("--out", required=True, metavar="THƯ_MỤC", help="thư mục lưu gói")
    export.add_argument("--sign", action="store_true",
                        help="ký số báo cáo (nếu chưa ký) và niêm phong gói bằng khóa trong Cài đặt › Ký số")
    export.add_argument("--pin-env", metavar="BIẾN", default="KHBC_SIGN_PIN", help="biến môi trường chứa mã PIN")
    export.add_argument("--force", action="store_true",
                        help="vẫn xuất khi nội dung báo cáo được viết trước lần cập nhật kết quả gần nhất "
                             "(việc xác nhận được ghi vào gói)")
    db_option(export)

    verify = commands.add_parser("verify", help="kiểm tra một gói báo cáo (không cần cơ sở dữ liệu)")
    verify.add_argument("file", metavar="TỆP", help="tệp gói .zip")
    verify.add_argument("--trust", metavar="THƯ_MỤC", help="thư mục chứng thư tin cậy (mặc định: của người dùng)")

    imp = commands.add_parser("import-bundle", help="nhận (nhập) các gói báo cáo của đơn vị cấp dưới")
    imp.add_argument("files", nargs="+", metavar="TỆP", help="một hoặc nhiều tệp gói .zip")
    db_option(imp)

    collect = commands.add_parser("collect", help="tổng hợp tình hình gửi báo cáo và kết quả của các đơn vị")
    collect.add_argument("--period", required=True, metavar="MÃ_KỲ")
    collect.add_argument("--format", default="xlsx", choices=("xlsx", "pdf", "docx"))
    collect.add_argument("--out", metavar="TỆP", help="tệp kết quả (mặc định: TongHop_<kỳ>.<định dạng>)")
    collect.add_argument("--deadline", type=_deadline, metavar="NGÀY",
                         help="hạn gửi dùng để đánh giá đúng hạn (mặc định: theo kế hoạch hoặc theo gói)")
    db_option(collect)

    reopen = commands.add_parser("reopen", help="mở lại một kỳ đã gửi để bổ sung (lần xuất sau là phiên bản mới)")
    reopen.add_argument("--period", required=True, metavar="MÃ_KỲ")
    reopen.add_argument("--reason", default="", metavar="LÝ_DO", help="lý do mở lại (ghi vào nhật ký)")
    db_option(reopen)

    expect = commands.add_parser("expect-unit", help="khai báo đơn vị phải gửi báo cáo (phía tổng hợp)")
    expect.add_argument("--code", metavar="MÃ", help="mã đơn vị, như trong gói báo cáo (ví dụ DLK-SXD)")
    expect.add_argument("--name", metavar="TÊN", help="tên đơn vị")
    expect.add_argument("--remove", action="store_true", help="bỏ đơn vị khỏi danh sách")
    expect.add_argument("--list", action="store_true", help="liệt kê danh sách")
    db_option(expect)

    exports = commands.add_parser("exports", help="liệt kê các gói báo cáo đã xuất")
    exports.add_argument("--period", metavar="MÃ_KỲ")
    db_option(exports)

    subs = commands.add_parser("submissions", help="liệt kê các gói báo cáo đã nhận (phía tổng hợp)")
    subs.add_argument("--period", metavar="MÃ_KỲ")
    db_option(subs)


def _safe(text: str) -> str:
    """Text that came from a package, made harmless for a terminal (no escape sequences, no control characters)."""
    return "".join(c if c >= " " and not "\x7f" <= c <= "\x9f" else f"\\x{ord(c):02x}" for c in str(text))


def _workspace(args: argparse.Namespace):
    from desktop.services.workspace import Workspace

    return Workspace.open(getattr(args, "db", None))


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%d/%m/%Y %H:%M") if moment else "—"


def cmd_export(args: argparse.Namespace) -> int:
    from desktop.services.bundles import export_package
    from desktop.services import clock
    from desktop.services.documents import report_warnings

    secret = None
    if args.sign:
        from desktop.cli_signing import _secret

        secret = _secret(args)
    workspace = _workspace(args)
    try:
        _freshness, gaps = report_warnings(workspace, args.period, clock.today())
        result = export_package(workspace, args.period, args.out, clock.today(), sign_secret=secret,
                                confirm_stale=args.force)
    finally:
        workspace.close()
    if gaps:  # told after sealing (a refusal's message comes alone); the same list is in the package's data
        print(f"Lưu ý, báo cáo còn thiếu {len(gaps)} mục (ghi trong dữ liệu của gói):", file=sys.stderr)
        for gap in gaps:
            print(f"  - {gap.text}", file=sys.stderr)
    print(result.path)
    print(f"Đã xuất gói báo cáo kỳ {result.period_title}, phiên bản {result.version} ({result.file_count} tệp, "
          f"SHA-256 {result.sha256}). Kỳ này đã được khóa; muốn sửa số liệu hãy dùng \"khbc reopen\".",
          file=sys.stderr)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from pathlib import Path

    from desktop.bundle.verify import verify_file

    result = verify_file(Path(args.file), trust=Path(args.trust) if args.trust else None)
    if result.ok:
        print(_safe(result.summary()))
        signatures = result.signatures
        if signatures is not None and signatures.overall.state != "unsigned":  # the details, when there is a signature
            for line in signatures.lines():
                print(f"- {_safe(line)}")
        return 0
    print(_safe(result.summary()), file=sys.stderr)
    for problem in result.problems:
        print(f"- {_safe(problem)}", file=sys.stderr)
    return 2


def cmd_import_bundle(args: argparse.Namespace) -> int:
    from desktop.services.bundles import import_bundles

    workspace = _workspace(args)
    try:
        outcomes = import_bundles(workspace, args.files)
    finally:
        workspace.close()
    labels = {"imported": "ĐÃ NHẬN", "history": "LƯU LỊCH SỬ", "duplicate": "ĐÃ CÓ", "rejected": "TỪ CHỐI"}
    for outcome in outcomes:
        stream = sys.stdout if outcome.ok else sys.stderr
        print(_safe(f"[{labels[outcome.status]}] {outcome.file_name}: {outcome.message}"), file=stream)
        for problem in outcome.problems:
            print(f"    - {_safe(problem)}", file=stream)
    rejected = sum(1 for o in outcomes if not o.ok)
    if rejected:
        print(f"{rejected}/{len(outcomes)} gói bị từ chối.", file=sys.stderr)
        return 2
    return 0


def cmd_collect(args: argparse.Namespace) -> int:
    from desktop.services.collect import write_collect

    workspace = _workspace(args)
    try:
        path = write_collect(workspace, args.period, args.format, args.out, deadline=args.deadline)
    finally:
        workspace.close()
    print(path)
    return 0


def cmd_reopen(args: argparse.Namespace) -> int:
    from desktop.services.bundles import reopen_period

    workspace = _workspace(args)
    try:
        result = reopen_period(workspace, args.period, args.reason)
    finally:
        workspace.close()
    print(f"Đã mở lại kỳ {result.period_title} để bổ sung. Lần xuất gói tiếp theo là phiên bản {result.next_version}.")
    return 0


def cmd_expect_unit(args: argparse.Namespace) -> int:
    from desktop.services.collect import list_expected_units, remove_expected_unit, set_expected_unit

    workspace = _workspace(args)
    try:
        if args.remove:
            if not args.code:
                raise InvalidInputError("Hãy cho biết mã đơn vị cần bỏ (--code).")
            row = remove_expected_unit(workspace, args.code)
            print(f"Đã bỏ {row.name} ({row.unit_code}) khỏi danh sách đơn vị phải báo cáo.")
        elif args.code or args.name:
            if not (args.code and args.name):
                raise InvalidInputError("Cần cả mã (--code) và tên (--name) của đơn vị.")
            row = set_expected_unit(workspace, args.code, args.name)
            print(f"Đã thêm {row.name} ({row.unit_code}) vào danh sách đơn vị phải báo cáo.")
        rows = list_expected_units(workspace)
    finally:
        workspace.close()
    if args.list or not (args.code or args.name):
        if not rows:
            print("Chưa khai báo đơn vị phải báo cáo: khi tổng hợp, các đơn vị đã gửi được tính là phải báo cáo.")
        for row in rows:
            print(f"{row.unit_code}\t{row.name}")
    return 0


def cmd_exports(args: argparse.Namespace) -> int:
    from desktop.services.bundles import list_exports

    workspace = _workspace(args)
    try:
        rows = list_exports(workspace, args.period)
    finally:
        workspace.close()
    if not rows:
        print("Chưa xuất gói báo cáo nào.")
    for row in rows:
        print(f"{row.period_code}\tv{row.version}\t{_when(row.created_at)}\t{row.file_name}\t{row.sha256}")
    return 0


def cmd_submissions(args: argparse.Namespace) -> int:
    from desktop.services.bundles import list_submissions

    workspace = _workspace(args)
    try:
        rows = list_submissions(workspace, args.period)
    finally:
        workspace.close()
    if not rows:
        print("Chưa nhận gói báo cáo nào.")
    for row in rows:
        state = "hiện hành" if row.is_current else "lịch sử"
        print(_safe(f"{row.period_code} | {row.unit_code} | {row.unit_name} | v{row.version} ({state}) | "
                    f"gửi {_when(row.created_at)} | nhận {_when(row.received_at)} | {row.file_name}"))
    return 0


BUNDLE_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "export": cmd_export,
    "verify": cmd_verify,
    "import-bundle": cmd_import_bundle,
    "collect": cmd_collect,
    "reopen": cmd_reopen,
    "expect-unit": cmd_expect_unit,
    "exports": cmd_exports,
    "submissions": cmd_submissions,
}
