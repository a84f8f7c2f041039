"""One way to run an operation: declared changes, subscriptions that can be satisfied, slow work off the window's
thread, a responsive report preview, and a page refresh in one read transaction."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
import re
import time
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QThread, QTimer
from sqlalchemy import event

from desktop.services import operations as ops
from desktop.services.operations import Change, Operation, Takes
from tests.ui_support import host, quiet_bus, run_operation

ROOT = Path(__file__).resolve().parent.parent
UI = ROOT / "desktop" / "ui"


def _sources(*folders: Path):
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            yield path, path.read_text(encoding="utf-8")


def _pages():
    """Every Page subclass of the program (all modules under desktop/ui/pages imported)."""
    import desktop.ui.pages as package
    from desktop.ui.pages.base import Page

    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"desktop.ui.pages.{info.name}")
    found, todo = [], list(Page.__subclasses__())
    while todo:
        page = todo.pop()
        found.append(page)
        todo.extend(page.__subclasses__())
    return found


def unproducible(pages, operations) -> dict[str, set[Change]]:
    """The changes a page listens for that no operation declares: such a page would never refresh."""
    produced = set().union(*(operation.changes for operation in operations))
    return {page.__name__: set(page.changes) - produced for page in pages if set(page.changes) - produced}


# --- the rules, checked on the source ------------------------------------------------------------------
def test_no_change_is_announced_by_hand_outside_the_bus():
    needle = re.compile(r"bus\.changed\.emit|\bchanged\.emit\((\"|')")  # also a topic string, as pages once did
    offenders = [str(path.relative_to(ROOT)) for path, text in _sources(ROOT / "desktop", ROOT / "tests")
                 if needle.search(text) and path != UI / "bus.py"]
    assert offenders == []


def test_pages_subscribe_only_through_their_declared_changes():
    needle = re.compile(r"bus\.changed\.connect")
    offenders = [str(path.relative_to(ROOT)) for path, text in _sources(ROOT / "desktop")
                 if needle.search(text) and path != UI / "pages" / "base.py"]
    assert offenders == []
    for page in _pages():
        assert page.changes and all(isinstance(change, Change) for change in page.changes), page.__name__


def test_every_write_of_the_ui_runs_a_declared_operation():
    """`bus.run(ops.NAME, …)` with NAME one of the operations (or a helper's `operation` parameter, itself given an
    `ops.NAME`); the old `bus.write(topics, …)` is gone."""
    declared = {name for name, value in vars(ops).items() if isinstance(value, Operation)}
    calls, wrong = 0, []
    for path, text in _sources(UI):
        assert "bus.write(" not in text, path
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Attribute) and ast.unparse(node.value) == "ops" and node.attr not in declared:
                wrong.append(f"{path.name}:{node.lineno} ops.{node.attr}")
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "run" \
                    and ast.unparse(node.func.value).endswith("bus"):
                calls += 1
                first = ast.unparse(node.args[0]) if node.args else ""
                if not (first.startswith("ops.") or first == "operation"):
                    wrong.append(f"{path.name}:{node.lineno} {first}")
    assert wrong == [] and calls >= 30


def test_every_operation_names_a_service_that_takes_what_it_says():
    assert len(ops.OPERATIONS) == len({op.service for op in ops.OPERATIONS})
    for operation in ops.OPERATIONS:
        first = next(iter(inspect.signature(operation.function()).parameters))
        expected = ("session",) if operation.takes is Takes.SESSION else ("workspace", "target")
        assert first in expected, (operation.service, first)
        assert operation.name == operation.name.strip() and operation.name[0].islower(), operation.name
        assert operation.progress_text.startswith("Đang ")


def test_every_change_a_page_listens_for_is_produced_by_some_operation():
    pages = _pages()
    assert len(pages) >= 8
    assert unproducible(pages, ops.OPERATIONS) == {}
    # The check itself bites: without the operations that change submissions, the Tổng hợp page (and the units'
    # reports shown under each task on Cập nhật kết quả) would never reload.
    without = [op for op in ops.OPERATIONS if Change.SUBMISSIONS not in op.changes]
    assert unproducible(pages, without) == {"CollectPage": {Change.SUBMISSIONS}, "ProgressPage": {Change.SUBMISSIONS}}


# --- running operations ---------------------------------------------------------------------------------------
def test_a_fast_operation_announces_its_changes_once_and_the_pages_reload(qtbot, sample_workspace, tmp_path):
    from desktop.services.ui_overview import send_state
    from desktop.ui.pages.send_page import SendPage

    bus = quiet_bus(sample_workspace)
    page = SendPage(bus)
    host(qtbot, page)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))
    assert run_operation(qtbot, bus, ops.EXPORT_PACKAGE, "2026", tmp_path)[0]
    assert page.state.sent and page.reopen_button.isEnabled()
    announced = []
    bus.changed.connect(announced.append)
    assert page.reopen("Bổ sung số liệu chỉ tiêu")
    assert announced == [ops.REOPEN_PERIOD.changes]  # one announcement per operation, as a set of Change
    assert not bus.read(send_state, "2026").sent and not page.state.sent  # the page reloaded on its own
    assert page.export_button.isEnabled()


def test_a_slow_operation_runs_on_a_worker_and_its_failure_is_explained(qtbot, sample_workspace, tmp_path,
                                                                        monkeypatch):
    from desktop.services import documents

    bus = quiet_bus(sample_workspace)
    threads, ended, callback_threads = [], [], []
    real = documents.write_report

    def remember_thread(*args, **kwargs):
        threads.append(QThread.currentThread())
        return real(*args, **kwargs)

    monkeypatch.setattr(documents, "write_report", remember_thread)  # the operation finds its service when it runs
    with qtbot.waitSignal(bus.finished, timeout=60_000):
        outcome = bus.run(ops.WRITE_REPORT_FILE, "2026", "pdf", tmp_path / "bc.pdf", date(2026, 11, 22),
                          on_success=lambda path: (ended.append(path), callback_threads.append(QThread.currentThread())))
        assert outcome.pending and outcome.worker is not None and bus.running_operations() == 1
    assert threads and threads[0] is not QThread.currentThread()  # not the window's thread
    assert callback_threads == [QThread.currentThread()]  # but the page hears of the end on its own thread
    assert ended == [tmp_path / "bc.pdf"] and (tmp_path / "bc.pdf").read_bytes().startswith(b"%PDF")
    assert bus.running_operations() == 0

    not_a_folder = tmp_path / "tep.txt"
    not_a_folder.write_text("x")
    ok, message = run_operation(qtbot, bus, ops.EXPORT_PACKAGE, "2026", not_a_folder)
    assert not ok and message and "Traceback" not in message
    from desktop.services.bundles import list_exports

    assert list_exports(sample_workspace) == []  # nothing recorded


def test_the_main_window_shows_progress_while_a_slow_operation_runs(qtbot, sample_workspace, tmp_path):
    from PySide6.QtCore import QSettings

    from desktop.ui.main_window import MainWindow

    bus = quiet_bus(sample_workspace)
    window = MainWindow(QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.attach(bus)
    window.show()
    seen = []
    bus.started.connect(lambda text: seen.append((text, window.operation_bar.isVisible())))
    with qtbot.waitSignal(bus.finished, timeout=60_000):
        bus.run(ops.WRITE_REPORT_FILE, "2026", "pdf", tmp_path / "bc.pdf", date(2026, 11, 22))
        assert window.operation_bar.isVisible()
        assert window.statusBar().currentMessage() == "Đang lưu báo cáo thành tệp…"
    assert seen and not window.operation_bar.isVisible()


# --- the report preview stays responsive ---------------------------------------------------------------------
@pytest.fixture
def big_workspace(tmp_path):
    from tests.plan_generator import build_plan

    workspace = build_plan(tmp_path / "lon.sqlite3", 300)
    yield workspace
    workspace.close()


def test_the_window_keeps_working_while_a_300_task_preview_is_made(qtbot, big_workspace, monkeypatch):
    from desktop.services import clock
    from desktop.ui.pages.report_page import PREVIEW_TAB, ReportPage
    from tests.plan_generator import TODAY

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    page = ReportPage(quiet_bus(big_workspace))
    host(qtbot, page)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start()
    started = time.monotonic()
    with qtbot.waitSignal(page.preview_done, timeout=180_000) as done:
        page.tabs.setCurrentIndex(PREVIEW_TAB)
        assert time.monotonic() - started < 0.5  # the tab switch returns at once
    took = time.monotonic() - started
    timer.stop()
    pages = done.args[0]
    assert pages == page.preview.page_count() >= 10
    assert all(not label.pixmap().isNull() for label in page.preview.page_labels)
    # Before, the window froze for the whole preview (no tick for ~15 s here). Now the timer ticks all along; a
    # tick may come late while a C call of the worker holds the interpreter, never for long.
    gaps = [b - a for a, b in zip([started, *ticks], ticks)]
    assert len(ticks) >= took / 0.1 and max(gaps) < 2.0, (took, len(ticks), max(gaps))
    assert "KQ0300" in "".join(page.preview.document.getAllText(n).text() for n in range(pages))


# --- one refresh, one read ------------------------------------------------------------------------------------
def _transactions_of_one_refresh(page, workspace) -> int:
    begins = []
    engine = workspace.database.engine
    listener = lambda _connection: begins.append(1)  # noqa: E731
    event.listen(engine, "begin", listener)
    try:
        page.refresh()
    finally:
        event.remove(engine, "begin", listener)
    return len(begins)


def test_an_appendix_refresh_is_one_read_transaction(qtbot, sample_workspace):
    from desktop.ui.pages.appendix_page import AppendixPage

    page = AppendixPage(quiet_bus(sample_workspace))
    host(qtbot, page)
    assert _transactions_of_one_refresh(page, sample_workspace) == 1  # was five
    assert page.model.rowCount() == 9 and page.unit_filter.count() > 1 and page._years == (2026, 2030)


def test_a_progress_refresh_is_one_read_transaction(qtbot, sample_workspace):
    from desktop.ui.pages.progress_page import ProgressPage

    bus = quiet_bus(sample_workspace)
    assert bus.run(ops.RECORD_PROGRESS, "2026", "2", "in_progress", result="Đã in 500 tờ rơi.").ok
    page = ProgressPage(bus)
    host(qtbot, page)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))
    page.open_task(next(row.id for row in page._rows.values() if row.number == "2"))
    assert _transactions_of_one_refresh(page, sample_workspace) == 1  # was four
    assert page._code == "2026" and len(page._rows) == 9 and page.targets.model.rowCount() > 0
    assert page.editor.boxes["result"].toPlainText() == "Đã in 500 tờ rơi."  # the editor's task came in the same read


def test_a_settings_refresh_is_one_read_transaction(qtbot, sample_workspace):
    from desktop.ui.pages.settings_page import SettingsPage

    page = SettingsPage(quiet_bus(sample_workspace))
    host(qtbot, page)
    assert _transactions_of_one_refresh(page, sample_workspace) == 1  # was five
    assert page.fields["name"].text() == "SỞ XÂY DỰNG" and page.units_model.rowCount() > 1
    assert page.signing.kind.currentData() == "pkcs11"


# --- the remaining slow work of the window runs on a worker --------------------------------------------------
# `workspace_call` (desktop/ui/widgets.py) runs a Workspace service on the window's thread. These reads stay there:
# each is one short query of a few rows and writes nothing. Anything else goes through `bus.run`.
QUICK_WORKSPACE_READS = {
    "list_exports": "the packages this unit sent: one row per package",
    "list_receipts": "the receipts of those packages: one row each",
    "read_settings": "the signing settings: one row",
    "report_warnings": "the report's staleness and gaps: two counts over the period's tasks",
    "list_submissions": "the packages received: one row per unit and version",
    "review_states": "the review of each unit's current package: one row per unit",
    "list_expected_units": "the units that must report: one row each",
}
# Modules that may call a service themselves, with why.
OWN_UNIT_OF_WORK = {
    "first_run.py": "the first-run wizard stores profile, plan and tasks in one unit of work, before any bus exists",
    "first_run_upper.py": "its page of that wizard: part of the same unit of work",
}


def blocking_calls(text: str, name: str = "<source>") -> list[str]:
    """Where `text` makes the window wait on work that writes files or may take long: a busy cursor (`with busy()`
    or `setOverrideCursor`, which only hides a frozen window), `workspace_call` of a service not in
    QUICK_WORKSPACE_READS, or a direct call of an operation's service (it must be run with `bus.run`)."""
    services = {operation.service.rpartition(":")[2] for operation in ops.OPERATIONS}
    found = []
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.With):
            found += [f"{name}:{node.lineno} with {ast.unparse(item.context_expr)}" for item in node.items
                      if re.search(r"\bbusy\b", ast.unparse(item.context_expr))]
        if not isinstance(node, ast.Call):
            continue
        called = ast.unparse(node.func)
        if called.endswith("setOverrideCursor"):
            found.append(f"{name}:{node.lineno} {called}")
        if called == "workspace_call" and len(node.args) > 1 and ast.unparse(node.args[1]) not in QUICK_WORKSPACE_READS:
            found.append(f"{name}:{node.lineno} workspace_call({ast.unparse(node.args[1])})")
        if called.rpartition(".")[2] in services:
            found.append(f"{name}:{node.lineno} {called}()")
    return sorted(found, key=lambda call: int(call.split(" ", 1)[0].rpartition(":")[2]))


