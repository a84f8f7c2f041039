"""Helpers for the plan package tests: an upper level with the sample plan, lower units, database dumps."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from desktop.services import profile
from desktop.services.setup import initialise
from desktop.services.workspace import Workspace

LOWER_PROFILE = dict(parent_agency="SỞ XÂY DỰNG", name="VĂN PHÒNG SỞ", name_in_text="Văn phòng Sở",
                     abbreviation="VP", unit_code="DLK-SXD-VP", place_name="Đắk Lắk")


def upper_database(folder: Path) -> Path:
    """The Sở with the sample plan (the upper level of these tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "upper.sqlite3"
    initialise(str(db), sample=True)
    return db


def lower_database(folder: Path, name: str = "lower", department: dict | None = None) -> Path:
    """An empty database of a lower unit whose profile says who it is (Văn phòng Sở by default)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / f"{name}.sqlite3"
    workspace = Workspace.open(db)
    try:
        with workspace.unit_of_work() as session:
            profile.save_department(session, **(department or LOWER_PROFILE))
    finally:
        workspace.close()
    return db


def dump(db: Path) -> str:
    """Every row and every schema object of the database, as SQL text: equal dumps, equal databases."""
    conn = sqlite3.connect(db)
    try:
        return "\n".join(conn.iterdump())
    finally:
        conn.close()


def rows(db: Path, sql: str, *params) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def current_plan_tasks(db: Path) -> list[tuple]:
    """(number, content, lead, upper_uid, upper_state) of the newest plan's tasks, in order."""
    return rows(db, "SELECT t.number, t.content, u.name, t.upper_uid, t.upper_state FROM task t "
                    "LEFT JOIN unit u ON u.id = t.lead_unit_id "
                    "WHERE t.plan_id = (SELECT id FROM plan ORDER BY created_at DESC, id DESC LIMIT 1) "
                    "ORDER BY t.position")
