"""Every change the program makes, named once: what it is called, which service runs it, what data it changes."""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


class Change(enum.Enum):
    """A kind of data a page shows; an operation announces the kinds it changed, the pages showing them reload."""

    PROFILE = "đơn vị và danh sách đơn vị"
    PLAN = "kế hoạch"
    TASKS = "phụ lục nhiệm vụ"
    PROGRESS = "kết quả thực hiện"
    TARGETS = "chỉ tiêu"
    REPORT = "báo cáo"
    EXPORTS = "gói báo cáo đã xuất"
    SUBMISSIONS = "gói báo cáo đã nhận"
    SETTINGS = "cài đặt"
    BACKUPS = "bản sao lưu"


class Takes(enum.Enum):
    """What the service takes first: a session the caller's unit of work opened, or the workspace (it opens its own)."""

    SESSION = "session"
    WORKSPACE = "workspace"


@dataclass(frozen=True)
class Operation:
    """One thing the user can do. `service` is "module:function", imported only when the operation first runs,
    so naming operations costs nothing at start-up."""

    name: str  # Vietnamese verb phrase: "lưu kết quả thực hiện"
    service: str
    changes: frozenset[Change]
    takes: Takes = Takes.SESSION
    slow: bool = False  # runs away from the window's thread, with a progress indication
    exclusive: bool = False  # slow, and nothing else may read or run meanwhile: the window waits, unanswering

    def function(self) -> Callable[..., Any]:
        module, _, attribute = self.service.partition(":")
        return getattr(importlib.import_module(module), attribute)

    @property
    def progress_text(self) -> str:
        return f"Đang {self.name}…"

    @property
    def failure_text(self) -> str:
        """What the clerk reads when the service fails in a way it did not foresee (its details go to the log)."""
        return f"Không {self.name} được do lỗi không lường trước; dữ liệu đã lưu trước đó không bị thay đổi."


def _op(name: str, service: str, *changes: Change, takes: Takes = Takes.SESSION, slow: bool = False) -> Operation:
    return Operation(name, "desktop.services." + service, frozenset(changes), takes, slow)


C, W = Change, Takes.WORKSPACE
EVERYTHING = frozenset(Change)

# --- phụ lục nhiệm vụ ---------------------------------------------------------------------------------
UPDATE_TASK = _op("sửa nhiệm vụ", "appendix:update_task", C.TASKS, C.PROGRESS)
ADD_TASK = _op("thêm nhiệm vụ", "appendix:add_task", C.TASKS, C.PROGRESS)
RESTORE_TASK = _op("khôi phục nhiệm vụ", "appendix:restore_task", C.TASKS, C.PROGRESS)
DELETE_TASK = _op("xóa nhiệm vụ", "appendix:delete_task", C.TASKS, C.PROGRESS)
MOVE_TASK = _op("chuyển nhiệm vụ", "appendix:move_task", C.TASKS)
ADD_GROUP = _op("thêm nhóm nhiệm vụ", "appendix:add_group", C.TASKS)
IMPORT_TASKS = _op("nhập nhiệm vụ", "task_import:apply_import", C.TASKS, C.PROFILE)

# --- kết quả thực hiện và chỉ tiêu ------------------------------------------------------------------
SAVE_PROGRESS = _op("lưu kết quả thực hiện", "ui_support:save_progress", C.PROGRESS)
RECORD_PROGRESS = _op("ghi kết quả thực hiện", "progress:record_progress", C.PROGRESS)
COPY_PREVIOUS_PROGRESS = _op("sao chép kết quả kỳ trước", "progress:copy_from_previous", C.PROGRESS)
RECORD_TARGET_FIGURE = _op("ghi kết quả chỉ tiêu", "progress:record_target_figure", C.TARGETS)
STORE_ATTACHMENT = _op("lưu tệp minh chứng", "ui_support:store_attachment", takes=W, slow=True)  # a scan: MBs

# --- kế hoạch, đơn vị, cài đặt ------------------------------------------------------------------------
SAVE_PLAN = _op("lưu kế hoạch", "profile:save_plan", C.PLAN, C.TASKS)
SAVE_TARGET = _op("lưu chỉ tiêu", "profile:save_target", C.TARGETS)
DELETE_TARGET = _op("xóa chỉ tiêu", "profile:delete_target", C.TARGETS)
WRITE_PLAN_FILE = _op("in kế hoạch ra tệp", "documents:write_plan_document", takes=W, slow=True)
SAVE_DEPARTMENT = _op("lưu thông tin đơn vị", "profile:save_department", C.PROFILE)
ADD_UNIT = _op("thêm đơn vị", "profile:add_unit", C.PROFILE, C.TASKS)
UPDATE_UNIT = _op("sửa đơn vị", "profile:update_unit", C.PROFILE, C.TASKS)
DELETE_UNIT = _op("xóa đơn vị", "profile:delete_unit", C.PROFILE, C.TASKS)
SET_USER_NAME = _op("lưu tên người dùng", "profile:set_user_name", C.SETTINGS)
SET_REPORT_FONT = _op("lưu phông chữ báo cáo", "profile:set_report_font", C.SETTINGS)
SAVE_SIGNING_SETTINGS = _op("lưu cấu hình ký số", "signing:save_settings", C.SETTINGS, takes=W)