def test_no_busy_cursor_or_workspace_call_wraps_work_that_writes_files_or_takes_long():
    offenders = [call for path, text in _sources(UI) if path != UI / "bus.py"
                 for call in blocking_calls(text, str(path.relative_to(UI)))
                 if not (call.partition(":")[0] in OWN_UNIT_OF_WORK and call.endswith("()"))]
    assert offenders == []
    # The check bites on what the pages did before (the reminder letter, the restore, the history export).
    before = '''
with busy():
    written = workspace_call(self.bus, write_reminder, code, fmt, path, clock.today())
with busy():
    ok, _ = self.bus.run(ops.RESTORE_BACKUP, row.path)
path = export_audit_xlsx(self.workspace, chosen[0], self.entity, self.entity_id)
QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
rows = workspace_call(self.bus, list_exports, default=[])
'''
    assert [call.split(" ", 1)[1] for call in blocking_calls(before)] == [
        "with busy()", "workspace_call(write_reminder)", "with busy()", "export_audit_xlsx()",
        "QApplication.setOverrideCursor"]
    assert all(op.slow for op in ops.OPERATIONS if op.exclusive)
    assert all(op.slow for op in (ops.RESTORE_BACKUP, ops.EXPORT_FOR_SIGNING, ops.ATTACH_SIGNED, ops.EXPORT_AUDIT_FILE,
                                  ops.WRITE_REMINDER_LETTER, ops.EXPORT_PLAN_PACKAGE, ops.PREVIEW_PLAN_PACKAGE,
                                  ops.IMPORT_PLAN_PACKAGE, ops.DRAFT_REPORT, ops.STORE_ATTACHMENT))
    assert not any(op.changes for op in (ops.EXPORT_FOR_SIGNING, ops.EXPORT_AUDIT_FILE, ops.WRITE_REMINDER_LETTER,
                                         ops.PREVIEW_PLAN_PACKAGE))  # they write files (or nothing), no data shown


