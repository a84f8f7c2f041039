"""manifest.json of a report package: building it, reading it, and checking it against the files really present."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timezone

from desktop import __version__
from desktop.bundle.safe_zip import Entry, show_name
from desktop.bundle.schema import parse_json, validate

FORMAT = "khbc-package/1"
PROGRAM = "KHBC"
MANIFEST_NAME = "manifest.json"
DATA_NAME = "data.json"
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_DATA_BYTES = 32 * 1024 * 1024
REQUIRED_ROLES = ("data", "report-pdf", "report-xlsx", "report-docx")
ROLE_LABELS = {"data": "dữ liệu (data.json)", "report-pdf": "báo cáo PDF", "report-xlsx": "biểu mẫu XLSX",
               "report-docx": "báo cáo DOCX", "evidence": "tệp minh chứng"}
_ROLE_SUFFIX = {"data": ".json", "report-pdf": ".pdf", "report-xlsx": ".xlsx", "report-docx": ".docx"}
_PACKAGE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,29}_[0-9]{4}(?:S[12]|Q[1-4]|N9|-[0-9]{4})?_v[0-9]{1,3}\.zip$")


@dataclass(frozen=True)
class FileRecord:
    """One file of the package as the manifest lists it."""

    name: str
    size: int
    sha256: str
    role: str

    def to_json(self) -> dict:
        return {"name": self.name, "size": self.size, "sha256": self.sha256, "role": self.role}


def ascii_token(text: str, fallback: str = "KHBC") -> str:
    """An ASCII-only token for file names, case kept: "SGDĐT" → "SGDDT", "Sở XD" → "SoXD"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9-]+", "", plain).strip("-") or fallback


def package_file_name(abbreviation: str, period_code: str, version: int) -> str:
    """The predictable ASCII name of a package: "SXD_2026_v1.zip"."""
    return f"{ascii_token(abbreviation)[:30]}_{period_code}_v{version}.zip"


def looks_like_package_name(name: str) -> bool:
    return bool(_PACKAGE_NAME.match(name))


def iso_datetime(moment: datetime) -> str:
    """"2026-11-22T19:20:01+07:00": always with the time zone, to the second."""
    if moment.tzinfo is None:
        raise ValueError("a package time must carry its time zone")
    return moment.replace(microsecond=0).isoformat()


def build_manifest(*, unit_code: str, unit_name: str, unit_abbreviation: str, plan_number: str, period_code: str,
                   period_title: str, deadline: date | None, version: int, created_at: datetime,
                   files: list[FileRecord]) -> dict:
    return {
        "format": FORMAT,
        "unit_code": unit_code,
        "unit_name": unit_name,
        "unit_abbreviation": unit_abbreviation,
        "plan_number": plan_number,
        "period_code": period_code,
        "period_title": period_title,
        "deadline": deadline.isoformat() if deadline else None,
        "version": version,
        "created_at": iso_datetime(created_at),
        "program": PROGRAM,
        "program_version": __version__,
        "files": [f.to_json() for f in files],
    }


def dump_json(value: object) -> bytes:
    """The bytes written for manifest.json and data.json: UTF-8, readable, stable key order."""
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


EARLIEST_PACKAGE = datetime(2000, 1, 1, tzinfo=timezone.utc)
LATEST_PACKAGE = datetime(2101, 1, 1, tzinfo=timezone.utc)


def package_time(text: str) -> datetime | None:
    """The creation time of a package as an aware datetime, or None when it is not a real, sane moment.

    The one rule that verify, import and collect share: a time zone is required, and the moment lies between
    2000 and 2100 (a time like 9999-12-31T23:59:59-14:00 cannot even be converted to UTC).
    """
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        if moment.tzinfo is None:
            return None
        utc = moment.astimezone(timezone.utc)
    except (AttributeError, ValueError, OverflowError):
        return None
    return moment if EARLIEST_PACKAGE <= utc < LATEST_PACKAGE else None


