"""Receipt packages (khbc-receipt/1): the receiving office's "accepted" or "returned: reason", sealed like a report."""

from __future__ import annotations

import functools
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from desktop import __version__
from desktop.bundle import manifest as mf
from desktop.bundle.display import show_name
from desktop.bundle.export import _zip_info
from desktop.bundle.safe_zip import Limits, read_package_file, scan_zip
from desktop.bundle.schema import _explain, parse_json
from resources import resource_path

FORMAT = "khbc-receipt/1"
RECEIPT_NAME = "receipt.json"
SCHEMA_FILE = resource_path("schema", "khbc-receipt-1.schema.json")
MAX_JSON_BYTES = 64 * 1024
# A receipt is one small JSON file: anything bigger or busier is not a receipt, whoever made it.
RECEIPT_LIMITS = Limits(max_package_bytes=256 * 1024, max_entries=4, max_entry_bytes=MAX_JSON_BYTES,
                        max_total_bytes=2 * MAX_JSON_BYTES, max_central_directory=4096, max_depth=0)
DECISION_LABELS = {"accepted": "Đã tiếp nhận", "returned": "Bị trả lại"}
NOT_RECEIPT = "Tệp không phải biên nhận KHBC"


@dataclass(frozen=True)
class Receipt:
    """The decision a receipt carries, as plain values."""

    receiver_code: str
    receiver_name: str
    unit_code: str
    unit_name: str
    period_code: str
    version: int
    package_sha256: str
    decision: str  # accepted | returned
    reason: str
    decided_at: datetime
    decided_by: str

    def to_json(self) -> dict:
        return {"format": FORMAT, "receiver": {"code": self.receiver_code, "name": self.receiver_name},
                "report": {"unit_code": self.unit_code, "unit_name": self.unit_name, "period_code": self.period_code,
                           "version": self.version, "package_sha256": self.package_sha256},
                "decision": self.decision, "reason": self.reason, "decided_at": mf.iso_datetime(self.decided_at),
                "decided_by": self.decided_by}

    def content(self) -> bytes:
        return mf.dump_json(self.to_json())

    def describe(self) -> str:
        """"Đã tiếp nhận ngày 20/06/2026" or "Bị trả lại: thiếu số liệu" as the sender reads it."""
        day = self.decided_at.astimezone(self.decided_at.tzinfo)
        if self.decision == "accepted":
            return f"Đã tiếp nhận ngày {day:%d/%m/%Y}"
        return f"Bị trả lại ngày {day:%d/%m/%Y}: {self.reason}"


@dataclass
class ReceiptCheck:
    file_name: str
    problems: list[str] = field(default_factory=list)
    receipt: Receipt | None = None
    receipt_sha256: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems and self.receipt is not None


def file_name(unit_code: str, period_code: str, version: int) -> str:
    return f"BienNhan_{mf.ascii_token(unit_code)[:40]}_{period_code}_v{version}.zip"


def write_receipt(target: Path, receipt: Receipt, created_at: datetime) -> str:
    """Write the receipt package to `target`; returns its SHA-256 after reading it back like a receiver."""
    content = receipt.content()
    manifest = {"format": FORMAT, "created_at": mf.iso_datetime(created_at), "program": mf.PROGRAM,
                "program_version": __version__,
                "files": [{"name": RECEIPT_NAME, "size": len(content), "sha256": hashlib.sha256(content).hexdigest(),
                           "role": "receipt"}]}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(_zip_info(mf.MANIFEST_NAME, created_at), mf.dump_json(manifest))
        zf.writestr(_zip_info(RECEIPT_NAME, created_at), content)
    data = buffer.getvalue()
    check = verify_receipt_bytes(data, target.name)
    if not check.ok:  # never hand out what the other side would refuse
        raise ValueError("; ".join(check.problems))
    target.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


@functools.cache
def _schema() -> dict:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@functools.cache
def _fast(part: str):
    from desktop.bundle.fast_schema import compile_schema

    return compile_schema(_schema(), part)


