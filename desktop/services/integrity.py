"""Checking a database file: SQLite integrity, foreign keys and schema revision, reported in plain Vietnamese."""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass, field
from pathlib import Path

from db.engine import sqlite_file
from db.readonly import cannot_write
from desktop.errors import NotFoundError
from desktop.services.backup import BackupRow, newest_good_backup
from desktop.services.locations import resolve_database
from desktop.services.sqlite_files import connect_file, environment_failure, integrity_rows, stored_revision

TABLE_LABELS = {
    "department": "cơ quan", "unit": "đơn vị", "plan": "kế hoạch", "target": "chỉ tiêu",
    "target_figure": "kết quả chỉ tiêu", "task_group": "nhóm nhiệm vụ", "task": "nhiệm vụ",
    "task_cooperating_unit": "đơn vị phối hợp", "period": "kỳ báo cáo", "progress": "kết quả thực hiện",
    "evidence": "minh chứng", "report": "báo cáo", "export": "gói đã xuất", "audit_entry": "nhật ký thay đổi",
    "setting": "cài đặt", "expected_unit": "đơn vị phải báo cáo", "submission": "gói đã nhận",
}
MAX_DETAILS = 5


def foreign_key_problems(conn: sqlite3.Connection) -> list[str]:
    """PRAGMA foreign_key_check, one Vietnamese line per broken reference."""
    try:
        rows = conn.execute("PRAGMA foreign_key_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return [f"không kiểm tra được liên kết giữa các bảng ({exc})"]
    return [f"mục {TABLE_LABELS.get(table, table)} (bảng {table}, dòng {rowid}) trỏ tới "
            f"{TABLE_LABELS.get(parent, parent)} (bảng {parent}) không còn tồn tại" for table, rowid, parent, _ in rows]


@dataclass
class CheckReport:
    """The outcome of `khbc check`: what was checked, what is wrong (Vietnamese), what to do."""

    location: str
    problems: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # SQLite's own words, for a technician
    revision: str | None = None
    seconds: float = 0.0
    suggestion: BackupRow | None = None  # the newest good backup when damaged

    @property
    def ok(self) -> bool:
        return not self.problems

    def clerk_summary(self) -> str:
        """The result in a clerk's words (the technical figures stay in `summary()`, for `khbc check`)."""
        if self.ok:
            return ("Dữ liệu toàn vẹn, không có lỗi: KHBC đã đọc lại toàn bộ kế hoạch, nhiệm vụ và kết quả, "
                    "không thấy chỗ nào hỏng hay thiếu.")
        return self.summary()

    def summary(self) -> str:
        if self.ok:
            return (f"Dữ liệu {self.location} toàn vẹn: không có lỗi cấu trúc, liên kết giữa các bảng đầy đủ "
                    f"(phiên bản cấu trúc {self.revision}; kiểm tra mất {self.seconds:.2f} giây).")
        text = f"Dữ liệu {self.location} có {len(self.problems)} vấn đề."
        if self.suggestion is not None:
            text += (f" Bản sao lưu tốt gần nhất: {self.suggestion.path} (lúc "
                     f"{self.suggestion.created_at.strftime('%H:%M ngày %d/%m/%Y')}); khôi phục bằng lệnh: "
                     f"khbc restore \"{self.suggestion.path}\".")
        return text


def _integrity_of(path: Path, quick: bool) -> tuple[sqlite3.Connection, list[str]]:
    """Open the file and run the integrity check; where the file or disk cannot be written (or is full), read it
    read-only instead. An error that is not about the file's content is raised, never reported as damage."""
    first: sqlite3.Error | None = None
    if not cannot_write(path):
        conn = None
        try:
            conn = connect_file(path)
            return conn, integrity_rows(conn, quick)
        except sqlite3.OperationalError as exc:
            if conn is not None:
                conn.close()
            first = exc
    try:
        conn = connect_file(path, readonly=True)
    except sqlite3.Error as exc:
        raise environment_failure(first or exc, path, "Không kiểm tra được") from exc
    try:
        return conn, integrity_rows(conn, quick)
    except sqlite3.OperationalError as exc:
        conn.close()
        raise environment_failure(first or exc, path, "Không kiểm tra được") from exc


def _check_sqlite(path: Path, quick: bool) -> CheckReport:
    report = CheckReport(str(path))
    if not path.is_file():
        raise NotFoundError(f"Không có tệp dữ liệu {path}. Hãy kiểm tra đường dẫn (--db) hoặc chạy \"khbc init\".")
    start = time.perf_counter()
    conn, rows = _integrity_of(path, quick)
    try:
        if rows:
            report.problems.append(f"kiểm tra toàn vẹn của SQLite phát hiện {len(rows)} lỗi: tệp đã bị hỏng "
                                   "(thường do mất điện hoặc ổ đĩa lỗi)")
            report.details += rows[:MAX_DETAILS]
        else:
            report.problems += foreign_key_problems(conn)
            report.revision = stored_revision(conn)
            has_tables = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
            if report.revision is None and has_tables:
                report.problems.append("tệp không có thông tin phiên bản cấu trúc: không phải dữ liệu KHBC")
            elif report.revision is None:
                report.problems.append("tệp dữ liệu còn trống (chưa được khởi tạo bằng \"khbc init\")")
    finally:
        conn.close()
    report.seconds = time.perf_counter() - start
    if not report.ok:
        report.suggestion = newest_good_backup(path)
    return report


def _check_server(url: str) -> CheckReport:
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    from db.engine import display_url, explain_failure, make_engine

    report = CheckReport(display_url(url))
    start = time.perf_counter()
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            report.revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except OperationalError as exc:  # not reached: that says nothing about the data, so it is no finding on it
        raise explain_failure(exc, url, "Không kiểm tra được") from exc
    except SQLAlchemyError as exc:
        report.problems.append("trên máy chủ không có bảng phiên bản cấu trúc: chưa khởi tạo bằng \"khbc init\" "
                               f"hoặc không phải dữ liệu KHBC ({type(getattr(exc, 'orig', None) or exc).__name__})")
    finally:
        engine.dispose()
    report.seconds = time.perf_counter() - start
    return report  # a server enforces foreign keys itself and has its own integrity tools


def check_database(target: str | os.PathLike | None = None, quick: bool = False) -> CheckReport:
    """Check the database (`khbc check`): integrity (or quick_check), foreign keys, schema revision."""
    location = resolve_database(target)
    path = sqlite_file(location)
    if path is None:
        return _check_server(location)
    return _check_sqlite(path, quick)