def _threads_of(monkeypatch, module, name: str) -> list:
    """`module.name` keeps working; each call notes the thread it runs on (operations find services when they run)."""
    threads, real = [], getattr(module, name)

    def noted(*args, **kwargs):
        threads.append(QThread.currentThread())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, noted)
    return threads


def _off_the_window_thread(threads) -> bool:
    return bool(threads) and all(thread is not QThread.currentThread() for thread in threads)


class _Ticks:
    """A 10 ms timer of the window's thread: it ticks only while the window answers."""

    def __init__(self):
        self.at: list[float] = []
        self.started = time.monotonic()
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(lambda: self.at.append(time.monotonic()))
        self.timer.start()

    def longest_gap(self) -> float:
        self.timer.stop()
        return max(b - a for a, b in zip([self.started, *self.at], [*self.at, time.monotonic()]))


def test_a_restore_runs_on_a_worker_while_the_window_waits_then_every_page_reloads(qtbot, sample_workspace,
                                                                                  monkeypatch):
    import threading

    from PySide6.QtWidgets import QApplication

    from desktop.errors import KhbcError
    from desktop.services import restore
    from desktop.services.queries import list_tasks
    from desktop.ui.pages.appendix_page import AppendixPage
    from desktop.ui.pages.settings_page import SettingsPage
    from tests.conftest import TODAY

    bus = quiet_bus(sample_workspace)
    settings, appendix = SettingsPage(bus), AppendixPage(bus)
    host(qtbot, settings)
    host(qtbot, appendix)
    with qtbot.waitSignal(bus.finished, timeout=30_000):
        settings.backups.back_up_now()
    assert bus.run(ops.ADD_TASK, "Nhiệm vụ thêm sau khi sao lưu").ok
    qtbot.waitUntil(lambda: appendix.model.rowCount() == 10)  # the page reloads after the event
    gate, threads = threading.Event(), _threads_of(monkeypatch, restore, "restore_into_workspace")
    real = restore.restore_into_workspace
    monkeypatch.setattr(restore, "restore_into_workspace", lambda *a, **k: gate.wait(30) and real(*a, **k))
    settings.backups.view.selectRow(0)
    ticks = _Ticks()
    try:
        settings.backups.restore_selected()
        assert bus.running_operations() == 1 and bus.exclusive is ops.RESTORE_BACKUP
        hold = QApplication.activeModalWidget()
        assert hold is not None and hold.isVisible() and "Đang khôi phục dữ liệu" in hold.label.text()
        hold.reject()  # Esc does not close it
        assert hold.isVisible()
        with pytest.raises(KhbcError, match="Đang khôi phục dữ liệu"):
            bus.read(list_tasks, None, TODAY)  # nothing reads the file being replaced
        assert not bus.run(ops.SET_USER_NAME, "Lan").ok and "Đang khôi phục dữ liệu" in bus.failures[-1]
        qtbot.waitUntil(lambda: len(ticks.at) >= 10, timeout=5_000)  # the window answers meanwhile
        with qtbot.waitSignal(bus.finished, timeout=30_000):
            gate.set()
    finally:
        gate.set()
    assert ticks.longest_gap() < 2.0
    assert _off_the_window_thread(threads) and len(threads) == 1
    assert bus.exclusive is None and QApplication.activeModalWidget() is None
    qtbot.waitUntil(lambda: appendix.model.rowCount() == 9)  # the page reloaded from the restored file
    assert len(bus.read(list_tasks, None, TODAY)) == 9
    assert "Đã khôi phục" in settings.backups.message.text()
    assert bus.failures == ["Đang khôi phục dữ liệu; hãy đợi xong rồi thử lại. Dữ liệu chưa bị thay đổi."]


