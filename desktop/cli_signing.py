"""The `khbc` commands for ký số: sign, outside signing round trip, signing settings, trust anchors, any PDF."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from collections.abc import Callable
from pathlib import Path

PIN_ENV = "KHBC_SIGN_PIN"


def add_signing_commands(commands, db_option: Callable[[argparse.ArgumentParser], None]) -> None:
    """Add the ký số commands to the `khbc` sub-command parser."""
    sign = commands.add_parser("sign", help="ký số báo cáo của một kỳ (khóa trên USB token hoặc tệp .p12)")
    sign.add_argument("--period", required=True, metavar="MÃ_KỲ")
    sign.add_argument("--out", metavar="TỆP", help="lưu thêm một bản báo cáo đã ký ra tệp này")
    _pin_option(sign)
    db_option(sign)

    prepare = commands.add_parser("sign-export", help="xuất báo cáo PDF để ký bằng công cụ ký số riêng của cơ quan")
    prepare.add_argument("--period", required=True, metavar="MÃ_KỲ")
    prepare.add_argument("--out", required=True, metavar="TỆP", help="tệp PDF (hoặc thư mục) để lưu bản cần ký")
    db_option(prepare)

    attach = commands.add_parser("sign-attach", help="gắn bản báo cáo đã ký bên ngoài (Gắn bản đã ký)")
    attach.add_argument("--period", required=True, metavar="MÃ_KỲ")
    attach.add_argument("file", metavar="TỆP", help="tệp PDF đã ký")
    db_option(attach)

    discard = commands.add_parser("sign-discard", help="bỏ bản báo cáo đã ký của một kỳ (để ký lại)")
    discard.add_argument("--period", required=True, metavar="MÃ_KỲ")
    db_option(discard)

    settings = commands.add_parser("sign-settings", help="xem hoặc đặt cấu hình ký số (token, ảnh chữ ký, con dấu)")
    settings.add_argument("--key-kind", choices=("pkcs11", "pkcs12"), help="pkcs11: USB token; pkcs12: tệp .p12/.pfx")
    settings.add_argument("--library", metavar="TỆP", help="thư viện PKCS#11 của token (.dll/.so)")
    settings.add_argument("--token-label", metavar="NHÃN")
    settings.add_argument("--key-label", metavar="NHÃN")
    settings.add_argument("--p12", metavar="TỆP", help="tệp khóa .p12/.pfx")
    settings.add_argument("--signer-image", metavar="TỆP_PNG", help="ảnh chữ ký (màu xanh, PNG nền trong suốt)")
    settings.add_argument("--seal-image", metavar="TỆP_PNG", help="ảnh con dấu (màu đỏ, PNG nền trong suốt)")
    settings.add_argument("--seal-mm", type=float, metavar="MM", help="đường kính thật của con dấu (mặc định 36)")
    settings.add_argument("--tsa", metavar="URL", help="máy chủ cấp dấu thời gian (không bắt buộc)")
    settings.add_argument("--libraries", action="store_true", help="liệt kê các thư viện token thường gặp trên máy")
    db_option(settings)

    trust = commands.add_parser("trust", help="chứng thư tin cậy để kiểm tra chữ ký số (phía nhận báo cáo)")
    trust.add_argument("action", choices=("list", "add", "remove", "add-crl"), metavar="VIỆC",
                       help="list: liệt kê; add: cài chứng thư CA; remove: gỡ; add-crl: cài danh sách thu hồi")
    trust.add_argument("items", nargs="*", metavar="TỆP_HOẶC_VÂN_TAY")
    trust.add_argument("--dir", metavar="THƯ_MỤC", help="thư mục chứng thư tin cậy (mặc định: của người dùng)")

    pdf = commands.add_parser("sign-pdf", help="ký số một tệp PDF bất kỳ (phụ lục tách riêng, bản sao)")
    pdf.add_argument("input", metavar="TỆP_VÀO")
    pdf.add_argument("output", metavar="TỆP_RA")
    pdf.add_argument("--agency", required=True, metavar="CƠ_QUAN", help="tên cơ quan ký")
    pdf.add_argument("--number", default="", metavar="SỐ", help="số, ký hiệu văn bản, ví dụ 12/BC-SXD")
    _pin_option(pdf)
    db_option(pdf)


def _pin_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pin-env", metavar="BIẾN", default=PIN_ENV,
                        help=f"đọc mã PIN/mật khẩu từ biến môi trường này (mặc định {PIN_ENV}); không có thì hỏi")


def _secret(args: argparse.Namespace) -> str:
    value = os.environ.get(args.pin_env)
    if value is not None:
        return value
    from desktop.errors import InvalidInputError

    if not sys.stdin.isatty():
        raise InvalidInputError(f"Cần mã PIN của token (hoặc mật khẩu tệp .p12): đặt biến môi trường {args.pin_env}.")
    return getpass.getpass("Mã PIN / mật khẩu khóa ký: ")


def _workspace(args):
    from desktop.services.workspace import Workspace

    return Workspace.open(getattr(args, "db", None))


def cmd_sign(args: argparse.Namespace) -> int:
    from desktop.services.signing import sign_report

    secret = _secret(args)
    workspace = _workspace(args)
    try:
        result = sign_report(workspace, args.period, secret, out=Path(args.out) if args.out else None)
    finally:
        workspace.close()
    print(result.path)
    print(f"Đã ký số báo cáo kỳ {result.period_code}: {result.signer}, lúc {result.signed_at} (PAdES {result.level}). "
          "Lần xuất gói tiếp theo sẽ dùng bản đã ký này.", file=sys.stderr)
    return 0


def cmd_sign_export(args: argparse.Namespace) -> int:
    from desktop.services.signing import export_for_outside_signing

    workspace = _workspace(args)
    try:
        path = export_for_outside_signing(workspace, args.period, Path(args.out))
    finally:
        workspace.close()
    print(path)
    print("Hãy ký tệp này bằng công cụ ký số của cơ quan (không sửa nội dung), rồi dùng \"khbc sign-attach\".",
          file=sys.stderr)
    return 0


def cmd_sign_attach(args: argparse.Namespace) -> int:
    from desktop.services.signing import attach_signed

    workspace = _workspace(args)
    try:
        result = attach_signed(workspace, args.period, Path(args.file))
    finally:
        workspace.close()
    print(f"Đã gắn bản đã ký của kỳ {result.period_code}: {result.signer}, lúc {result.signed_at}.")
    for warning in result.warnings:
        print(f"Lưu ý: {warning}", file=sys.stderr)
    return 0


def cmd_sign_discard(args: argparse.Namespace) -> int:
    from desktop.services.signing import discard_signed

    workspace = _workspace(args)
    try:
        removed = discard_signed(workspace, args.period)
    finally:
        workspace.close()
    print("Đã bỏ bản đã ký." if removed else "Kỳ này chưa có bản đã ký.")
    return 0


_SETTING_OPTIONS = {"key_kind": "key_kind", "library": "pkcs11_library", "token_label": "token_label",
                    "key_label": "key_label", "p12": "pkcs12_file", "signer_image": "signer_image",
                    "seal_image": "seal_image", "seal_mm": "seal_mm", "tsa": "tsa_url"}


def cmd_sign_settings(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from desktop.services.signing import read_settings, save_settings

    if args.libraries:
        from desktop.signing.token_paths import candidate_libraries

        for label, path in candidate_libraries():
            print(f"{'[có]   ' if path.is_file() else '[không]'} {label}: {path}")
        return 0
    workspace = _workspace(args)
    try:
        settings = read_settings(workspace)
        changes = {field: getattr(args, option) for option, field in _SETTING_OPTIONS.items()
                   if getattr(args, option) is not None}
        if changes:
            for field, value in changes.items():
                setattr(settings, field, str(Path(value).resolve()) if field in
                        ("pkcs11_library", "pkcs12_file", "signer_image", "seal_image") and value else value)
            settings = save_settings(workspace, settings)
    finally:
        workspace.close()
    for key, value in asdict(settings).items():
        print(f"{key}\t{value}")
    return 0


def cmd_trust(args: argparse.Namespace) -> int:
    from desktop.errors import InvalidInputError
    from desktop.signing import trust

    folder = Path(args.dir) if args.dir else None
    if args.action in ("add", "add-crl", "remove") and not args.items:
        raise InvalidInputError("Hãy cho biết tệp chứng thư (hoặc dấu vân tay khi gỡ).")
    if args.action == "add":
        for item in args.items:
            for anchor in trust.add_anchors(Path(item), folder):
                print(f"Đã cài chứng thư tin cậy: {anchor.holder} (hết hạn {anchor.not_after:%d/%m/%Y}, "
                      f"vân tay {anchor.fingerprint[:16]})")
    elif args.action == "add-crl":
        for item in args.items:
            print(f"Đã cài danh sách thu hồi của {trust.add_crl(Path(item), folder)}")
    elif args.action == "remove":
        for item in args.items:
            print(f"Đã gỡ chứng thư tin cậy: {trust.remove_anchor(item, folder).holder}")
    else:
        anchors = trust.list_anchors(folder)
        if not anchors:
            print("Chưa cài chứng thư tin cậy nào: mọi chữ ký số sẽ được báo \"Người ký chưa được tin cậy\".")
        for a in anchors:
            print(f"{a.fingerprint[:16]}\t{a.holder}\t{'gốc' if a.self_signed else 'trung gian'}\t"
                  f"hết hạn {a.not_after:%d/%m/%Y}\tcấp bởi {a.issuer}")
    return 0


def cmd_sign_pdf(args: argparse.Namespace) -> int:
    from desktop.fileio import atomic_write_bytes
    from desktop.services.signing import read_settings
    from desktop.signing.attach import read_signed_file
    from desktop.signing.keys import open_key
    from desktop.signing.pdf_sign import SignRequest, sign_pdf

    secret = _secret(args)
    workspace = _workspace(args)
    try:
        settings = read_settings(workspace)
    finally:
        workspace.close()
    pdf = read_signed_file(Path(args.input))
    with open_key(settings.key_source(secret)) as key:
        signed = sign_pdf(pdf, key, SignRequest("appendix", agency=args.agency, number=args.number,
                                                 tsa_url=settings.tsa_url))
    atomic_write_bytes(Path(args.output), signed.content)
    print(args.output)
    return 0


SIGNING_COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "sign": cmd_sign,
    "sign-export": cmd_sign_export,
    "sign-attach": cmd_sign_attach,
    "sign-discard": cmd_sign_discard,
    "sign-settings": cmd_sign_settings,
    "trust": cmd_trust,
    "sign-pdf": cmd_sign_pdf,
}