def parse_manifest(raw: bytes) -> tuple[dict | None, list[str]]:
    """Read and schema-check manifest.json; returns (manifest or None, problems)."""
    value, problems = parse_json(raw, MANIFEST_NAME)
    if problems:
        return None, problems
    if not isinstance(value, dict):
        return None, [f"{MANIFEST_NAME} phải là một đối tượng JSON."]
    if value.get("format") != FORMAT:
        shown = show_name(str(value.get("format"))[:40])
        return None, [f"{MANIFEST_NAME}: định dạng gói \"{shown}\" không được hỗ trợ (chương trình đọc \"{FORMAT}\"). "
                      "Có thể gói được tạo bởi phiên bản KHBC mới hơn."]
    problems = validate(value, "manifest", MANIFEST_NAME)
    if problems:
        return None, problems
    try:
        if value["deadline"]:
            date.fromisoformat(value["deadline"])
    except ValueError:
        return None, [f"{MANIFEST_NAME}: hạn gửi không phải ngày có thật."]
    if package_time(value["created_at"]) is None:
        return None, [f"{MANIFEST_NAME}: thời điểm tạo gói \"{show_name(value['created_at'])}\" không phải ngày giờ có "
                      "thật trong khoảng năm 2000–2100 (kèm múi giờ)."]
    return value, []


def records(manifest: dict) -> list[FileRecord]:
    return [FileRecord(f["name"], f["size"], f["sha256"], f["role"]) for f in manifest["files"]]


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def check_files(manifest: dict, entries: list[Entry], zip_names: list[str]) -> list[str]:
    """Compare the manifest's file list with the entries read from the ZIP (names, sizes, hashes, roles)."""
    problems: list[str] = []
    listed = records(manifest)
    by_name: dict[str, FileRecord] = {}
    keys: set[str] = set()
    for record in listed:
        if record.name == MANIFEST_NAME:
            problems.append(f"{MANIFEST_NAME} không được tự liệt kê chính nó.")
        elif _key(record.name) in keys:
            problems.append(f"{MANIFEST_NAME} liệt kê tệp \"{show_name(record.name)}\" hai lần.")
        else:
            by_name[record.name] = record
            keys.add(_key(record.name))
    read = {e.name: e for e in entries}
    for name in zip_names:
        if name != MANIFEST_NAME and name not in by_name:
            problems.append(f"Tệp \"{show_name(name)}\" có trong gói nhưng không có trong {MANIFEST_NAME}.")
    for name, record in by_name.items():
        entry = read.get(name)
        if entry is None:
            if name not in zip_names:
                problems.append(f"Thiếu tệp \"{show_name(name)}\" ({ROLE_LABELS[record.role]}) mà {MANIFEST_NAME} liệt kê.")
            continue
        if entry.size != record.size:
            problems.append(f"Tệp \"{show_name(name)}\" có kích thước {entry.size} byte, khác với {record.size} byte ghi trong "
                            f"{MANIFEST_NAME}: tệp đã bị thay đổi.")
        if entry.sha256 != record.sha256:
            problems.append(f"Mã băm SHA-256 của tệp \"{show_name(name)}\" không khớp với {MANIFEST_NAME}: tệp đã bị thay đổi "
                            "hoặc bị hỏng.")
    for role in REQUIRED_ROLES:
        holders = [r for r in by_name.values() if r.role == role]
        if len(holders) != 1:
            problems.append(f"Gói phải có đúng một tệp {ROLE_LABELS[role]} (có {len(holders)}).")
        elif role == "data" and holders[0].name != DATA_NAME:
            problems.append(f"Tệp dữ liệu phải mang tên {DATA_NAME}.")
        elif not holders[0].name.lower().endswith(_ROLE_SUFFIX[role]):
            problems.append(f"Tệp \"{show_name(holders[0].name)}\" không có phần mở rộng đúng cho {ROLE_LABELS[role]}.")
    for record in by_name.values():
        if record.role == "evidence" and not record.name.startswith("evidence/"):
            problems.append(f"Tệp minh chứng \"{show_name(record.name)}\" phải nằm trong thư mục evidence/.")
        if record.role != "evidence" and "/" in record.name:
            problems.append(f"Tệp \"{show_name(record.name)}\" phải nằm ở gốc của gói.")
    return problems
