"""Shared helpers for the task-import tests: where the seed texts are, and small builders."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED_NAMES = ("ke-hoach-so-xay-dung-dak-lak-2026.txt", "ke-hoach-thai-nguyen-2026.txt", "cong-van-dak-nong-2024.txt")


def seed_path(name: str) -> Path:
    """The seed text: the copy kept with the tests, else the shared one beside the repository."""
    local = HERE / "fixtures" / "seeds" / name
    if local.exists():
        return local
    return HERE.parents[1] / "shared" / "seeds" / name


def seed_text(name: str) -> str:
    return seed_path(name).read_text(encoding="utf-8")


def by_number(tasks) -> dict:
    return {t.number: t for t in tasks}
