"""The consolidated report of the receiving office: completeness, timeliness and every unit's results (AdminDocument)."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.domain.collection import CollectResult, UnitReport
from desktop.domain.report_values import DepartmentInfo, achievement
from desktop.reporting.document import AdminDocument, Appendix, Block, Column, Letterhead, Row, Signature
from desktop.reporting.formatting import date_line, document_number, number_only, percent, period_phrase, short_date
from desktop.reporting.report_builder import TARGET_COLUMNS

STATUS_COLUMNS = (
    Column("TT", 0.45, "center"),
    Column("Đơn vị", 2.6),
    Column("Mã đơn vị", 1.1, "center"),
    Column("Tình trạng", 1.5, "center"),
    Column("Hạn gửi", 1.0, "center"),
    Column("Ngày gửi", 1.0, "center"),
    Column("Ngày nhận", 1.0, "center"),
    Column("Phiên bản", 0.8, "center"),
)

UNIT_COLUMNS = (
    Column("TT", 0.45, "center"),
    Column("Đơn vị", 2.6),
    Column("Phiên bản", 0.8, "center"),
    Column("Số nhiệm vụ", 0.9, "center"),
    Column("Đã hoàn thành", 1.0, "center"),
    Column("Đang thực hiện", 1.0, "center"),
    Column("Chưa triển khai", 1.0, "center"),
    Column("Chậm tiến độ", 0.9, "center"),
    Column("Tỷ lệ hoàn thành", 1.0, "center"),
)

LATE_COLUMNS = (
    Column("TT", 0.45, "center"),
    Column("Nội dung nhiệm vụ", 3.0),
    Column("Đơn vị chủ trì", 1.3),
    Column("Thời gian thực hiện", 1.2, "center"),
    Column("Tiến độ", 1.2, "center"),
    Column("Khó khăn, vướng mắc", 2.4),
)

LATE_PER_UNIT = 10  # the printed list of late tasks names at most this many per unit; the XLSX has them all
PER_UNIT_SENTENCES = 20  # up to this many units, the body has one sentence per unit

TASK_COLUMNS = (
    Column("TT", 0.45, "center"),
    Column("Nội dung nhiệm vụ", 2.6),
    Column("Đơn vị chủ trì", 1.2),
    Column("Thời gian thực hiện", 1.15, "center"),
    Column("Tiến độ", 1.1, "center"),
    Column("Kết quả thực hiện trong kỳ", 2.6),
    Column("Sản phẩm/văn bản", 1.5),
    Column("Khó khăn, vướng mắc", 1.4),
)



def _rate(result: CollectResult, count: int) -> str:
    value = result.rate(count)
    return f" ({percent(value)})" if value is not None else ""


def _deadline_sentence(result: CollectResult) -> str:
    if result.deadline_source == "override":
        return f"Hạn gửi báo cáo áp dụng khi tổng hợp: ngày {short_date(result.deadline)}."
    if result.deadline_source == "plan":
        return f"Hạn gửi báo cáo theo kế hoạch: ngày {short_date(result.deadline)}."
    if result.deadline_source == "packages":
        if result.deadline:
            return f"Hạn gửi báo cáo theo gói báo cáo của các đơn vị: ngày {short_date(result.deadline)}."
        return "Hạn gửi báo cáo lấy theo hạn ghi trong gói báo cáo của từng đơn vị."
    return "Chưa có hạn gửi báo cáo cho kỳ này nên chưa đánh giá được tính đúng hạn."


def _body(result: CollectResult, sender: str, detailed: bool) -> list[Block]:
    words = period_phrase(result.period_kind, result.start_year, result.end_year, result.period_code)
    if result.expected_source == "configured":
        basis = f"Số đơn vị phải báo cáo: {result.expected} (theo danh sách đơn vị phải báo cáo đã khai báo)."
    else:
        basis = (f"Chưa khai báo danh sách đơn vị phải báo cáo; các đơn vị đã gửi báo cáo được tính là đơn vị "
                 f"phải báo cáo ({result.expected} đơn vị).")
    body = [
        Block("paragraph", f"{sender} tổng hợp tình hình gửi báo cáo {words} của các đơn vị (số liệu đến ngày "
                           f"{short_date(result.today)}) như sau:" if sender else
              f"Tình hình gửi báo cáo {words} của các đơn vị (số liệu đến ngày {short_date(result.today)}) "
              "được tổng hợp như sau:"),
        Block("heading1", "I. TÌNH HÌNH GỬI BÁO CÁO"),
        Block("paragraph", basis),
        Block("paragraph", _deadline_sentence(result)),
        Block("bullet", f"Số đơn vị đã gửi báo cáo: {result.received}/{result.expected}{_rate(result, result.received)}."),
        Block("bullet", f"Gửi đúng hạn: {result.on_time}{_rate(result, result.on_time)}; gửi muộn: {result.late}."),
        Block("bullet", f"Chưa gửi: {result.missing}{_rate(result, result.missing)}."),
    ]
    missing = [u.unit_name for u in result.units if u.expected and u.status in ("missing", "overdue")]
    if missing:
        body.append(Block("paragraph", "Các đơn vị chưa gửi báo cáo: " + "; ".join(missing) + "."))
    if result.unexpected:
        others = [u.unit_name for u in result.units if not u.expected]
        body.append(Block("paragraph", "Đơn vị gửi báo cáo nhưng không có trong danh sách phải báo cáo (không tính "
                                       "vào tỷ lệ): " + "; ".join(others) + "."))
    body.append(Block("heading1", "II. KẾT QUẢ THỰC HIỆN NHIỆM VỤ CỦA CÁC ĐƠN VỊ"))
    body.extend(_results_blocks(result, detailed))
    return body


@dataclass(frozen=True)
class _Counts:
    tasks: int
    done: int
    doing: int
    late: int

    @property
    def not_started(self) -> int:
        return self.tasks - self.done - self.doing

    def share_done(self) -> str:
        return percent(self.done / self.tasks * 100) if self.tasks else ""


def _n(number: int) -> str:
    """30000 → "30.000" (Vietnamese thousands separator)."""
    return f"{number:,}".replace(",", ".")


def _counts(tasks) -> _Counts:
    statuses = [((t.get("progress") or {}).get("status")) for t in tasks]
    return _Counts(len(tasks), statuses.count("done"), statuses.count("in_progress"),
                   sum(1 for t in tasks if t.get("state") == "late"))


def _report_sentence(report: UnitReport) -> str:
    c = _counts(report.tasks)
    text = (f"{report.unit_name} (phiên bản {report.version}): {c.tasks} nhiệm vụ, đã hoàn thành {c.done}, "
            f"đang thực hiện {c.doing}")
    return text + (f", chậm tiến độ {c.late}." if c.late else ".")


def _results_blocks(result: CollectResult, detailed: bool) -> list[Block]:
    """Totals first; one sentence per unit only while that stays short; the tables hold the rest."""
    if not result.reports:
        return [Block("paragraph", "Chưa nhận được báo cáo của đơn vị nào trong kỳ.")]
    counts = [(report, _counts(report.tasks)) for report in result.reports]
    total = _Counts(*(sum(getattr(c, f) for _r, c in counts) for f in ("tasks", "done", "doing", "late")))
    blocks = [Block("paragraph", f"{len(counts)} đơn vị đã gửi báo cáo với tổng số {_n(total.tasks)} nhiệm vụ: đã "
                                 f"hoàn thành {_n(total.done)}" + (f" ({total.share_done()})" if total.tasks else "")
                    + f", đang thực hiện {_n(total.doing)}, chưa triển khai hoặc chưa đến hạn "
                      f"{_n(total.not_started)}; chậm tiến độ {_n(total.late)}.")]
    if len(counts) <= PER_UNIT_SENTENCES:
        blocks.extend(Block("bullet", _report_sentence(report)) for report in result.reports)
    else:
        lagging = sorted((pair for pair in counts if pair[1].late), key=lambda p: (-p[1].late, p[0].unit_name))[:5]
        if lagging:
            blocks.append(Block("paragraph", "Các đơn vị có nhiều nhiệm vụ chậm tiến độ nhất: " + "; ".join(
                f"{report.unit_name} ({c.late} nhiệm vụ)" for report, c in lagging) + "."))
    where = "Kết quả của từng đơn vị tại Biểu 02; " + (
        "kết quả từng nhiệm vụ tại Biểu 03 kèm theo." if detailed else
        "các nhiệm vụ chậm tiến độ tại Biểu 03 kèm theo; kết quả đầy đủ của từng nhiệm vụ tại Biểu 03 của tệp Excel "
        "tổng hợp và trong báo cáo gốc của từng đơn vị.")
    blocks.append(Block("paragraph", where))
    return blocks


def _unit_rows(result: CollectResult) -> tuple[Row, ...]:
    rows, totals = [], [0, 0, 0, 0, 0]
    for index, report in enumerate(result.reports, start=1):
        c = _counts(report.tasks)
        for i, value in enumerate((c.tasks, c.done, c.doing, c.not_started, c.late)):
            totals[i] += value
        rows.append(Row((str(index), report.unit_name, str(report.version), str(c.tasks), str(c.done), str(c.doing),
                         str(c.not_started), str(c.late), c.share_done())))
    share = percent(totals[1] / totals[0] * 100) if totals[0] else ""
    rows.append(Row(("", "Tổng cộng", "", *map(_n, totals), share)))
    return tuple(rows)


def _late_rows(result: CollectResult) -> tuple[Row, ...]:
    rows: list[Row] = []
    for report in result.reports:
        late = [t for t in report.tasks if t.get("state") == "late"]
        if not late:
            continue
        rows.append(Row((f"{report.unit_name} ({report.unit_code}), phiên bản {report.version}: "
                         f"{len(late)} nhiệm vụ chậm tiến độ",), "group"))
        for task in late[:LATE_PER_UNIT]:
            progress = task.get("progress") or {}
            rows.append(Row((task.get("number", ""), task.get("content", ""), task.get("lead", ""),
                             task.get("timeframe", ""), _progress_label("late", progress),
                             progress.get("difficulties", ""))))
        if len(late) > LATE_PER_UNIT:
            rows.append(Row(("", f"… và {len(late) - LATE_PER_UNIT} nhiệm vụ chậm tiến độ khác của đơn vị (xem Biểu 03 "
                                 "của tệp Excel tổng hợp).")))
    return tuple(rows) or (Row(("", "Không có nhiệm vụ chậm tiến độ.")),)


def _status_rows(result: CollectResult) -> tuple[Row, ...]:
    rows = []
    for index, unit in enumerate(result.units, start=1):
        label = unit.status_label + ("" if unit.expected else " (ngoài danh sách)")
        label += f"; {unit.signature}" if unit.signature else ""
        rows.append(Row((str(index), unit.unit_name, unit.unit_code, label, short_date(unit.deadline),
                         short_date(unit.sent_on), short_date(unit.received_on),
                         str(unit.version) if unit.version else "")))
    rows.append(Row(("", "Tổng cộng", "", f"Đã gửi {result.received}/{result.expected}; đúng hạn {result.on_time}; "
                     f"muộn {result.late}; chưa gửi {result.missing}", "", "", "", "")))
    return tuple(rows)


def _evidence_text(progress: dict) -> str:
    lines = []
    for item in progress.get("evidence", ()):
        head = " ".join(x for x in (f"Số {item['number']}" if item.get("number") else "",
                                    f"ngày {item['issued_on'][8:10]}/{item['issued_on'][5:7]}/{item['issued_on'][:4]}"
                                    if item.get("issued_on") else "") if x)
        summary = item.get("summary") or item.get("file_name") or ""
        lines.append(f"{head}: {summary}" if head and summary else head or summary)
    return "\n".join(lines)


def _progress_label(state: str, progress: dict) -> str:
    """As the unit's own report prints it (report_builder): late first, then the recorded status."""
    if state == "late":
        return "Đang thực hiện (chậm tiến độ)" if progress.get("status") == "in_progress" else "Chậm tiến độ"
    if progress.get("status_label"):
        return progress["status_label"]
    return "Chưa đến hạn" if state == "not_yet" else "Chưa triển khai"


