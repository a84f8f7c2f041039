"""A realistic large plan for the report tests: N tasks in six numbered groups (I–VI) with long results."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select

from db.models import Plan, Task, TaskGroup, Unit
from desktop.services.progress import EvidenceInput, record_progress, record_target_figure
from desktop.services.setup import parsed_timeframe
from desktop.services.workspace import Workspace
from sample_helpers import fresh_database

GROUPS = (("I", "Công tác tuyên truyền, phổ biến"), ("II", "Bảo đảm an toàn thông tin"),
          ("III", "Quản lý thông tin trên môi trường mạng"), ("IV", "Đẩy mạnh chuyển đổi số"),
          ("V", "Công tác phối hợp"), ("VI", "Kiểm tra, giám sát, sơ kết, tổng kết"))
TIMEFRAMES = ("Thường xuyên", "Quý II/2026", "Hàng năm", "Quý III/2026 và duy trì", "2026-2030", "Quý IV/2026",
              "Năm 2028", "Theo yêu cầu")
LEADS = ("Văn phòng Sở", "Các phòng chuyên môn", "Văn phòng Sở", "Các đơn vị cung cấp dịch vụ CNTT")
SENTENCE = ("Đã tổ chức {n:02d} hội nghị quán triệt, tập huấn cho công chức, viên chức và người lao động thuộc Sở, "
            "lồng ghép nội dung bảo vệ trẻ em trên môi trường mạng trong các cuộc họp giao ban định kỳ.")
LONG_TAIL = (" Phối hợp với Công an tỉnh rà soát {n} hệ thống thông tin, cập nhật bản vá bảo mật, kiểm tra "
             "việc phân quyền tài khoản người dùng, sao lưu dữ liệu định kỳ và diễn tập ứng cứu sự cố; kết quả "
             "được tổng hợp tại báo cáo gửi Lãnh đạo Sở và các đơn vị liên quan để theo dõi, chỉ đạo.")
TODAY = date(2026, 11, 22)


def task_content(i: int) -> str:
    base = f"Triển khai nội dung số {i} của Chương trình bảo vệ trẻ em trên môi trường mạng"
    return base + (" tại các phòng, đơn vị trực thuộc Sở và các tổ chức, doanh nghiệp trong ngành" if i % 4 == 0
                   else "")


def result_text(i: int) -> str:
    """One to three sentences; task 5 and every 25th result are longer than 800 characters, and task 8 and
    every 150th are taller than a landscape page in the results column."""
    text = SENTENCE.format(n=i % 7 + 1)
    if i % 150 == 0 or i == 8:
        text += LONG_TAIL.format(n=i) * 8
    elif i % 25 == 0 or i == 5:
        text += LONG_TAIL.format(n=i) * 3
    elif i % 3 == 0:
        text += LONG_TAIL.format(n=i % 11 + 2)
    return text + f" Mã kết quả {marker(i)}."


def marker(i: int) -> str:
    """A word found only at the very end of task i's result: where it prints shows where the row ends."""
    return f"KQ{i:04d}"


def build_plan(db_path, count: int) -> Workspace:
    """The sample department and plan with its tasks replaced by `count` generated ones, results for the
    year 2026 recorded through the services (about 10 % due without a result, some late)."""
    fresh_database(db_path)
    workspace = Workspace.open(db_path)
    with workspace.unit_of_work() as session:
        plan = session.scalar(select(Plan))
        session.execute(delete(Task).where(Task.plan_id == plan.id))
        units = {u.name: u for u in session.scalars(select(Unit))}
        groups = []
        for position, (number, title) in enumerate(GROUPS, start=1):
            group = TaskGroup(plan_id=plan.id, position=position, number=number, title=title)
            session.add(group)
            groups.append(group)
        session.flush()
        per_group = -(-count // len(GROUPS))
        for i in range(1, count + 1):
            timeframe = TIMEFRAMES[i % len(TIMEFRAMES)]
            task = Task(plan_id=plan.id, group_id=groups[(i - 1) // per_group].id, position=i, number=str(i),
                        content=task_content(i), lead_unit=units[LEADS[i % len(LEADS)]],
                        timeframe_text=timeframe, timeframe=parsed_timeframe(timeframe, plan),
                        expected_output="Báo cáo, tài liệu, biên bản")
            task.cooperating_units = [units["Công an tỉnh"]] if i % 2 else []
            session.add(task)
    with workspace.unit_of_work() as session:
        for i in range(1, count + 1):
            if i % 10 == 7:
                continue  # due, no result
            status = ("done", "done", "in_progress", "done", "not_started")[i % 5]
            evidence = ([EvidenceInput(f"{i}/SXD-VP", date(2026, 3 + i % 8, 1 + i % 27), "Công văn triển khai")]
                        if i % 6 == 0 else None)
            record_progress(session, "2026", str(i), status, result=result_text(i),
                            difficulties="Thiếu kinh phí in tài liệu tuyên truyền" if i % 13 == 0 else None,
                            evidence=evidence)
        record_target_figure(session, "2026", 1, "95%")
        record_target_figure(session, "2026", 2, "100%")
        record_target_figure(session, "2026", 3, "Bảo đảm")
    return workspace


_REPORTS: dict[int, object] = {}  # the report documents are frozen dataclasses: tests only read them


def report_of_plan(folder, count: int):
    """The 2026 report document as of TODAY of a plan of `count` tasks (built in `folder` once per test process)."""
    from desktop.services.documents import report_document

    if count in _REPORTS:
        return _REPORTS[count]
    workspace = build_plan(folder / "khbc.sqlite3", count)
    try:
        with workspace.unit_of_work() as session:
            _REPORTS[count] = report_document(session, "2026", TODAY)
    finally:
        workspace.close()
    return _REPORTS[count]
