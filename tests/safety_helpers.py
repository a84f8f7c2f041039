"""Helpers for the data-safety tests: read a database file directly, damage it, fingerprint its content."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

CONTENT_TABLES = ("department", "unit", "plan", "target", "target_figure", "task_group", "task",
                  "task_cooperating_unit", "period", "progress", "evidence", "report", "export", "audit_entry",
                  "setting", "expected_unit", "submission", "alembic_version")


def query(path: Path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def scalar(path: Path, sql: str, *params):
    rows = query(path, sql, *params)
    return rows[0][0] if rows else None


def integrity(path: Path) -> list[str]:
    try:
        return [r[0] for r in query(path, "PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]


def fingerprint(path: Path) -> str:
    """A hash of every row of every KHBC table: equal fingerprints mean equal data, whatever the file layout."""
    digest = hashlib.sha256()
    conn = sqlite3.connect(path)
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        for table in CONTENT_TABLES:
            if table not in names:
                continue
            digest.update(table.encode())
            for row in sorted(repr(r) for r in conn.execute(f"SELECT * FROM {table}")):
                digest.update(row.encode())
    finally:
        conn.close()
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage(path: Path, table: str = "task") -> None:
    """Overwrite the b-tree header of `table`'s root page, as a torn write on a failing disk would."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    finally:
        conn.close()
    with open(path, "r+b") as handle:
        handle.seek(page_size * (root - 1))
        handle.write(b"\x0d\xff\xff\xff\xff\xff\xff\xff")


def task_results(path: Path, period_code: str = "2026") -> dict[str, str]:
    return dict(query(path, "SELECT t.number, p.result FROM progress p JOIN task t ON t.id = p.task_id "
                            "JOIN period d ON d.id = p.period_id WHERE d.code = ?", period_code))
