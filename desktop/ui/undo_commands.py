"""Undoable edits (Ctrl+Z / Ctrl+Y): each redo and undo runs an operation through DataBus.run."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from desktop.services import operations as ops
from desktop.services.operations import Operation
from desktop.ui.bus import DataBus


class TaskIds:
    """Follows a task through delete and undo: a restored task comes back under a new id."""

    def __init__(self):
        self._renamed: dict[int, int] = {}

    def resolve(self, task_id: int) -> int:
        while task_id in self._renamed:
            task_id = self._renamed[task_id]
        return task_id

    def renamed(self, old: int, new: int) -> None:
        if old != new:
            self._renamed[old] = new


class _Command(QUndoCommand):
    """A command whose failed step is dropped from the stack (the user has seen why in the error dialog)."""

    def __init__(self, bus: DataBus, ids: TaskIds, text: str, select: Callable[[int], None] | None = None):
        super().__init__(text)
        self.bus = bus
        self.ids = ids
        self.select = select or (lambda _task_id: None)

    def _write(self, operation: Operation, *args: Any, **kwargs: Any) -> Any:
        ok, result = self.bus.run(operation, *args, **kwargs)
        if not ok:
            self.setObsolete(True)
            return None
        return result


class EditTaskCommand(_Command):
    """Change some fields of one task (`new`), putting `old` back on undo."""

    def __init__(self, bus, ids, task_id: int, new: dict, old: dict, text: str, select=None):
        super().__init__(bus, ids, text, select)
        self.task_id, self.new, self.old = task_id, new, old

    def _apply(self, fields: dict) -> None:
        task_id = self.ids.resolve(self.task_id)
        self.select(task_id)
        self._write(ops.UPDATE_TASK, task_id, **fields)

    def redo(self) -> None:
        self._apply(self.new)

    def undo(self) -> None:
        self._apply(self.old)


class AddTaskCommand(_Command):
    """A new task after another (or at the end); undo deletes it, redo puts the same task back."""

    def __init__(self, bus, ids, content: str, after_task_id: int | None, fields: dict, select=None):
        super().__init__(bus, ids, "Thêm nhiệm vụ", select)
        self.content, self.after_task_id, self.fields = content, after_task_id, fields
        self.task_id: int | None = None
        self.snapshot: dict | None = None

    def redo(self) -> None:
        if self.snapshot is None:
            after = self.ids.resolve(self.after_task_id) if self.after_task_id is not None else None
            new_id = self._write(ops.ADD_TASK, self.content, after_task_id=after, **self.fields)
        else:
            new_id = self._write(ops.RESTORE_TASK, self.snapshot)
            if new_id is not None and self.task_id is not None:
                self.ids.renamed(self.task_id, new_id)
        if new_id is not None:
            self.task_id = new_id
            self.select(new_id)

    def undo(self) -> None:
        self.snapshot = self._write(ops.DELETE_TASK, self.ids.resolve(self.task_id))


class DeleteTaskCommand(_Command):
    """Delete a task with its progress; undo restores it at its place from the snapshot."""

    def __init__(self, bus, ids, task_id: int, number: str, select=None):
        super().__init__(bus, ids, f"Xóa nhiệm vụ {number}", select)
        self.task_id = task_id
        self.snapshot: dict | None = None

    def redo(self) -> None:
        self.snapshot = self._write(ops.DELETE_TASK, self.ids.resolve(self.task_id))

    def undo(self) -> None:
        if self.snapshot is None:
            return
        new_id = self._write(ops.RESTORE_TASK, self.snapshot)
        if new_id is not None:
            self.ids.renamed(self.task_id, new_id)
            self.task_id = new_id
            self.select(new_id)


class MoveTaskCommand(_Command):
    """Move a task up (offset < 0) or down; the appendix is renumbered by the service."""

    def __init__(self, bus, ids, task_id: int, offset: int, select=None):
        super().__init__(bus, ids, "Chuyển nhiệm vụ lên" if offset < 0 else "Chuyển nhiệm vụ xuống", select)
        self.task_id, self.offset = task_id, offset

    def _move(self, offset: int) -> None:
        task_id = self.ids.resolve(self.task_id)
        self.select(task_id)
        self._write(ops.MOVE_TASK, task_id, offset)

    def redo(self) -> None:
        self._move(self.offset)

    def undo(self) -> None:
        self._move(-self.offset)


class TargetFigureCommand(QUndoCommand):
    """The figure a target reached in a period ("Kết quả kỳ này")."""

    def __init__(self, bus: DataBus, period_code: str, position: int, new: str, old: str):
        super().__init__(f"Sửa kết quả chỉ tiêu {position}")
        self.bus, self.period_code, self.position, self.new, self.old = bus, period_code, position, new, old

    def _set(self, value: str) -> None:
        ok, _ = self.bus.run(ops.RECORD_TARGET_FIGURE, self.period_code, self.position, value)
        if not ok:
            self.setObsolete(True)

    def redo(self) -> None:
        self._set(self.new)

    def undo(self) -> None:
        self._set(self.old)