def test_a_restore_waits_for_no_other_work_and_a_failed_one_is_explained(qtbot, sample_workspace, tmp_path):
    from desktop.services.backup import list_backups, make_backup

    bus = quiet_bus(sample_workspace)
    backup = make_backup(sample_workspace)
    with qtbot.waitSignal(bus.finished, timeout=60_000):
        assert bus.run(ops.WRITE_REPORT_FILE, "2026", "pdf", tmp_path / "bc.pdf", date(2026, 11, 22)).pending
        ok, _ = bus.run(ops.RESTORE_BACKUP, backup.path)
        assert not ok and "còn đang làm việc khác" in bus.failures[-1]
    assert len(list_backups(sample_workspace)) == 1  # nothing was done, not even the safety copy
    broken = tmp_path / "hong.sqlite3"
    broken.write_bytes(b"not a database")
    ok, message = run_operation(qtbot, bus, ops.RESTORE_BACKUP, broken)
    assert not ok and message and "Traceback" not in message and bus.exclusive is None


def test_export_for_signing_of_a_300_task_report_keeps_the_window_answering(qtbot, big_workspace, monkeypatch,
                                                                            tmp_path):
    from desktop.services import clock, signing
    from desktop.ui.signing_dialog import SigningDialog
    from tests.plan_generator import TODAY
    from tests.ui_support import pdf_text

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    threads = _threads_of(monkeypatch, signing, "export_for_outside_signing")
    dialog = SigningDialog(quiet_bus(big_workspace), "2026")
    qtbot.addWidget(dialog)
    dialog.show()
    ticks = _Ticks()
    with qtbot.waitSignal(dialog.exported, timeout=120_000) as done:
        assert dialog.export_for_signing(str(tmp_path / "de-ky.pdf"))
        assert dialog.worker is not None and not dialog.export_button.isEnabled()
        dialog.reject()  # it cannot close while the file is written
        assert dialog.isVisible()
    took = time.monotonic() - ticks.started
    assert ticks.longest_gap() < 2.0 and len(ticks.at) >= took / 0.1, (took, len(ticks.at))
    assert _off_the_window_thread(threads)
    assert done.args == [tmp_path / "de-ky.pdf"] and "KQ0300" in pdf_text(tmp_path / "de-ky.pdf")
    assert "Đã xuất" in dialog.status.text() and dialog.export_button.isEnabled()
    (tmp_path / "tep").write_text("x")
    with qtbot.waitSignal(dialog.exported, timeout=120_000) as done:
        dialog.export_for_signing(str(tmp_path / "tep" / "de-ky.pdf"))  # a "folder" that is a file
    assert done.args == [None] and dialog.status.text() and "Traceback" not in dialog.status.text()


