"""What a plan package changes in the lower unit's plan: its own tasks preselected, and an amendment's plain diff.

Pure: takes the package's plan.json (already verified) and plain values describing the lower unit's tasks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

from desktop.domain.periods import ReportingSchedule
from desktop.errors import KhbcError
from desktop.importers.units import is_general, names_match

ROLE_LABELS = {"lead": "Chủ trì", "cooperate": "Phối hợp", "general": "Giao chung"}
UPPER_STATE_LABELS = {"": "", "removed": "Cấp trên đã bỏ", "reassigned": "Cấp trên đã giao đơn vị khác"}


@dataclass(frozen=True)
class LocalTask:
    """A task of the lower unit's plan that came from the upper plan (it has the upper task's uid)."""

    task_id: int
    upper_uid: str
    number: str
    content: str
    group_title: str
    lead: str
    cooperating: tuple[str, ...]
    timeframe: str
    expected_output: str
    has_results: bool
    upper_state: str = ""


def involvement(lead: str, cooperating: tuple[str, ...] | list[str], unit_name: str | None) -> str | None:
    """How the unit takes part in a task: "lead", "cooperate", "general" (given to a group it belongs to), or None."""
    if not unit_name:
        return None
    if lead and names_match(lead, unit_name):
        return "lead"
    if any(names_match(name, unit_name) for name in cooperating):
        return "cooperate"
    if (lead and is_general(lead)) or any(is_general(name) for name in cooperating):
        return "general"
    return None


def task_role(task: dict, unit_name: str | None) -> str | None:
    return involvement(task["lead"], task["cooperating"], unit_name)


def preselected(role: str | None) -> bool:
    """Tasks naming the unit are preselected; one given to a group ("các phòng chuyên môn") is offered, unticked."""
    return role in ("lead", "cooperate")


def find_own_unit(units: list[dict], code: str, names: list[str]) -> str | None:
    """The package's name for this unit: by its code first, then by its names (tolerant of spelling variants)."""
    for unit in units:
        if code and unit["code"] == code:
            return unit["name"]
    for name in names:
        for unit in units:
            if name and names_match(unit["name"], name):
                return unit["name"]
    return None


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _units_text(lead: str, cooperating) -> str:
    text = f"chủ trì {lead or '(chưa ghi)'}"
    return text + (f"; phối hợp {', '.join(cooperating)}" if cooperating else "")


@dataclass
class PlanDiff:
    """The differences an amendment makes, by kind; each task pair is (what the unit has, what the package says)."""

    added: list[dict] = field(default_factory=list)
    restored: list[tuple[LocalTask, dict]] = field(default_factory=list)
    reworded: list[tuple[LocalTask, dict]] = field(default_factory=list)
    reassigned: list[tuple[LocalTask, dict]] = field(default_factory=list)
    deadline_moved: list[tuple[LocalTask, dict]] = field(default_factory=list)
    renumbered: list[tuple[LocalTask, dict]] = field(default_factory=list)
    removed: list[LocalTask] = field(default_factory=list)
    left: list[tuple[LocalTask, dict]] = field(default_factory=list)  # our unit no longer takes part
    frozen: list[str] = field(default_factory=list)  # uids of tasks given to another unit earlier: not touched
    said: dict[str, LocalTask] = field(default_factory=dict)  # uid → the task as the upper level last said it
    plan_changes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any((self.added, self.restored, self.reworded, self.reassigned, self.deadline_moved,
                        self.renumbered, self.removed, self.left, self.plan_changes))

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "restored": len(self.restored), "reworded": len(self.reworded),
                "reassigned": len(self.reassigned), "deadline_moved": len(self.deadline_moved),
                "renumbered": len(self.renumbered), "removed": len(self.removed), "left": len(self.left),
                "plan_changes": len(self.plan_changes)}

    def lines(self) -> list[str]:
        """The plain diff, in Vietnamese, one line per change under a heading per kind."""
        out: list[str] = []

        def section(title: str, items: list, render) -> None:
            if items:
                out.append(f"{title} ({len(items)}):")
                out.extend(f"  {render(item)}" for item in items)

        section("Thông tin kế hoạch thay đổi", self.plan_changes, lambda c: f"{c[0]}: {c[1] or '(trống)'} → {c[2] or '(trống)'}")
        section("Nhiệm vụ mới", self.added, lambda t: f"+ {t['number']}. {_short(t['content'])}")
        section("Nhiệm vụ được khôi phục", self.restored, lambda p: f"+ {p[1]['number']}. {_short(p[1]['content'])}")
        section("Sửa nội dung", self.reworded,
                lambda p: f"~ {p[1]['number']}. \"{_short(p[0].content, 60)}\" → \"{_short(p[1]['content'], 60)}\""
                + (" (sửa cả kết quả dự kiến)" if p[0].expected_output != p[1]["expected_output"] else ""))
        section("Đổi đơn vị chủ trì, phối hợp", self.reassigned,
                lambda p: f"~ {p[1]['number']}. {_units_text(p[0].lead, p[0].cooperating)} → "
                          f"{_units_text(p[1]['lead'], p[1]['cooperating'])}")
        section("Đổi thời gian thực hiện", self.deadline_moved,
                lambda p: f"~ {p[1]['number']}. {p[0].timeframe or '(trống)'} → {p[1]['timeframe'] or '(trống)'}")
        section("Đổi số thứ tự hoặc nhóm", self.renumbered,
                lambda p: f"~ {p[0].number} → {p[1]['number']}. {_short(p[1]['content'], 70)}")
        section("Cấp trên đã bỏ nhiệm vụ", self.removed, lambda t: f"- {t.number}. {_short(t.content)} "
                + ("(đã có kết quả: giữ lại, đánh dấu \"Cấp trên đã bỏ\")" if t.has_results
                   else "(chưa có kết quả: bỏ khỏi phụ lục)"))
        section("Giao cho đơn vị khác", self.left, lambda p: f"- {p[1]['number']}. {_short(p[1]['content'])} "
                + ("(đã có kết quả: giữ lại, đánh dấu \"Cấp trên đã giao đơn vị khác\")" if p[0].has_results
                   else "(chưa có kết quả: bỏ khỏi phụ lục)"))
        return out or ["Không có thay đổi nào so với kế hoạch đang có."]


