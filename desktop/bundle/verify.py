"""Verifying a report package without any database: structure, manifest, hashes, schema, unit and period."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from desktop.bundle import manifest as mf
from desktop.bundle.safe_zip import DEFAULT_LIMITS, Limits, read_package_file, scan_zip, show_name
from desktop.bundle.schema import parse_json, validate
from desktop.domain.periods import MAX_YEAR, MIN_YEAR, parse_period_code
from desktop.errors import KhbcError


@dataclass
class VerifyResult:
    """The outcome of checking one package: every problem found (Vietnamese), and its contents when intact."""

    file_name: str
    problems: list[str]
    sha256: str = ""
    size: int = 0
    manifest: dict | None = None
    data: dict | None = None
    content: bytes = field(default=b"", repr=False)  # the exact bytes that were checked
    signatures: object | None = None  # desktop.signing.package.PackageSignatures; never makes a package invalid

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line: what the package is, or how many problems it has."""
        if not self.ok:
            return f"Gói {self.file_name} KHÔNG hợp lệ: {len(self.problems)} lỗi."
        m = self.manifest or {}
        files = len(m.get("files", ()))
        signed = f" {self.signatures.summary()}" if self.signatures is not None else ""
        return (f"Gói hợp lệ: {m.get('unit_name')} ({m.get('unit_code')}), kỳ {m.get('period_code')}, "
                f"phiên bản {m.get('version')}, {files + 1} tệp, SHA-256 {self.sha256[:16]}….{signed}")


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _period_problems(period: dict, plan: dict) -> list[str]:
    problems = []
    try:
        spec = parse_period_code(period["code"])
    except KhbcError:
        return [f"data.json: mã kỳ {show_name(period['code'])} không phải kỳ báo cáo KHBC đọc được "
                f"(năm {MIN_YEAR}–{MAX_YEAR}; dạng 2026S1, 2026Q1, 2026N9, 2026 hoặc 2026-2030)."]
    if spec.kind != period["kind"]:
        return [f"data.json: mã kỳ {spec.code} không khớp với loại kỳ \"{show_name(period['kind'])}\"."]
    if spec.start_year < plan["start_year"] or spec.end_year > plan["end_year"]:
        return [f"data.json: kỳ {spec.code} nằm ngoài thời gian của kế hoạch "
                f"({plan['start_year']}–{plan['end_year']})."]
    try:
        cutoff = (_date(period["cutoff_start"]), _date(period["cutoff_end"]))
        span = (_date(period["span_start"]), _date(period["span_end"]))
        _date(period["deadline"])
    except ValueError:
        return ["data.json: kỳ báo cáo có ngày không có thật."]
    if cutoff[0] > cutoff[1] or span[0] > span[1]:
        problems.append("data.json: kỳ báo cáo có ngày bắt đầu sau ngày kết thúc.")
    code = period["code"]
    first = int(code[:4])
    last = int(code[-4:]) if "-" in code else first
    if span[0].year != first or span[1].year != last:
        problems.append(f"data.json: mã kỳ {code} không khớp với khoảng thời gian "
                        f"{span[0].isoformat()} – {span[1].isoformat()}.")
    return problems


def _identity_problems(m: dict, data: dict) -> list[str]:
    """data.json must describe the same unit, plan, period and version as manifest.json."""
    pairs = (
        ("mã đơn vị", m["unit_code"], data["unit"]["code"]),
        ("tên đơn vị", m["unit_name"], data["unit"]["name_in_text"]),
        ("tên viết tắt", m["unit_abbreviation"], data["unit"]["abbreviation"]),
        ("số kế hoạch", m["plan_number"], data["plan"]["number"]),
        ("mã kỳ", m["period_code"], data["period"]["code"]),
        ("tên kỳ", m["period_title"], data["period"]["title"]),
        ("hạn gửi", m["deadline"], data["period"]["deadline"]),
        ("phiên bản", m["version"], data["submission"]["version"]),
        ("thời điểm tạo", m["created_at"], data["submission"]["created_at"]),
    )
    return [f"data.json và manifest.json ghi {label} khác nhau (\"{show_name(str(b))}\" và \"{show_name(str(a))}\")."
            for label, a, b in pairs if a != b]


