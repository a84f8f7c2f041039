"""The plan's report outline (đề cương): read it, export it to a JSON file, import one (validated) from a file."""

from __future__ import annotations

import json
from pathlib import Path

from desktop.domain.outline import MAX_BYTES, ReportOutline, load_outline, outline_to_json
from desktop.errors import InvalidInputError
from desktop.fileio import atomic_path
from desktop.services import audit
from desktop.services.queries import current_plan
from desktop.services.workspace import Workspace


def plan_outline(workspace: Workspace) -> ReportOutline:
    """The outline the current plan's reports follow (its own, else the default I–V)."""
    with workspace.unit_of_work() as session:
        return load_outline(current_plan(session).outline)


def export_outline(workspace: Workspace, path: str | Path) -> Path:
    """Write the current plan's outline as JSON (the default one when the plan has none of its own)."""
    outline = plan_outline(workspace)
    target = Path(path)
    with atomic_path(target) as tmp:
        Path(tmp).write_text(json.dumps(outline_to_json(outline), ensure_ascii=False, indent=2) + "\n",
                             encoding="utf-8")
    return target


def read_outline_file(path: str | Path) -> dict:
    """The JSON object of an outline file; every failure is a Vietnamese message, nothing is stored."""
    source = Path(path)
    try:
        if source.stat().st_size > MAX_BYTES:
            raise InvalidInputError(f"Tệp đề cương “{source.name}” quá lớn (tối đa {MAX_BYTES // 1024} KB).")
        data = json.loads(source.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise InvalidInputError(f"Không tìm thấy tệp đề cương “{source}”.") from None
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InvalidInputError(f"Tệp “{source.name}” không phải tệp JSON đề cương báo cáo (UTF-8).") from None
    except OSError as exc:
        from desktop.errors import os_error_message

        raise InvalidInputError(os_error_message(exc)) from None
    return data


def import_outline(workspace: Workspace, path: str | Path | None) -> ReportOutline:
    """Store an outline (from a file; None: back to the default) with the current plan after validating it."""
    data = read_outline_file(path) if path is not None else None
    outline = load_outline(data)  # refuses before anything is written
    with workspace.unit_of_work() as session:
        plan = current_plan(session)
        stored = outline_to_json(outline) if data is not None else None
        audit.apply_changes(session, plan, "plan", {"outline": stored})
    return outline
