"""The `khbc` command line: headless access to every service (init, periods, tasks, progress, documents)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from desktop import __version__
from desktop.cli_text import KhbcArgumentParser, install_vietnamese_argparse
from desktop.domain.task_state import PROGRESS_STATUSES
from desktop.errors import KhbcError

FORMATS_REPORT = ("pdf", "xlsx", "docx")
FORMATS_PLAN = ("pdf", "xlsx")


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="ĐƯỜNG_DẪN",
                        help="tệp cơ sở dữ liệu hoặc địa chỉ URL (mặc định: biến KHBC_DB, "
                             "nếu không có thì thư mục dữ liệu của người dùng)")


def build_parser() -> argparse.ArgumentParser:
    install_vietnamese_argparse()
    parser = KhbcArgumentParser(
        prog="khbc", description="KHBC – Kế hoạch, báo cáo: quản lý kế hoạch, tiến độ và báo cáo định kỳ.")
    parser.add_argument("--version", action="version", version=f"KHBC {__version__}",
                        help="hiện phiên bản rồi thoát")
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh")

    init = commands.add_parser("init", help="tạo hoặc nâng cấp cơ sở dữ liệu")
    init.add_argument("--sample", action="store_true", help="nạp kế hoạch mẫu (Sở Xây dựng Đắk Lắk)")
    _db_option(init)

    periods = commands.add_parser("periods", help="liệt kê các kỳ báo cáo")
    periods.add_argument("--json", action="store_true", help="xuất dạng JSON")
    _db_option(periods)

    tasks = commands.add_parser("tasks", help="liệt kê nhiệm vụ của phụ lục")
    tasks.add_argument("--period", metavar="MÃ_KỲ", help="kỳ báo cáo, ví dụ 2026S1, 2026")
    tasks.add_argument("--json", action="store_true", help="xuất dạng JSON")
    _db_option(tasks)

    progress = commands.add_parser("progress", help="ghi kết quả thực hiện một nhiệm vụ trong kỳ")
    progress.add_argument("--period", required=True, metavar="MÃ_KỲ")
    progress.add_argument("--task", required=True, metavar="TT", help="số thứ tự nhiệm vụ trong phụ lục")
    progress.add_argument("--status", required=True, choices=PROGRESS_STATUSES)
    progress.add_argument("--result", metavar="NỘI_DUNG", help="kết quả thực hiện trong kỳ")
    progress.add_argument("--difficulties", metavar="NỘI_DUNG", help="khó khăn, vướng mắc")
    progress.add_argument("--proposals", metavar="NỘI_DUNG", help="đề xuất, kiến nghị")
    _db_option(progress)

    target = commands.add_parser("target", help="ghi kết quả một chỉ tiêu trong kỳ")
    target.add_argument("--period", required=True, metavar="MÃ_KỲ")
    target.add_argument("--target", required=True, type=int, metavar="SỐ", help="thứ tự chỉ tiêu trong kế hoạch (từ 1)")
    target.add_argument("--value", required=True, metavar="KẾT_QUẢ", help="ví dụ: 95%%")
    target.add_argument("--note", metavar="GHI_CHÚ")
    _db_option(target)

    timeframe = commands.add_parser("timeframe", help="đọc thử một chuỗi \"Thời gian thực hiện\"")
    timeframe.add_argument("text", metavar="CHUỖI")
    timeframe.add_argument("--years", metavar="NĂM-NĂM", help="giai đoạn để tính các hạn lặp lại, ví dụ 2026-2030")
    timeframe.add_argument("--json", action="store_true", help="xuất dạng JSON")

    report = commands.add_parser("report", help="in báo cáo của một kỳ (PDF, XLSX, DOCX)")
    report.add_argument("--period", required=True, metavar="MÃ_KỲ")
    report.add_argument("--format", default="pdf", choices=FORMATS_REPORT)
    report.add_argument("--out", metavar="TỆP", help="tệp kết quả (mặc định: thư mục hiện tại)")
    report.add_argument("--redraft", action="store_true",
                        help="soạn lại tự động cả năm mục từ kết quả hiện có (thay nội dung đã lưu) rồi in")
    _db_option(report)

    plan_doc = commands.add_parser("plan-doc", help="in Kế hoạch và phụ lục \"06 rõ\" (PDF, XLSX)")
    plan_doc.add_argument("--format", default="pdf", choices=FORMATS_PLAN)
    plan_doc.add_argument("--out", metavar="TỆP")
    _db_option(plan_doc)

    gui = commands.add_parser("gui", help="mở chương trình có giao diện")
    _db_option(gui)

    from desktop.cli_bundle import add_bundle_commands
    from desktop.cli_import import add_import_commands
    from desktop.cli_safety import add_safety_commands
    from desktop.cli_signing import add_signing_commands

    add_bundle_commands(commands, _db_option)
    add_import_commands(commands, _db_option)
    add_safety_commands(commands, _db_option)
    add_signing_commands(commands, _db_option)
    from desktop.cli_plan import add_plan_commands

    add_plan_commands(commands, _db_option)
    from desktop.cli_chain import add_chain_commands

    add_chain_commands(commands, _db_option)
    from desktop.cli_regime import add_regime_commands

    add_regime_commands(commands, _db_option)
    return parser


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def _parse_years(text: str | None) -> tuple[int, int] | None:
    if not text:
        return None
    from desktop.domain.text import fold

    parts = [p for p in fold(text).replace(" ", "").split("-") if p]
    try:
        start, end = (int(parts[0]), int(parts[-1]))
    except (ValueError, IndexError):
        raise KhbcError(f"--years phải có dạng NĂM-NĂM, ví dụ 2026-2030 (nhận được \"{text}\").") from None
    if not (1900 <= start <= end <= 2200):
        raise KhbcError(f"--years không hợp lệ: \"{text}\" (năm đầu phải không lớn hơn năm cuối).")
    return start, end


def _run(args: argparse.Namespace) -> int:
    from desktop.cli_commands import COMMANDS  # service imports kept off the --help / --version path

    if args.command == "timeframe":
        return COMMANDS["timeframe"](args, _parse_years(args.years))
    if args.command in COMMANDS:
        return COMMANDS[args.command](args)
    from desktop.cli_bundle import BUNDLE_COMMANDS
    from desktop.cli_import import IMPORT_COMMANDS
    from desktop.cli_safety import SAFETY_COMMANDS
    from desktop.cli_signing import SIGNING_COMMANDS

    from desktop.cli_regime import REGIME_COMMANDS

    for table in (IMPORT_COMMANDS, SAFETY_COMMANDS, BUNDLE_COMMANDS, SIGNING_COMMANDS, REGIME_COMMANDS):
        if args.command in table:
            return table[args.command](args)
    from desktop.cli_plan import PLAN_COMMANDS

    if args.command in PLAN_COMMANDS:
        return PLAN_COMMANDS[args.command](args)
    from desktop.cli_chain import CHAIN_COMMANDS

    if args.command in CHAIN_COMMANDS:
        return CHAIN_COMMANDS[args.command](args)
    raise KhbcError(f"Lệnh \"{args.command}\" chưa được hỗ trợ.")


def _output_closed() -> int:
    """The reader of our output went away (`khbc tasks --json | head`): stop quietly, as Unix tools do."""
    import os

    if sys.stdout is not sys.__stdout__:  # called in-process (tests, an embedding program): leave its streams alone
        return 141
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the interpreter's final flush does not fail again
    except (OSError, ValueError):
        pass
    return 141


def _unexpected(exc: BaseException) -> str:
    """A failure no service turned into a message: say so in Vietnamese, never with the library's English text."""
    from desktop.errors import os_error_message

    if isinstance(exc, OSError):
        return os_error_message(exc)
    return (f"KHBC gặp một lỗi không lường trước ({type(exc).__name__}); thao tác chưa hoàn tất và thay đổi đang làm dở "
            "chưa được lưu. Hãy báo cho bộ phận hỗ trợ kỹ thuật kèm lệnh vừa chạy.")


def main(argv: Sequence[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help()
            return 0
        return _run(args)
    except KhbcError as exc:
        print(f"Lỗi: {exc.message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã dừng theo yêu cầu.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return _output_closed()
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback reaches a clerk
        print(f"Lỗi: {_unexpected(exc)}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