def test_the_history_excel_file_is_written_on_a_worker(qtbot, sample_workspace, monkeypatch, tmp_path):
    from desktop.services import audit_log
    from desktop.ui import audit_dialog

    threads = _threads_of(monkeypatch, audit_log, "export_audit_xlsx")
    bus = quiet_bus(sample_workspace)
    assert bus.run(ops.SET_USER_NAME, "Nguyễn Thị Lan").ok
    dialog = audit_dialog.AuditDialog(bus)
    qtbot.addWidget(dialog)
    for target in (tmp_path / "lich-su.xlsx", tmp_path / "lich-su.xlsx" / "x.xlsx"):
        monkeypatch.setattr(audit_dialog, "ask_save_path", lambda *a, target=target, **k: (target, "xlsx"))
        with qtbot.waitSignal(dialog.exported_file, timeout=60_000) as done:
            dialog.export_button.click()
            assert not dialog.export_button.isEnabled()
    assert done.args == [None] and "Traceback" not in dialog.caption.text() and dialog.export_button.isEnabled()
    assert dialog.exported == tmp_path / "lich-su.xlsx" and dialog.exported.stat().st_size > 0
    assert _off_the_window_thread(threads) and len(threads) == 2


def test_printing_makes_the_pdf_on_a_worker_and_prints_it_on_the_window_thread(qtbot, sample_workspace, monkeypatch):
    from desktop.ui.pages import report_page
    from desktop.ui.pdf_preview import PdfPreview

    threads = _threads_of(monkeypatch, report_page, "write_report_preview")
    printed = []
    monkeypatch.setattr(PdfPreview, "print_document",
                        lambda preview, _parent: printed.append((QThread.currentThread(), preview.page_count())))
    page = report_page.ReportPage(quiet_bus(sample_workspace))
    host(qtbot, page)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))
    page.print_button.click()
    assert printed == []  # the PDF is still being made
    qtbot.waitUntil(lambda: bool(printed), timeout=60_000)
    assert _off_the_window_thread(threads)
    assert printed[0][0] is QThread.currentThread() and printed[0][1] >= 1