# --- báo cáo, ký số, gửi ------------------------------------------------------------------------------
SAVE_REPORT = _op("lưu báo cáo", "documents:save_report", C.REPORT)
DRAFT_REPORT = _op("soạn báo cáo tự động", "documents:draft_report", C.REPORT, slow=True)
WRITE_REPORT_FILE = _op("lưu báo cáo thành tệp", "documents:write_report", takes=W, slow=True)
SIGN_REPORT = _op("ký số báo cáo", "signing:sign_report", C.REPORT, takes=W, slow=True)
EXPORT_FOR_SIGNING = _op("xuất bản để ký", "signing:export_for_outside_signing", takes=W, slow=True)
ATTACH_SIGNED = _op("gắn bản đã ký", "signing:attach_signed", C.REPORT, takes=W, slow=True)
EXPORT_PACKAGE = _op("tạo gói báo cáo", "bundles:export_package", C.EXPORTS, C.REPORT, C.PROGRESS, takes=W,
                     slow=True)
REOPEN_PERIOD = _op("mở lại kỳ báo cáo", "bundles:reopen_period", C.EXPORTS, C.REPORT, C.PROGRESS, takes=W)

# --- kế hoạch của cấp trên (gói kế hoạch) ------------------------------------------------------------------
EXPORT_PLAN_PACKAGE = _op("xuất gói kế hoạch gửi cấp dưới", "plan_send:export_plan_package", C.PLAN, takes=W,
                          slow=True)
# A plan from the level above may change the profile, the plan, its tasks, periods and targets at once.
IMPORT_PLAN_PACKAGE = Operation("nhập kế hoạch cấp trên", "desktop.services.plan_receive:import_plan_package",
                                EVERYTHING, W, slow=True)
# Checks the package (hashes, schema) and compares it with the plan here; writes nothing.
PREVIEW_PLAN_PACKAGE = _op("đọc gói kế hoạch", "plan_receive:preview_plan_import", takes=W, slow=True)

# --- tổng hợp (nơi nhận) --------------------------------------------------------------------------------
IMPORT_PACKAGES = _op("nhập gói báo cáo", "bundles:import_bundles", C.SUBMISSIONS, takes=W, slow=True)
SET_EXPECTED_UNIT = _op("thêm đơn vị phải báo cáo", "collect:set_expected_unit", C.SUBMISSIONS, takes=W)
REMOVE_EXPECTED_UNIT = _op("bỏ đơn vị phải báo cáo", "collect:remove_expected_unit", C.SUBMISSIONS, takes=W)
WRITE_COLLECT_FILE = _op("xuất bảng tổng hợp", "collect:write_collect", takes=W, slow=True)
# Writes the letter and notes it in the history, which no page shows.
WRITE_REMINDER_LETTER = _op("ghi công văn đôn đốc", "reminders:write_reminder", takes=W, slow=True)
REVIEW_SUBMISSION = _op("tiếp nhận hoặc trả lại báo cáo", "review:review_submission", C.SUBMISSIONS, takes=W)
IMPORT_RECEIPT = _op("nhập biên nhận của cấp trên", "review:import_receipt", C.EXPORTS, C.REPORT, C.PROGRESS,
                     takes=W)

# --- dữ liệu ----------------------------------------------------------------------------------------------
MAKE_BACKUP = _op("sao lưu dữ liệu", "backup:make_backup", C.BACKUPS, takes=W, slow=True)
# Restoring swaps the database file under the open workspace: it runs on a worker (it may wait seconds for
# another program to let go of the file) while the window takes no input and nothing reads; every page reloads after.
RESTORE_BACKUP = Operation("khôi phục dữ liệu", "desktop.services.restore:restore_into_workspace",
                           EVERYTHING, W, slow=True, exclusive=True)
EXPORT_AUDIT_FILE = _op("xuất nhật ký thay đổi ra Excel", "audit_log:export_audit_xlsx", takes=W, slow=True)

OPERATIONS: tuple[Operation, ...] = tuple(value for value in globals().values() if isinstance(value, Operation))