def _group_titles(package: dict) -> dict[str, str]:
    return {g["key"]: g["title"] for g in package["groups"]}


_KIND_NAMES = {"quarter": "quý", "half": "6 tháng", "nine": "9 tháng", "year": "năm", "phase": "giai đoạn"}


def schedule_text(schedule: dict) -> str:
    """"6 tháng (hạn 10/6), năm (hạn 10/12)": a reporting schedule as a clerk reads it."""
    try:
        normal = ReportingSchedule.from_json(schedule).to_json()
    except KhbcError:
        return json.dumps(schedule, ensure_ascii=False, sort_keys=True)
    deadlines = normal.get("deadlines", {})
    parts = [_KIND_NAMES.get(k, k) + (f" (hạn {deadlines[k]})" if k in deadlines else "") for k in normal.get("kinds", [])]
    extra = {k: v for k, v in normal.items() if k not in ("kinds", "deadlines")}
    return ", ".join(parts) + (f"; {json.dumps(extra, ensure_ascii=False, sort_keys=True)}" if extra else "")


def _plan_changes(local_plan: dict, package: dict) -> list[tuple[str, str, str]]:
    plan = package["plan"]
    pairs = (("Số kế hoạch", local_plan["number"], plan["number"]),
             ("Ngày ban hành", local_plan["issued_on"] or "", plan["issued_on"] or ""),
             ("Trích yếu", local_plan["title"], plan["title"]),
             ("Thời gian", f"{local_plan['start_year']}–{local_plan['end_year']}",
              f"{plan['start_year']}–{plan['end_year']}"),
             ("Lịch báo cáo", schedule_text(local_plan["schedule"]), schedule_text(plan["schedule"])),
             ("Chỉ tiêu", "; ".join(local_plan["targets"]), "; ".join(t["content"] for t in package["targets"])))
    return [(label, _short(str(a), 120), _short(str(b), 120)) for label, a, b in pairs if a != b]


def baseline_of(package: dict) -> dict[str, list]:
    """What the package says of each task, kept after an import so the next amendment is compared with it."""
    groups = _group_titles(package)
    return {t["uid"]: [t["number"], groups.get(t["group"], "") if t["group"] else "", t["content"], t["lead"],
                       list(t["cooperating"]), t["timeframe"], t["expected_output"]] for t in package["tasks"]}


def _as_said(mine: LocalTask, base) -> LocalTask:
    """The unit's task with the values the upper level gave it last time (the unit may have edited its copy)."""
    if not (isinstance(base, list) and len(base) == 7 and isinstance(base[4], list)
            and all(isinstance(v, str) for v in (*base[:4], *base[4], *base[5:]))):
        return mine  # no baseline (or an unreadable one): compare with the unit's own copy
    number, group_title, content, lead, cooperating, timeframe, expected = base
    return replace(mine, number=number, group_title=group_title, content=content, lead=lead,
                   cooperating=tuple(cooperating), timeframe=timeframe, expected_output=expected)


def compute_diff(local: list[LocalTask], package: dict, unit_name: str | None, local_plan: dict | None = None,
                 selected: set[str] | None = None, baseline: dict | None = None) -> PlanDiff:
    """The changes importing `package` makes to the unit's tasks (`local`); `selected` are the uids of tasks not
    yet in the plan that the clerk chose to add (default: the unit's own, preselected). With the `baseline` of the
    previous import, only what the upper level changed counts: the unit's own edits of its copy are not undone."""
    diff = PlanDiff()
    groups = _group_titles(package)
    incoming = {t["uid"]: t for t in package["tasks"]}
    have = {t.upper_uid: _as_said(t, (baseline or {}).get(t.upper_uid)) for t in local}
    diff.said = dict(have)
    for task in package["tasks"]:
        mine = have.get(task["uid"])
        if mine is None:
            wanted = preselected(task_role(task, unit_name)) if selected is None else task["uid"] in selected
            if wanted:
                diff.added.append(task)
            continue
        ours_now = preselected(task_role(task, unit_name))  # named as lead or cooperating unit
        if mine.upper_state == "reassigned" and not ours_now:
            diff.frozen.append(mine.upper_uid)  # still another unit's: left as it is, marked
            continue
        if not mine.upper_state and not ours_now and preselected(involvement(mine.lead, mine.cooperating, unit_name)):
            diff.left.append((mine, task))
            continue
        if mine.upper_state:
            diff.restored.append((mine, task))
        if (mine.content, mine.expected_output) != (task["content"], task["expected_output"]):
            diff.reworded.append((mine, task))
        if (mine.lead, tuple(mine.cooperating)) != (task["lead"], tuple(task["cooperating"])):
            diff.reassigned.append((mine, task))
        if mine.timeframe != task["timeframe"]:
            diff.deadline_moved.append((mine, task))
        group_title = groups.get(task["group"], "") if task["group"] else ""
        if (mine.number, mine.group_title) != (task["number"], group_title):
            diff.renumbered.append((mine, task))
    diff.removed = [t for t in local if t.upper_uid not in incoming and t.upper_state != "removed"]
    if local_plan is not None:
        diff.plan_changes = _plan_changes(local_plan, package)
    return diff