def _evidence_problems(m: dict, data: dict) -> list[str]:
    problems = []
    listed = {f["name"]: f for f in m["files"] if f["role"] == "evidence"}
    used: set[str] = set()
    for task in data["tasks"]:
        progress = task.get("progress") or {}
        for item in progress.get("evidence", ()):
            try:
                _date(item["issued_on"])
            except ValueError:
                problems.append(f"data.json: minh chứng của nhiệm vụ {show_name(task['number'])} có ngày không có thật.")
            if item["file"] is None:
                continue
            record = listed.get(item["file"])
            if record is None:
                problems.append(f"data.json: nhiệm vụ {show_name(task['number'])} dẫn tới tệp minh chứng \"{show_name(item['file'])}\" "
                                "không có trong gói.")
            elif record["sha256"] != item["sha256"]:
                problems.append(f"data.json: mã băm của minh chứng \"{show_name(item['file'])}\" khác với manifest.json.")
            used.add(item["file"])
    for name in sorted(set(listed) - used):
        problems.append(f"Tệp minh chứng \"{name}\" không gắn với nhiệm vụ nào trong data.json.")
    return problems


def _other_date_problems(data: dict) -> list[str]:
    try:
        _date(data["plan"]["issued_on"])
        _date(data["report"]["issued_on"])
    except ValueError:
        return ["data.json: ngày ban hành kế hoạch hoặc báo cáo không có thật."]
    if mf.package_time(data["submission"]["created_at"]) is None:
        return ["data.json: thời điểm tạo gói không phải ngày giờ có thật trong khoảng năm 2000–2100 (kèm múi giờ)."]
    if data["plan"]["start_year"] > data["plan"]["end_year"]:
        return ["data.json: năm bắt đầu kế hoạch sau năm kết thúc."]
    return []


def check_data(m: dict, raw: bytes) -> tuple[dict | None, list[str]]:
    """Parse data.json, validate it against the schema and against the manifest."""
    data, problems = parse_json(raw, mf.DATA_NAME)
    if problems:
        return None, problems
    problems = validate(data, "data", mf.DATA_NAME)
    if problems:
        return None, problems
    problems = (_identity_problems(m, data) + _period_problems(data["period"], data["plan"]) + _other_date_problems(data)
                + _evidence_problems(m, data))
    return (None if problems else data), problems


def verify_bytes(content: bytes, file_name: str, limits: Limits = DEFAULT_LIMITS, trust: Path | None = None) -> VerifyResult:
    """Check a package held in memory; nothing is written anywhere. Signatures are judged, never blocking."""
    from desktop.signing.package import MAX_SIGNATURE_BYTES, SIGNATURE_NAME

    result = VerifyResult(file_name=file_name, problems=[], sha256=hashlib.sha256(content).hexdigest(),
                          size=len(content), content=content)
    scan = scan_zip(content, {mf.MANIFEST_NAME: mf.MAX_MANIFEST_BYTES, mf.DATA_NAME: mf.MAX_DATA_BYTES,
                              SIGNATURE_NAME: MAX_SIGNATURE_BYTES}, limits)
    result.problems.extend(scan.problems)
    if not scan.readable:
        return result
    if mf.MANIFEST_NAME not in scan.listed:
        result.problems.append(f"Gói không có {mf.MANIFEST_NAME}: đây không phải gói báo cáo KHBC.")
        return result
    raw_manifest = scan.kept.get(mf.MANIFEST_NAME)
    if raw_manifest is None:
        return result  # the reason it could not be read is already among the problems
    manifest, problems = mf.parse_manifest(raw_manifest)
    result.problems.extend(problems)
    if manifest is None:
        return result
    result.manifest = manifest
    result.problems.extend(mf.check_files(manifest, scan.entries, [n for n in scan.listed if n != SIGNATURE_NAME]))
    raw_data = scan.kept.get(mf.DATA_NAME)
    if raw_data is not None:
        data, problems = check_data(manifest, raw_data)
        result.problems.extend(problems)
        result.data = data
    if result.ok:
        from desktop.signing.package import check_package

        result.signatures = check_package(content, manifest, raw_manifest, scan.kept.get(SIGNATURE_NAME),
                                          result.data, trust)
    return result


def verify_file(path: Path, limits: Limits = DEFAULT_LIMITS, trust: Path | None = None) -> VerifyResult:
    """Check the package file at `path` (read once into memory, so what is checked is what may be stored)."""
    path = Path(path)
    content, reason = read_package_file(path, limits)
    if content is None:
        return VerifyResult(file_name=path.name, problems=[reason or f"Không đọc được tệp {path}."])
    return verify_bytes(content, path.name, limits, trust)