def _task_rows(result: CollectResult) -> tuple[Row, ...]:
    rows: list[Row] = []
    for report in result.reports:
        rows.append(Row((f"{report.unit_name} ({report.unit_code}), phiên bản {report.version}",), "group"))
        for task in report.tasks:
            progress = task.get("progress") or {}
            label = _progress_label(task.get("state", ""), progress)
            rows.append(Row((task.get("number", ""), task.get("content", ""), task.get("lead", ""),
                             task.get("timeframe", ""), label,
                             "\n".join(x for x in (progress.get("result", ""), progress.get("figures", "")) if x.strip()),
                             _evidence_text(progress), progress.get("difficulties", ""))))
    return tuple(rows)


def _target_rows(result: CollectResult) -> tuple[Row, ...]:
    rows: list[Row] = []
    for report in result.reports:
        if not report.targets:
            continue
        rows.append(Row((f"{report.unit_name} ({report.unit_code})",), "group"))
        for index, target in enumerate(report.targets, start=1):
            value = target.get("value")
            goal = target.get("goal_value")
            shown = target.get("value_text") or (percent(value) if value is not None else "")
            ratio = achievement(value, goal)
            rows.append(Row((str(index), target.get("content", ""), target.get("goal_text", ""), shown,
                             percent(ratio) if ratio is not None else "")))
    return tuple(rows)


