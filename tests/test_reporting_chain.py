"""Three levels end to end: Công an tỉnh → two Sở → two phòng each; plans go down, reports and receipts come up.

Every step a clerk takes runs the real `khbc` command in its own process (or, for typing results, the service the
Cập nhật kết quả page calls); only the top level types task text.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from db.models import Task

from desktop.services import appendix, profile
from desktop.services.collect import collect
from desktop.services.setup import create_plan
from desktop.services.ui_support import save_progress
from desktop.services.unit_reports import draft_for_task
from desktop.services.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
PERIOD = "2026S1"
TOP = dict(parent_agency="UBND TỈNH ĐẮK LẮK", name="CÔNG AN TỈNH", name_in_text="Công an tỉnh", abbreviation="CAT",
           unit_code="DLK-CAT", place_name="Đắk Lắk")
SO = {
    "SGD": dict(parent_agency="UBND TỈNH ĐẮK LẮK", name="SỞ GIÁO DỤC VÀ ĐÀO TẠO",
                name_in_text="Sở Giáo dục và Đào tạo", abbreviation="SGDDT", unit_code="DLK-SGD", place_name="Đắk Lắk"),
    "SYT": dict(parent_agency="UBND TỈNH ĐẮK LẮK", name="SỞ Y TẾ", name_in_text="Sở Y tế", abbreviation="SYT",
                unit_code="DLK-SYT", place_name="Đắk Lắk"),
}
PHONG = {  # the phòng of each Sở: key → (Sở, name, code)
    "MN": ("SGD", "Phòng Giáo dục Mầm non", "SGD-MN"),
    "TH": ("SGD", "Phòng Giáo dục Trung học", "SGD-TH"),
    "NVY": ("SYT", "Phòng Nghiệp vụ Y", "SYT-NVY"),
    "NVD": ("SYT", "Phòng Nghiệp vụ Dược", "SYT-NVD"),
}
TASKS = (  # typed once, at the top
    ("Tuyên truyền phòng, chống tội phạm trên không gian mạng cho học sinh, sinh viên", "SGD"),
    ("Kiểm tra an ninh mạng tại các cơ sở khám, chữa bệnh", "SYT"),
    ("Tập huấn kỹ năng nhận diện lừa đảo trực tuyến cho cán bộ, công chức", "SGD+SYT"),
)
# what each phòng reports: task index → (result, figures); and its targets (count, rate)
RESULTS = {
    "MN": ({0: ("Tổ chức 12 buổi ngoại khóa", "120 lượt học sinh"), 2: ("Tập huấn 2 lớp", "40 lượt")}, ("40", "95%")),
    "TH": ({0: ("Lồng ghép vào tiết sinh hoạt lớp", "80 lượt học sinh"), 2: ("Tập huấn 1 lớp", "25 lượt")},
           ("25", "90%")),
    "NVY": ({1: ("Kiểm tra 9 bệnh viện", "9 cơ sở"), 2: ("Tập huấn 1 lớp", "30 lượt")}, ("30", "88%")),
    "NVD": ({1: ("Kiểm tra 6 nhà thuốc lớn", "6 cơ sở"), 2: ("Tập huấn 1 lớp", "15 lượt")}, ("15", "100%")),
}
TARGETS = (("Số lượt cán bộ, công chức được tập huấn", "", None, "lượt"),
           ("Tỷ lệ cơ sở được kiểm tra an ninh mạng", "100%", 100.0, "%"))


def _khbc(db: Path, *args: str, today: str, ok: bool = True) -> str:
    """Run `khbc … --db` in its own process, as a clerk would, on the given day."""
    script = Path(sys.executable).with_name("khbc")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "desktop.cli"]
    env = {**os.environ, "KHBC_TODAY": today, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([*command, *args, "--db", str(db)], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=180)
    assert (done.returncode == 0) == ok, f"khbc {' '.join(args)}: {done.returncode}\n{done.stdout}\n{done.stderr}"
    return done.stdout + done.stderr


def _department(db: Path, fields: dict) -> None:
    workspace = Workspace.open(db)
    try:
        with workspace.unit_of_work() as session:
            profile.save_department(session, **fields)
    finally:
        workspace.close()


def _top(db: Path) -> None:
    """Công an tỉnh types its plan: the only place where task text is typed."""
    workspace = Workspace.open(db)
    try:
        with workspace.unit_of_work() as session:
            profile.save_department(session, **TOP)
            units = {key: profile.add_unit(session, SO[key]["name_in_text"]) for key in SO}
            create_plan(session, "Kế hoạch phòng, chống tội phạm công nghệ cao năm 2026", 2026, 2026,
                        number="15/KH-CAT")
            for content, who in TASKS:
                keys = who.split("+")
                appendix.add_task(session, content, lead_unit_id=units[keys[0]].id,
                                  cooperating_unit_ids=[units[k].id for k in keys[1:]], timeframe_text="Năm 2026")
    finally:
        workspace.close()
    for content, goal_text, goal_value, measure in TARGETS:  # one at a time, as the Cài đặt page adds them
        workspace = Workspace.open(db)
        try:
            with workspace.unit_of_work() as session:
                profile.save_target(session, None, content, goal_text, goal_value, measure)
        finally:
            workspace.close()


def _assign_to_phong(db: Path, so: str) -> None:
    """The Sở gives each task it received to its two phòng (who does it; no task text is typed)."""
    workspace = Workspace.open(db)
    try:
        with workspace.unit_of_work() as session:
            ids = [profile.add_unit(session, name).id for s, name, _code in PHONG.values() if s == so]
            for task in session.scalars(select(Task)).all():
                appendix.update_task(session, task.id, cooperating_unit_ids=ids)
    finally:
        workspace.close()


def _report(db: Path, phong: str) -> None:
    """The phòng types its results in Cập nhật kết quả (the page's own service) and its target figures."""
    tasks, targets = RESULTS[phong]
    workspace = Workspace.open(db)
    try:
        with workspace.unit_of_work() as session:
            rows = _rows(db, "SELECT id, content FROM task ORDER BY position")
            by_content = {content: task_id for task_id, content in rows}
            for index, (result, figures) in tasks.items():
                save_progress(session, PERIOD, by_content[TASKS[index][0]], "done", result, figures, "", "", [])
    finally:
        workspace.close()
    for position, value in enumerate(targets, start=1):
        _khbc(db, "target", "--period", PERIOD, "--target", str(position), "--value", value, today="2026-06-01")


def _rows(db: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def _only(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    assert len(found) == 1, found
    return found[0]


def _pdf_text(path: Path) -> str:
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is needed")
def test_plan_down_reports_up_three_levels(tmp_path):
    dbs = {"CAT": tmp_path / "cat.sqlite3", **{k: tmp_path / f"{k.lower()}.sqlite3" for k in (*SO, *PHONG)}}
    mail = {k: tmp_path / f"mail-{k.lower()}" for k in dbs}  # each office's outbox
    _top(dbs["CAT"])
    _khbc(dbs["CAT"], "plan-export", str(mail["CAT"]), today="2026-01-05")
    top_plan = _only(mail["CAT"], "*.zip")

    # each Sở opens the plan, takes its own tasks, hands them to its phòng, and sends the plan on
    for so, fields in SO.items():
        _department(dbs[so], fields)
        _khbc(dbs[so], "plan-import", str(top_plan), today="2026-01-06")
        _assign_to_phong(dbs[so], so)
        _khbc(dbs[so], "plan-export", str(mail[so]), today="2026-01-07")
    for phong, (so, name, code) in PHONG.items():
        _department(dbs[phong], dict(parent_agency=SO[so]["name"], name=name.upper(), name_in_text=name,
                                     abbreviation=code.replace("-", ""), unit_code=code, place_name="Đắk Lắk"))
        _khbc(dbs[phong], "plan-import", str(_only(mail[so], "*.zip")), today="2026-01-08")

    # no task text was typed below the top: every lower task is an upper task, linked by its uid
    top_tasks = dict(_rows(dbs["CAT"], "SELECT uid, content FROM task"))
    for so in SO:
        so_tasks = _rows(dbs[so], "SELECT uid, upper_uid, content FROM task")
        assert so_tasks and all(top_tasks[upper] == content for _uid, upper, content in so_tasks)
        so_by_uid = {uid: content for uid, _upper, content in so_tasks}
        for phong in (p for p, v in PHONG.items() if v[0] == so):
            rows = _rows(dbs[phong], "SELECT upper_uid, content FROM task")
            assert len(rows) == len(so_tasks) and all(so_by_uid[upper] == content for upper, content in rows)

    # the phòng report: MN and NVY on time, NVD after the deadline (10/6), TH returned once and resent as v2
    for phong in PHONG:
        _report(dbs[phong], phong)
    sent = {}
    for phong, day in (("MN", "2026-06-05"), ("TH", "2026-06-05"), ("NVY", "2026-06-08"), ("NVD", "2026-06-12")):
        _khbc(dbs[phong], "export", "--period", PERIOD, "--out", str(mail[phong]), today=day)
        sent[phong] = _only(mail[phong], "*_v1.zip")
    for so in SO:
        phong = [p for p, v in PHONG.items() if v[0] == so]
        out = _khbc(dbs[so], "import-bundle", *(str(sent[p]) for p in phong), today="2026-06-13")
        assert out.count("[ĐÃ NHẬN]") == 2
    _khbc(dbs["SGD"], "review", "return", "--unit", "SGD-TH", "--period", PERIOD, "--reason",
          "Thiếu số liệu tập huấn", "--out", str(mail["SGD"]), today="2026-06-13")
    returned = _only(mail["SGD"], "BienNhan_SGD-TH_*_v1.zip")
    seen = _khbc(dbs["TH"], "receipt-import", str(returned), today="2026-06-14")
    assert "Bị trả lại" in seen and "Thiếu số liệu tập huấn" in seen and "phiên bản 2" in seen
    _khbc(dbs["TH"], "export", "--period", PERIOD, "--out", str(mail["TH"]), today="2026-06-14")
    _khbc(dbs["SGD"], "import-bundle", str(_only(mail["TH"], "*_v2.zip")), today="2026-06-15")
    for so, phong in (("SGD", "MN"), ("SGD", "TH"), ("SYT", "NVY"), ("SYT", "NVD")):
        code = PHONG[phong][2]
        _khbc(dbs[so], "review", "accept", "--unit", code, "--period", PERIOD, "--out", str(mail[so]),
              today="2026-06-15")
        version = 2 if phong == "TH" else 1
        seen = _khbc(dbs[phong], "receipt-import", str(_only(mail[so], f"BienNhan_{code}_*_v{version}.zip")),
                     today="2026-06-16")
        assert "Đã tiếp nhận ngày 15/06/2026" in seen
    workspace = Workspace.open(dbs["SYT"])
    try:
        with workspace.unit_of_work() as session:
            status = {u.unit_code: u.status for u in collect(session, PERIOD, date(2026, 6, 15), details=False).units}
    finally:
        workspace.close()
    assert status == {"SYT-NVY": "on_time", "SYT-NVD": "late"}

    # each Sở drafts its own report from its phòng (the page's Soạn tự động gives the same text) and reports up
    workspace = Workspace.open(dbs["SGD"])
    try:
        with workspace.unit_of_work() as session:
            first = _rows(dbs["SGD"], "SELECT id FROM task ORDER BY position")[0][0]
            draft = draft_for_task(session, PERIOD, first)
    finally:
        workspace.close()
    assert draft.result == ("Phòng Giáo dục Mầm non: Tổ chức 12 buổi ngoại khóa; "
                            "Phòng Giáo dục Trung học: Lồng ghép vào tiết sinh hoạt lớp.")
    assert draft.figures.startswith("Tổng số: 200 lượt học sinh")
    for so in SO:
        _khbc(dbs[so], "draft", "--period", PERIOD, "--apply", today="2026-06-16")
        _khbc(dbs[so], "export", "--period", PERIOD, "--out", str(mail[so] / "up"), today="2026-06-16")
    out = _khbc(dbs["CAT"], "import-bundle", *(str(_only(mail[so] / "up", "*.zip")) for so in SO),
                today="2026-06-17")
    assert out.count("[ĐÃ NHẬN]") == 2
    for so, fields in SO.items():
        _khbc(dbs["CAT"], "review", "accept", "--unit", fields["unit_code"], "--period", PERIOD, "--out",
              str(mail["CAT"] / "receipts"), today="2026-06-17")
        seen = _khbc(dbs[so], "receipt-import", str(_only(mail["CAT"] / "receipts", f"BienNhan_{fields['unit_code']}_*")),
                     today="2026-06-18")
        assert "Công an tỉnh: Đã tiếp nhận ngày 17/06/2026" in seen

    # Công an tỉnh consolidates and drafts its own report: numbers add up, units are named
    _khbc(dbs["CAT"], "draft", "--period", PERIOD, "--apply", today="2026-06-18")
    report = tmp_path / "cat-report.pdf"
    _khbc(dbs["CAT"], "report", "--period", PERIOD, "--format", "pdf", "--out", str(report), today="2026-06-18")
    text = _pdf_text(report)
    assert "Sở Giáo dục và Đào tạo: Phòng Giáo dục Mầm non: Tổ chức 12 buổi ngoại khóa" in text
    assert "Sở Y tế: Phòng Nghiệp vụ Dược: Kiểm tra 6 nhà thuốc lớn; Phòng Nghiệp vụ Y: Kiểm tra 9 bệnh viện" in text
    # tập huấn: 40 + 25 + 30 + 15 lượt, added up through two levels, in the task's figures and in the target
    assert "Tổng số: 110 lượt (Sở Giáo dục và Đào tạo: 65; Sở Y tế: 45)" in text
    assert "Số lượt cán bộ, công chức được tập huấn 110 lượt" in text
    assert "Sở Giáo dục và Đào tạo: 90–95%; Sở Y tế: 88–100%" in text  # rates are listed per unit, never added
    collected = tmp_path / "cat-tonghop.pdf"
    _khbc(dbs["CAT"], "collect", "--period", PERIOD, "--format", "pdf", "--out", str(collected), today="2026-06-18")
    summary = _pdf_text(collected)
    assert "Sở Giáo dục và Đào tạo" in summary and "Sở Y tế" in summary
