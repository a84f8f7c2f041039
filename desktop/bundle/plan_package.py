"""The plan package (khbc-plan/1), going down: writing it, and verifying it as untrusted input without any database.

One package for all units, not one per unit: the upper level exports once and sends the same file to every
unit (by e-mail or USB stick, nothing to sort), each unit sees who cooperates with it on a task (and can call
them), and the lower side picks out its own tasks itself (its name is matched against the package's list of
units, so its tasks are preselected). A per-unit package would save nothing a unit may not see anyway, and
would have to be made again for every unit on every amendment.

Same family as the report package: manifest.json lists every file with its SHA-256 and size, plan.json
follows its own versioned JSON Schema (resources/schema/khbc-plan-1.schema.json), and reading goes through
the same untrusting ZIP reader (bundle.safe_zip) before anything is used.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from desktop import __version__
from desktop.bundle import manifest as report_manifest
from desktop.bundle.export import _zip_info
from desktop.bundle.safe_zip import MiB, Limits, read_package_file, scan_zip, show_name
from desktop.bundle.schema import parse_json, validate
from desktop.bundle.verify import VerifyResult
from desktop.domain.periods import ReportingSchedule, periods_for_plan
from desktop.errors import KhbcError

FORMAT = "khbc-plan/1"
MANIFEST_NAME = "manifest.json"
DATA_NAME = "plan.json"
MAX_MANIFEST_BYTES = 256 * 1024
MAX_DATA_BYTES = 32 * MiB
OUTLINE_MAX_BYTES = 256 * 1024  # the report outline (đề cương) is carried as an opaque JSON object up to this size
LIMITS = Limits(max_package_bytes=40 * MiB, max_entries=10, max_entry_bytes=40 * MiB, max_total_bytes=40 * MiB)
KIND_LABELS = {"khbc-package/1": "gói báo cáo (gửi từ đơn vị cấp dưới lên)"}


def plan_file_name(abbreviation: str, version: int) -> str:
    """The predictable ASCII name of a plan package: "KeHoach_SXD_v2.zip"."""
    return f"KeHoach_{report_manifest.ascii_token(abbreviation)[:30]}_v{version}.zip"


def dump_json(value: object) -> bytes:
    return report_manifest.dump_json(value)


def content_digest(data: dict) -> str:
    """A hash of what the package says, without its version and creation time: equal digests, same version."""
    plan = {k: v for k, v in data["plan"].items() if k not in ("version", "created_at")}
    stable = {**data, "plan": plan}
    return hashlib.sha256(json.dumps(stable, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()


@dataclass
class PlanCheck(VerifyResult):
    """The outcome of checking one plan package (the report package's result; never signed): its own summary."""

    def summary(self) -> str:
        if not self.ok:
            return f"Gói kế hoạch {self.file_name} KHÔNG hợp lệ: {len(self.problems)} lỗi."
        m = self.manifest or {}
        return (f"Gói kế hoạch hợp lệ: Kế hoạch số {m.get('plan_number') or '(chưa có số)'} của {m.get('issuer_name')}, "
                f"phiên bản {m.get('version')}, SHA-256 {self.sha256[:16]}….")


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _parse_manifest(raw: bytes) -> tuple[dict | None, list[str]]:
    value, problems = parse_json(raw, MANIFEST_NAME)
    if problems:
        return None, problems
    if not isinstance(value, dict):
        return None, [f"{MANIFEST_NAME} phải là một đối tượng JSON."]
    kind = value.get("format")
    if kind != FORMAT:
        other = KIND_LABELS.get(kind) if isinstance(kind, str) else None
        if other:
            return None, [f"Đây là {other}, không phải gói kế hoạch của cấp trên. Gói báo cáo được nhận ở trang "
                          "Tổng hợp (lệnh khbc import-bundle)."]
        return None, [f"{MANIFEST_NAME}: định dạng gói \"{show_name(str(kind)[:40])}\" không phải gói kế hoạch "
                      f"(chương trình đọc \"{FORMAT}\"). Có thể gói được tạo bởi phiên bản KHBC mới hơn."]
    problems = validate(value, "manifest", MANIFEST_NAME, kind="plan")
    if problems:
        return None, problems
    if report_manifest.package_time(value["created_at"]) is None:
        return None, [f"{MANIFEST_NAME}: thời điểm tạo gói không phải ngày giờ có thật trong khoảng năm 2000–2100 "
                      "(kèm múi giờ)."]
    return value, []


def _file_problems(manifest: dict, scan) -> list[str]:
    problems: list[str] = []
    listed: dict[str, dict] = {}
    for record in manifest["files"]:
        if record["name"] == MANIFEST_NAME or _key(record["name"]) in {_key(n) for n in listed}:
            problems.append(f"{MANIFEST_NAME} liệt kê tệp \"{show_name(record['name'])}\" không hợp lệ hoặc hai lần.")
            continue
        listed[record["name"]] = record
    for name in scan.listed:
        if name != MANIFEST_NAME and name not in listed:
            problems.append(f"Tệp \"{show_name(name)}\" có trong gói nhưng không có trong {MANIFEST_NAME}.")
    read = {e.name: e for e in scan.entries}
    for name, record in listed.items():
        entry = read.get(name)
        if entry is None:
            if name not in scan.listed:
                problems.append(f"Thiếu tệp \"{show_name(name)}\" mà {MANIFEST_NAME} liệt kê.")
            continue
        if entry.size != record["size"] or entry.sha256 != record["sha256"]:
            problems.append(f"Mã băm SHA-256 hoặc kích thước của tệp \"{show_name(name)}\" không khớp với "
                            f"{MANIFEST_NAME}: tệp đã bị thay đổi hoặc bị hỏng.")
    if [r["name"] for r in listed.values() if r["role"] == "data"] != [DATA_NAME]:
        problems.append(f"Gói kế hoạch phải có đúng một tệp dữ liệu mang tên {DATA_NAME}.")
    return problems


def _real_date(value: str | None) -> bool:
    try:
        if value:
            date.fromisoformat(value)
        return True
    except ValueError:
        return False


def _consistency(m: dict, data: dict) -> list[str]:
    """What the schema cannot say: identity with the manifest, real dates, references, the units' lists."""
    plan, issuer = data["plan"], data["issuer"]
    pairs = (("mã đơn vị ban hành", m["issuer_code"], issuer["code"]),
             ("tên đơn vị ban hành", m["issuer_name"], issuer["name_in_text"]),
             ("mã kế hoạch", m["plan_uid"], plan["uid"]), ("số kế hoạch", m["plan_number"], plan["number"]),
             ("phiên bản", m["version"], plan["version"]), ("thời điểm tạo", m["created_at"], plan["created_at"]))
    problems = [f"{DATA_NAME} và {MANIFEST_NAME} ghi {label} khác nhau (\"{show_name(str(b))}\" và "
                f"\"{show_name(str(a))}\")." for label, a, b in pairs if a != b]
    if not _real_date(plan["issued_on"]):
        problems.append(f"{DATA_NAME}: ngày ban hành kế hoạch không phải ngày có thật.")
    if not 2000 <= plan["start_year"] <= plan["end_year"] <= 2100:
        problems.append(f"{DATA_NAME}: thời gian kế hoạch {plan['start_year']}–{plan['end_year']} không hợp lệ "
                        "(trong khoảng 2000–2100, năm bắt đầu không sau năm kết thúc).")
    else:
        try:
            periods_for_plan(plan["start_year"], plan["end_year"], ReportingSchedule.from_json(plan["schedule"]))
        except KhbcError as exc:
            problems.append(f"{DATA_NAME}: lịch báo cáo không dùng được: {exc.message}")
        except (TypeError, ValueError, OverflowError):
            problems.append(f"{DATA_NAME}: lịch báo cáo không dùng được.")
    keys = [g["key"] for g in data["groups"]]
    if len(set(keys)) != len(keys):
        problems.append(f"{DATA_NAME}: có hai nhóm nhiệm vụ trùng mã.")
    uids = [t["uid"] for t in data["tasks"]]
    if len(set(uids)) != len(uids):
        problems.append(f"{DATA_NAME}: có hai nhiệm vụ trùng mã định danh.")
    for task in data["tasks"]:
        if task["group"] is not None and task["group"] not in keys:
            problems.append(f"{DATA_NAME}: nhiệm vụ {show_name(task['number'])} thuộc một nhóm không có trong gói.")
            break
    problems.extend(_unit_problems(data))
    if data["outline"] is not None and len(dump_json(data["outline"])) > OUTLINE_MAX_BYTES:
        problems.append(f"{DATA_NAME}: đề cương báo cáo quá lớn (tối đa {OUTLINE_MAX_BYTES // 1024} KiB).")
    return problems


def expected_units(tasks: list[dict]) -> dict[str, tuple[set[str], set[str]]]:
    """Unit name → (uids it leads, uids it cooperates on), as the tasks say."""
    result: dict[str, tuple[set[str], set[str]]] = {}
    for task in tasks:
        if task["lead"].strip():
            result.setdefault(task["lead"], (set(), set()))[0].add(task["uid"])
        for name in task["cooperating"]:
            result.setdefault(name, (set(), set()))[1].add(task["uid"])
    return result


def _unit_problems(data: dict) -> list[str]:
    names = [u["name"] for u in data["units"]]
    if len({_key(n) for n in names}) != len(names):
        return [f"{DATA_NAME}: danh sách đơn vị có tên trùng nhau."]
    listed = {u["name"]: (set(u["leads"]), set(u["cooperates"])) for u in data["units"]}
    wanted = expected_units(data["tasks"])
    for name, roles in wanted.items():
        if listed.get(name) != roles:
            return [f"{DATA_NAME}: danh sách đơn vị không khớp với phân công trong phụ lục (đơn vị "
                    f"\"{show_name(name)[:80]}\")."]
    if any(roles != (set(), set()) for name, roles in listed.items() if name not in wanted):
        return [f"{DATA_NAME}: danh sách đơn vị ghi nhiệm vụ không có trong phụ lục."]
    return []


def check_plan_data(m: dict, raw: bytes) -> tuple[dict | None, list[str]]:
    data, problems = parse_json(raw, DATA_NAME)
    if problems:
        return None, problems
    problems = validate(data, "data", DATA_NAME, kind="plan")
    if problems:
        return None, problems
    problems = _consistency(m, data)
    return (None if problems else data), problems


def verify_plan_bytes(content: bytes, file_name: str, limits: Limits = LIMITS) -> PlanCheck:
    """Check a plan package held in memory; nothing is written anywhere."""
    result = PlanCheck(file_name, [], hashlib.sha256(content).hexdigest(), len(content), content=content)
    scan = scan_zip(content, {MANIFEST_NAME: MAX_MANIFEST_BYTES, DATA_NAME: MAX_DATA_BYTES}, limits)
    result.problems.extend(scan.problems)
    if not scan.readable:
        return result
    if MANIFEST_NAME not in scan.listed:
        result.problems.append(f"Gói không có {MANIFEST_NAME}: đây không phải gói kế hoạch KHBC.")
        return result
    raw_manifest = scan.kept.get(MANIFEST_NAME)
    if raw_manifest is None:
        return result
    manifest, problems = _parse_manifest(raw_manifest)
    result.problems.extend(problems)
    if manifest is None:
        return result
    result.manifest = manifest
    result.problems.extend(_file_problems(manifest, scan))
    raw_data = scan.kept.get(DATA_NAME)
    if raw_data is not None and not result.problems:
        result.data, problems = check_plan_data(manifest, raw_data)
        result.problems.extend(problems)
    if result.problems:
        result.data = None
    return result


def verify_plan_file(path: Path, limits: Limits = LIMITS) -> PlanCheck:
    """Check the plan package at `path` (read once into memory: what is checked is what gets imported)."""
    path = Path(path)
    content, reason = read_package_file(path, limits)
    if content is None:
        return PlanCheck(path.name, [reason or f"Không đọc được tệp {path}."])
    return verify_plan_bytes(content, path.name, limits)


def build_manifest(data: dict, data_bytes: bytes) -> dict:
    plan = data["plan"]
    return {
        "format": FORMAT, "issuer_code": data["issuer"]["code"], "issuer_name": data["issuer"]["name_in_text"],
        "plan_uid": plan["uid"], "plan_number": plan["number"], "version": plan["version"],
        "created_at": plan["created_at"], "program": "KHBC", "program_version": __version__,
        "files": [{"name": DATA_NAME, "size": len(data_bytes), "sha256": hashlib.sha256(data_bytes).hexdigest(),
                   "role": "data"}],
    }


def write_plan_package(target: Path, data: dict, created_at: datetime) -> PlanCheck:
    """Write the ZIP to `target` (a temporary path) and check it with the lower side's own verifier.

    Raises KhbcError when the written package would not pass; the caller then discards it."""
    data_bytes = dump_json(data)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        zf.writestr(_zip_info(MANIFEST_NAME, created_at), dump_json(build_manifest(data, data_bytes)))
        zf.writestr(_zip_info(DATA_NAME, created_at), data_bytes)
    check = verify_plan_file(target)
    if not check.ok:
        raise KhbcError("Gói kế hoạch vừa tạo không vượt qua bước kiểm tra nên không được lưu:\n"
                        + "\n".join(check.problems))
    return check
