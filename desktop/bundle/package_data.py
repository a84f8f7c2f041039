"""data.json of a report package: a period's gathered report values and evidence as JSON, checked against the schema."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from desktop.bundle.manifest import FORMAT, iso_datetime
from desktop.bundle.schema import validate
from desktop.domain.report_values import SECTION_KEYS, ReportContext
from desktop.domain.rows import EvidenceRow
from desktop.errors import InvalidInputError
from desktop.reporting.narrative import DRAFTERS

FORMAT_VERSION = "1.1"  # minor version of khbc-package/1 written here (tasks carry upper_uid)
UNIT_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$")


@dataclass(frozen=True)
class EvidenceFile:
    """An attached evidence file to be copied into the package under `package_name`."""

    package_name: str  # "evidence/0a1b2c3d4e5f_CongVan15.pdf"
    sha256: str
    file_name: str  # the name the user attached it under


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def safe_file_name(name: str, limit: int = 80) -> str:
    """An ASCII file name for inside the package: "Công văn 15/SXD.pdf" → "Cong_van_15_SXD.pdf"."""
    decomposed = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    stem, dot, ext = plain.rpartition(".")
    if not dot:
        stem, ext = plain, ""
    stem = re.sub(r"[^A-Za-z0-9-]+", "_", stem).strip("_-") or "tep"
    ext = re.sub(r"[^A-Za-z0-9]+", "", ext)[:10]
    stem = stem[: limit - len(ext) - 1]
    return f"{stem}.{ext}" if ext else stem


def evidence_package_name(sha256: str, file_name: str) -> str:
    return f"evidence/{sha256[:12]}_{safe_file_name(file_name)}"


def check_unit_code(code: str) -> None:
    if not UNIT_CODE.match(code or ""):
        raise InvalidInputError(
            f"Mã đơn vị \"{code}\" không dùng được trong gói báo cáo: mã chỉ gồm chữ cái Latin không dấu, chữ số, "
            "dấu chấm, gạch dưới, gạch ngang (tối đa 50 ký tự). Hãy sửa mã đơn vị trong Cài đặt.")


def _task_json(task, evidence: list[EvidenceRow], files: dict[str, EvidenceFile]) -> dict:
    data = task.to_json()
    data["group"] = data.get("group")
    progress = data.get("progress")
    if progress is not None:
        items = []
        for item in evidence:
            package_name = None
            if item.file_sha256:
                package_name = evidence_package_name(item.file_sha256, item.file_name or "tep")
                files.setdefault(package_name, EvidenceFile(package_name, item.file_sha256, item.file_name))
            items.append({"number": item.number, "issued_on": _iso(item.issued_on), "summary": item.summary,
                          "file_name": item.file_name, "file": package_name, "sha256": item.file_sha256 or None})
        progress["evidence"] = items
    return data


def context_to_json(ctx: ReportContext, version: int, created_at: datetime,
                    evidence: dict[int, list[EvidenceRow]]) -> tuple[dict, list[EvidenceFile]]:
    """The data.json value for a gathered report, and the evidence files it refers to."""
    dept, plan, period, report = ctx.department, ctx.plan, ctx.period, ctx.report
    files: dict[str, EvidenceFile] = {}
    data = {
        "format": FORMAT,
        "unit": {"code": dept.unit_code, "name": dept.name, "name_in_text": dept.name_in_text,
                 "abbreviation": dept.abbreviation, "parent_agency": dept.parent_agency,
                 "place_name": dept.place_name},
        "plan": {"number": plan.number, "issued_on": _iso(plan.issued_on), "title": plan.title,
                 "program": plan.program, "start_year": plan.start_year, "end_year": plan.end_year,
                 "report_to": plan.report_to},
        "period": {"code": period.code, "kind": period.kind, "title": period.title,
                   "cutoff_start": period.cutoff_start.isoformat(), "cutoff_end": period.cutoff_end.isoformat(),
                   "span_start": period.span_start.isoformat(), "span_end": period.span_end.isoformat(),
                   "deadline": _iso(period.deadline)},
        "submission": {"version": version, "created_at": iso_datetime(created_at)},
        "report": {"number": report.number, "issued_on": _iso(report.issued_on),
                   # the text as the report prints it: the user's own, else the automatic draft
                   "sections": {key: report.sections.get(key, "").strip() or DRAFTERS[key](ctx)
                                for key in SECTION_KEYS},
                   "recipients": list(report.recipients),
                   "signer": {"name": report.signer_name, "title": report.signer_title,
                              "authority": report.signer_authority}},
        "tasks": [_task_json(task, evidence.get(task.id, []), files) for task in ctx.tasks],
        "targets": [{"position": t.position, "content": t.content, "goal_text": t.goal_text,
                     "goal_value": t.goal_value, "measure_unit": t.measure_unit, "value_text": t.value_text,
                     "value": t.value, "note": t.note} for t in ctx.targets],
    }
    return data, sorted(files.values(), key=lambda f: f.package_name)


def build_package_data(ctx: ReportContext, evidence: dict[int, list[EvidenceRow]], version: int,
                       created_at: datetime, checks: dict | None = None) -> tuple[dict, list[EvidenceFile]]:
    """The data.json value of a gathered period; raises InvalidInputError if it breaks the schema."""
    check_unit_code(ctx.department.unit_code)
    data, files = context_to_json(ctx, version, created_at, evidence)
    if checks is not None:  # optional in the schema: packages made before it still verify
        data["checks"] = checks
    data["format_version"] = FORMAT_VERSION
    for task_json, task in zip(data["tasks"], ctx.tasks):  # 1.1: the upper plan's task each result answers
        if task.upper_uid:
            task_json["upper_uid"] = task.upper_uid
    problems = validate(data, "data", "data.json")
    if problems:
        raise InvalidInputError("Dữ liệu của kỳ không đóng gói được:\n" + "\n".join(problems))
    return data, files
