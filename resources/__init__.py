"""Data files shipped with KHBC (the sample plan, the package schema) and the way to find them."""

from __future__ import annotations

from pathlib import Path

RESOURCES_DIR = Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """The path of a shipped resource file, e.g. resource_path("sample", "sample_plan.json")."""
    return RESOURCES_DIR.joinpath(*parts)