def _validate(value, part: str, label: str) -> list[str]:
    if _fast(part)(value):
        return []
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    root = _schema()
    registry = Registry().with_resource(root["$id"], Resource.from_contents(root))
    target = root if part == "data" else {"$ref": f"{root['$id']}#/$defs/{part}"}
    errors = sorted(Draft202012Validator(target, registry=registry).iter_errors(value),
                    key=lambda e: list(map(str, e.absolute_path)))
    return [f"{label}: {_explain(e)}." for e in errors[:10]] or [f"{label} không hợp lệ."]


def _json(raw: bytes | None, label: str, part: str) -> tuple[dict | None, list[str]]:
    if raw is None:
        return None, []
    value, problems = parse_json(raw, label)
    if problems:
        return None, problems
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        return None, [f"{label}: {NOT_RECEIPT.lower()} (định dạng \"{show_name(str(value.get('format'))[:40]) if isinstance(value, dict) else '?'}\", "
                      f"chương trình đọc \"{FORMAT}\")."]
    problems = _validate(value, part, label)
    return (None, problems) if problems else (value, [])


def _to_receipt(value: dict) -> tuple[Receipt | None, list[str]]:
    decided = mf.package_time(value["decided_at"])
    if decided is None:
        return None, [f"{RECEIPT_NAME}: thời điểm quyết định không phải ngày giờ có thật (kèm múi giờ)."]
    reason = value["reason"].strip()
    if value["decision"] == "returned" and not reason:
        return None, [f"{RECEIPT_NAME}: biên nhận trả lại báo cáo phải ghi lý do."]
    report = value["report"]
    return Receipt(value["receiver"]["code"], value["receiver"]["name"], report["unit_code"], report["unit_name"],
                   report["period_code"], report["version"], report["package_sha256"], value["decision"], reason,
                   decided, value["decided_by"]), []


def verify_receipt_bytes(content: bytes, name: str) -> ReceiptCheck:
    """Check a receipt held in memory with the report packages' untrusting reader; nothing is written."""
    check = ReceiptCheck(name)
    scan = scan_zip(content, {mf.MANIFEST_NAME: MAX_JSON_BYTES, RECEIPT_NAME: MAX_JSON_BYTES}, RECEIPT_LIMITS)
    check.problems.extend(scan.problems)
    if not scan.readable or check.problems:
        return check
    if sorted(scan.listed) != sorted([mf.MANIFEST_NAME, RECEIPT_NAME]):
        shown = ", ".join(show_name(n) for n in scan.listed[:5])
        check.problems.append(f"{NOT_RECEIPT}: gói phải gồm đúng {mf.MANIFEST_NAME} và {RECEIPT_NAME} (có: {shown}).")
        return check
    manifest, problems = _json(scan.kept.get(mf.MANIFEST_NAME), mf.MANIFEST_NAME, "manifest")
    check.problems.extend(problems)
    if manifest is None:
        return check
    if mf.package_time(manifest["created_at"]) is None:
        check.problems.append(f"{mf.MANIFEST_NAME}: thời điểm tạo không phải ngày giờ có thật (kèm múi giờ).")
    entry = next(e for e in scan.entries if e.name == RECEIPT_NAME)
    listed = manifest["files"][0]
    if (entry.size, entry.sha256) != (listed["size"], listed["sha256"]):
        check.problems.append(f"Mã băm hoặc kích thước của {RECEIPT_NAME} không khớp với {mf.MANIFEST_NAME}: "
                              "tệp đã bị thay đổi hoặc bị hỏng.")
        return check
    value, problems = _json(scan.kept.get(RECEIPT_NAME), RECEIPT_NAME, "data")
    check.problems.extend(problems)
    if value is None or check.problems:
        return check
    check.receipt, problems = _to_receipt(value)
    check.problems.extend(problems)
    check.receipt_sha256 = entry.sha256
    return check


def verify_receipt_file(path: Path) -> ReceiptCheck:
    path = Path(path)
    content, reason = read_package_file(path, RECEIPT_LIMITS)
    if content is None:
        return ReceiptCheck(path.name, [reason or f"Không đọc được tệp {path}."])
    return verify_receipt_bytes(content, path.name)