def test_the_plan_package_is_written_read_and_imported_on_a_worker(qtbot, tmp_path, monkeypatch):
    from desktop.services import plan_receive, plan_send
    from desktop.services.workspace import Workspace
    from desktop.ui.pages.plan_page import PlanPage
    from tests.plan_helpers import lower_database, upper_database

    noted = {name: _threads_of(monkeypatch, module, name) for module, name in (
        (plan_send, "export_plan_package"), (plan_receive, "preview_plan_import"),
        (plan_receive, "import_plan_package"))}
    workspaces = [Workspace.open(upper_database(tmp_path / "so")), Workspace.open(lower_database(tmp_path / "vp"))]
    try:
        upper, lower = (PlanPage(quiet_bus(workspace)) for workspace in workspaces)
        host(qtbot, upper)
        host(qtbot, lower)
        with qtbot.waitSignal(upper.plan_transfer.exported, timeout=60_000) as done:
            upper.plan_transfer.export_to(tmp_path / "goi")
        assert done.args[0] is not None and "phiên bản 1" in upper.result_bar.label.text()
        with qtbot.waitSignal(lower.plan_transfer.opened, timeout=60_000) as done:
            lower.plan_transfer.open_package(tmp_path / "goi" / "KeHoach_SXD_v1.zip")
        dialog = done.args[0]
        assert dialog is not None and len(dialog.selected_uids()) == 9
        with qtbot.waitSignal(lower.plan_transfer.imported, timeout=60_000):
            dialog.accept()
        assert lower.subtitle.text().startswith("Triển khai thực hiện Chương trình")  # the page reloaded
        assert all(_off_the_window_thread(threads) for threads in noted.values()), noted
        (tmp_path / "hong.zip").write_bytes(b"PK\x05\x06" + bytes(18))
        with qtbot.waitSignal(lower.plan_transfer.opened, timeout=60_000) as done:
            lower.plan_transfer.open_package(tmp_path / "hong.zip")
        assert done.args == [None] and "hong.zip" in lower.bus.failures[-1]
        assert "Traceback" not in lower.bus.failures[-1]
    finally:
        for workspace in workspaces:
            workspace.close()


def test_drafting_the_report_of_300_tasks_runs_on_a_worker_and_locks_the_text_meanwhile(qtbot, big_workspace,
                                                                                          monkeypatch):
    from desktop.services import clock, documents
    from desktop.ui.pages.report_page import ReportPage
    from tests.plan_generator import TODAY

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    threads = _threads_of(monkeypatch, documents, "draft_report")
    bus = quiet_bus(big_workspace)
    page = ReportPage(bus)
    host(qtbot, page)
    page.period_combo.setCurrentIndex(page.period_combo.findData("2026"))
    with qtbot.waitSignal(bus.finished, timeout=60_000):
        page.draft()
        assert page.sections.editors["results"].isReadOnly() and not page.draft_button.isEnabled()
        assert not page.period_combo.isEnabled()
    assert _off_the_window_thread(threads)
    assert "300 nhiệm vụ" in page.sections.values()["results"] and page.tabs.currentIndex() == 1
    assert not page.sections.editors["results"].isReadOnly() and page.draft_button.isEnabled()
    assert page.period_combo.isEnabled() and bus.failures == []