def consolidated_summary(result: CollectResult) -> str:
    words = period_phrase(result.period_kind, result.start_year, result.end_year, result.period_code)
    return f"Tổng hợp tình hình báo cáo của các đơn vị kỳ {words}"


def build_consolidated_document(result: CollectResult, dept: DepartmentInfo | None,
                                detail_limit: int | None = None) -> AdminDocument:
    """Letterhead of the receiving office (blank lines to fill in when this database has none), body, four biểu.

    Biểu 03 lists every task of every unit, unless there are more than `detail_limit` of them (a printed
    document for a province): then it lists the late tasks, and the XLSX made without a limit has them all.
    """
    year = result.today.year
    if dept is not None:
        letterhead = Letterhead(dept.parent_agency, dept.name, document_number("", "BC", dept.abbreviation),
                                date_line(dept.place_name, None, result.today))
        sender, signature = dept.name_in_text, Signature(dept.signer_authority, dept.signer_title, dept.signer_name)
        keep = f"Lưu: VT, {dept.abbreviation}."
    else:
        letterhead = Letterhead("", "", "Số:        /BC", date_line("……………", None, result.today))
        sender, signature, keep = "", Signature("", "", ""), "Lưu: VT."
    summary = consolidated_summary(result)
    note = (f"(Kèm theo Báo cáo số {number_only(letterhead.number_line)} ngày      /     /{year}"
            + (f" của {sender})" if sender else ")"))
    detailed = detail_limit is None or sum(len(r.tasks) for r in result.reports) <= detail_limit
    if detailed:
        tasks = Appendix("Biểu 03", "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO ĐƠN VỊ", note, TASK_COLUMNS,
                         _task_rows(result), landscape=True, sheet_name="Bieu03_NhiemVu")
    else:
        tasks = Appendix("Biểu 03", "BIỂU TỔNG HỢP NHIỆM VỤ CHẬM TIẾN ĐỘ CỦA CÁC ĐƠN VỊ", note, LATE_COLUMNS,
                         _late_rows(result), landscape=True, sheet_name="Bieu03_NhiemVuCham")
    appendices = [
        Appendix("Biểu 01", "BIỂU TỔNG HỢP TÌNH HÌNH GỬI BÁO CÁO", note, STATUS_COLUMNS, _status_rows(result),
                 landscape=True, sheet_name="Bieu01_GuiBaoCao"),
        Appendix("Biểu 02", "BIỂU TỔNG HỢP SỐ LIỆU KẾT QUẢ THỰC HIỆN NHIỆM VỤ CỦA TỪNG ĐƠN VỊ", note, UNIT_COLUMNS,
                 _unit_rows(result), landscape=True, sheet_name="Bieu02_TheoDonVi"),
        tasks,
    ]
    targets = _target_rows(result)
    if targets:
        appendices.append(Appendix("Biểu 04", "BIỂU TỔNG HỢP KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU THEO ĐƠN VỊ", note,
                                   TARGET_COLUMNS, targets, landscape=False, sheet_name="Bieu04_ChiTieu"))
    return AdminDocument(
        letterhead=letterhead, doc_type="BÁO CÁO", summary=summary, body=tuple(_body(result, sender, detailed)),
        recipients=("Lãnh đạo cơ quan (để báo cáo);", "Các đơn vị gửi báo cáo;", keep), signature=signature,
        appendices=tuple(appendices), title=summary, author=sender or "KHBC",
        extra={"period_code": result.period_code})
