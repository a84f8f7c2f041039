"""Bad input everywhere: packages, settings and profile writers, the command line, and hostile text in documents.

Each reader either accepts the input (storing exactly its cleaned form) or refuses it with a Vietnamese KhbcError;
nothing is written on refusal and nothing escapes as a traceback. Counts of inputs tried are printed with -s.
"""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from desktop.bundle.verify import verify_file
from desktop.domain.text import nfc, strip_control
from desktop.errors import KhbcError
from desktop.services import appendix, documents, profile, progress
from tests.bundle_helpers import read_entries, reseal, sample_package, write_zip
from tests.safety_helpers import fingerprint, query

VIETNAMESE = re.compile(r"[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]", re.IGNORECASE)
FUNCTION_SCOPED = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
TRIED: dict[str, int] = {}

# Text as it really arrives: any Unicode (lone surrogates from undecodable bytes included), control characters,
# markup, formulas, right-to-left marks, very long pastes.
HOSTILE = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FFF), min_size=1, max_size=40),
    st.sampled_from(["\x00", "\x1b[31mđỏ\x1b[0m", "a\r\nb\rc", "\u202eTRÁI\u202c", "<b>x</b>&<font>", "=1+1",
                     "@SUM(A1)", "\udcff\udcfe", "Sở\u0301", " ", "\t\n", "ｓｏ", "😀" * 10]),
    st.text(min_size=5_000, max_size=25_000).map(lambda t: t or "x"),
)


@pytest.fixture(scope="module", autouse=True)
def _count_report():
    """Print how many inputs each reader got (shown with pytest -s; figures for the issue note)."""
    yield
    if TRIED:
        print("\ninputs tried per reader:", dict(sorted(TRIED.items())))


def _tried(reader: str) -> None:
    TRIED[reader] = TRIED.get(reader, 0) + 1


def _vietnamese(message: str) -> bool:
    return bool(VIETNAMESE.search(message))


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> bytes:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("KHBC_TODAY", "2026-11-22")
        _db, path = sample_package(tmp_path_factory.mktemp("fuzz"))
    return path.read_bytes()


# --- packages ------------------------------------------------------------------------------------

def _check_refusal(path: Path) -> None:
    result = verify_file(path)
    assert not result.ok and result.problems
    assert all(isinstance(p, str) and _vietnamese(p) for p in result.problems), result.problems
    assert _vietnamese(result.summary())


@settings(max_examples=150, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(data=st.binary(max_size=4096))
def test_random_bytes_are_refused_with_vietnamese_problems(tmp_path, data):
    _tried("package")
    path = tmp_path / "goi.zip"
    path.write_bytes(data)
    _check_refusal(path)


@settings(max_examples=150, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(offsets=st.lists(st.integers(min_value=0), min_size=1, max_size=8), cut=st.booleans(), data=st.data())
def test_damaged_copies_of_a_real_package_are_refused(package, tmp_path, offsets, cut, data):
    _tried("package")
    damaged = bytearray(package)
    for offset in offsets:
        damaged[offset % len(damaged)] ^= data.draw(st.integers(min_value=1, max_value=255))
    if cut:
        damaged = damaged[: data.draw(st.integers(min_value=0, max_value=len(damaged) - 1))]
    assume(bytes(damaged) != package)
    path = tmp_path / "goi.zip"
    path.write_bytes(bytes(damaged))
    result = verify_file(path)
    # A flip inside a compressed member's unused bits can leave it valid; anything else must be refused.
    if not result.ok:
        _check_refusal(path)
    else:
        assert read_entries(bytes(damaged)) == read_entries(package)


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | HOSTILE,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(HOSTILE, inner, max_size=3),
                           max_leaves=6)


@settings(max_examples=120, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(where=st.sampled_from(["manifest", "data"]), path=st.lists(st.sampled_from(
    ["unit_code", "period_code", "version", "files", "unit", "period", "tasks", "code", "name", "deadline",
     "created_at", "plan", "number", "report", "submission", "issued_on", 0, 1]), min_size=1, max_size=3),
    value=JSON_VALUES)
def test_resealed_packages_with_wrong_fields_never_crash_the_verifier(package, tmp_path, where, path, value):
    """Hashes and sizes fixed up so only the content is wrong: types, impossible dates, hostile text."""
    import json

    _tried("package")
    entries = read_entries(package)
    name = "manifest.json" if where == "manifest" else "data.json"
    doc = json.loads(entries[name])
    target = doc
    for key in path[:-1]:
        target = target[key] if isinstance(target, dict) and key in target else (
            target[key] if isinstance(target, list) and isinstance(key, int) and key < len(target) else None)
        if target is None:
            return
    last = path[-1]
    if isinstance(target, dict) and isinstance(last, str):
        target[last] = value
    elif isinstance(target, list) and isinstance(last, int) and last < len(target):
        target[last] = value
    else:
        return
    entries[name] = json.dumps(doc, ensure_ascii=False).encode("utf-8", "surrogatepass")
    rebuilt = write_zip(entries if where == "manifest" else reseal(entries))
    file = tmp_path / "goi.zip"
    file.write_bytes(rebuilt)
    result = verify_file(file)
    assert all(_vietnamese(p) for p in result.problems)
    if result.ok:
        assert result.manifest is not None and result.data is not None


def test_a_zip_of_random_members_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", b"\xff\xfe not json")
        archive.writestr("../../etc/passwd", b"x")
    path = tmp_path / "goi.zip"
    path.write_bytes(buffer.getvalue())
    _check_refusal(path)


# --- settings, profile and the other writers -------------------------------------------------------

def _clean(value: str) -> str:
    return strip_control(nfc(value))


WRITERS = {
    "department": lambda s, v: profile.save_department(s, name_in_text=v, place_name=v, signer_name=v,
                                                       signer_title=v, parent_agency=v),
    "user_name": lambda s, v: profile.set_user_name(s, v),
    "setting": lambda s, v: profile.set_setting(s, "ghi_chu", v),
    "unit": lambda s, v: profile.add_unit(s, v, v),
    "plan": lambda s, v: profile.save_plan(s, title=v, purposes=v, basis_documents=[v]),
    "target": lambda s, v: profile.save_target(s, 1, v, v),
    "task": lambda s, v: appendix.update_task(s, 1, content=v, note=v, timeframe_text=v),
    "progress": lambda s, v: progress.record_progress(s, "2027", "1", "done", result=v, proposals=v),
    "target_figure": lambda s, v: progress.record_target_figure(s, "2027", 1, v, v),
    "report": lambda s, v: documents.save_report(s, "2027", direction=v, number=v, recipients=[v]),
}


@settings(max_examples=25, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(value=HOSTILE)
@pytest.mark.parametrize("writer", list(WRITERS))
def test_writers_store_cleaned_text_or_refuse_in_vietnamese_and_write_nothing(sample_workspace, db_path, writer,
                                                                                value):
    _tried(f"settings/{writer}")
    before = fingerprint(db_path)
    try:
        with sample_workspace.unit_of_work() as session:
            WRITERS[writer](session, value)
    except KhbcError as exc:
        assert _vietnamese(exc.message), exc.message
        assert fingerprint(db_path) == before
        return
    # Accepted: what is stored is the cleaned text (NFC, no control characters), nothing else.
    stored = query(db_path, READBACK[writer])[0][0]
    assert stored.strip() == _clean(value).strip()
    assert not any(ord(c) < 32 and c not in "\n\t" or "\ud800" <= c <= "\udfff" for c in stored)


READBACK = {
    "department": "SELECT signer_name FROM department",
    "user_name": "SELECT value FROM setting WHERE key = 'user_name'",
    "setting": "SELECT value FROM setting WHERE key = 'ghi_chu'",
    "unit": "SELECT name FROM unit ORDER BY id DESC LIMIT 1",
    "plan": "SELECT title FROM plan ORDER BY id DESC LIMIT 1",
    "target": "SELECT content FROM target WHERE id = 1",
    "task": "SELECT content FROM task WHERE id = 1",
    "progress": "SELECT result FROM progress ORDER BY id DESC LIMIT 1",
    "target_figure": "SELECT value_text FROM target_figure ORDER BY id DESC LIMIT 1",
    "report": "SELECT direction FROM report ORDER BY id DESC LIMIT 1",
}


IMPOSSIBLE = st.one_of(st.sampled_from(["31/02/2026", "2026-02-30", "00/00/0000", "ngày mai", "", "9999-99-99"]),
                       st.integers(), st.floats(), st.none().map(lambda _: "None"))


@settings(max_examples=30, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(value=IMPOSSIBLE)
@pytest.mark.parametrize("writer", ["plan", "report", "evidence"])
def test_impossible_dates_are_refused_in_vietnamese(sample_workspace, db_path, writer, value):
    _tried(f"dates/{writer}")
    before = fingerprint(db_path)
    call = {"plan": lambda s: profile.save_plan(s, issued_on=value),
            "report": lambda s: documents.save_report(s, "2027", issued_on=value),
            "evidence": lambda s: progress.record_progress(
                s, "2027", "1", "done", evidence=[progress.EvidenceInput("1/X", value, "x")])}[writer]
    with pytest.raises(KhbcError) as caught:
        with sample_workspace.unit_of_work() as session:
            call(session)
    assert _vietnamese(caught.value.message) and fingerprint(db_path) == before


@settings(max_examples=20, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(value=st.one_of(st.none(), st.integers(), st.floats(), st.lists(st.integers(), max_size=2)))
def test_wrong_types_are_refused_in_vietnamese(sample_workspace, value):
    for writer in ("user_name", "unit", "target", "report"):
        try:
            with sample_workspace.unit_of_work() as session:
                {"user_name": lambda s: profile.set_user_name(s, value),
                 "unit": lambda s: profile.add_unit(s, value),
                 "target": lambda s: profile.save_target(s, None, value),
                 "report": lambda s: documents.save_report(s, "2027", recipients=value)}[writer](session)
        except KhbcError:
            pass


# --- hostile text in the documents -------------------------------------------------------------------

MARKUP = ["<b>x</b>&<font>", "=1+1", "<para>", "</para><font name='x'>y", "&amp;&lt;", "<br/>", "<img src='a'/>",
          "<a href='javascript:x'>z</a>", "@SUM(A1:A2)", "-2+3"]


def test_hostile_report_text_prints_literally_in_pdf_xlsx_and_docx(sample_workspace, tmp_path):
    from openpyxl import load_workbook

    from tests.conftest import TODAY

    text = " ".join(MARKUP)
    with sample_workspace.unit_of_work() as session:
        documents.save_report(session, "2026", direction=text, assessment="=1+1", proposals="<b>x</b>&<font>")
        progress.record_progress(session, "2026", "1", "done", result="=HYPERLINK(\"http://x\")")
        doc = documents.report_document(session, "2026", TODAY)
    pdf = documents.write_document(doc, "pdf", tmp_path / "bc.pdf")
    printed = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                             check=True).stdout
    flat = " ".join(printed.split())
    for piece in ("<b>x</b>&<font>", "</para><font name='x'>y", "&amp;&lt;", "<img src='a'/>"):
        assert piece in flat, piece
    xlsx = documents.write_document(doc, "xlsx", tmp_path / "bc.xlsx")
    cells = [c for sheet in load_workbook(xlsx).worksheets for row in sheet.iter_rows() for c in row if c.value]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula anywhere
    assert any(c.value == "=HYPERLINK(\"http://x\")" for c in cells)
    from docx import Document

    docx = documents.write_document(doc, "docx", tmp_path / "bc.docx")
    body = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "<b>x</b>&<font>" in body and "=1+1" in body


@settings(max_examples=25, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(text=st.lists(st.one_of(st.sampled_from(MARKUP), HOSTILE.filter(lambda t: len(t) < 2000)), min_size=1,
                     max_size=4).map(" ".join))
def test_any_report_text_renders_to_pdf_without_a_markup_error(sample_workspace, tmp_path, text):
    from tests.conftest import TODAY

    _tried("pdf")
    try:
        with sample_workspace.unit_of_work() as session:
            documents.save_report(session, "2026", direction=text, next_steps=text)
    except KhbcError as exc:  # lone surrogates are refused before they reach a document
        assert any("\ud800" <= c <= "\udfff" for c in text) and _vietnamese(exc.message)
        return
    with sample_workspace.unit_of_work() as session:
        doc = documents.report_document(session, "2026", TODAY)
    path = documents.write_document(doc, "pdf", tmp_path / "bc.pdf")
    assert path.read_bytes().startswith(b"%PDF")


# --- the command line -----------------------------------------------------------------------------

PATH_OPTIONS = {"--db", "--out", "--xlsx", "file", "files"}
PLAUSIBLE = st.sampled_from(["2026", "2026S1", "2026S2", "2030", "2026-2030", "1", "9", "10", "0", "-1", "done",
                             "95%", "10/12/2026", "31/02/2026", "2026-13-01", "DLK-SXD", "task", "pdf", "xlsx"])
# Real argv never holds NUL; undecodable bytes arrive as lone surrogates (\udc80-\udcff).
ARG_TEXT = st.one_of(PLAUSIBLE, st.text(alphabet=st.characters(blacklist_characters="\x00",
                                                               blacklist_categories=("Cs",)), max_size=30),
                     st.sampled_from(["\udcff\udcfe", "--", "-", "--db", "=x", "\u202e", "x" * 5000]),
                     st.text(alphabet="ab\udc80\udcff\x1b\x07\u0301đ ", min_size=1, max_size=8))
LIKELY = {"--period": st.sampled_from(["2026", "2026S1", "2026S2", "2027", "2027S1"]),
          "--task": st.sampled_from([str(n) for n in range(1, 10)]), "--target": st.sampled_from("12345"),
          "--years": st.sampled_from(["2026-2030", "2026-2026"]), "--entity": st.sampled_from(["task", "progress"])}


def _command_table():
    import argparse

    from desktop import cli

    parser = cli.build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    table = {}
    for name, command in sub.choices.items():
        if name == "gui":
            continue
        table[name] = [a for a in command._actions if not isinstance(a, argparse._HelpAction)]
    return table


@st.composite
def argvs(draw, table, name: str, folder: Path, db: Path):
    argv = [name]
    for action in table[name]:
        key = action.option_strings[0] if action.option_strings else action.dest
        if key != "--db" and not action.required and action.option_strings and not draw(st.booleans()):
            continue
        if key == "--db":
            value = draw(st.sampled_from([str(db)] * 6 + [str(folder / "moi.sqlite3"), "tuong-doi.sqlite3"]))
        elif key in PATH_OPTIONS:
            stem = draw(st.text(alphabet="abcđêXYZ09-_.", min_size=1, max_size=12))
            choices = [str(folder / stem), stem, str(folder), str(folder / "x.xlsx"), str(db)]
            value = draw(st.sampled_from(choices))
        elif action.choices and draw(st.integers(0, 3)):
            value = draw(st.sampled_from(sorted(action.choices)))
        elif key in LIKELY and draw(st.integers(0, 3)):
            value = draw(LIKELY[key])  # mostly valid, so the free text after it reaches the database
        else:
            value = draw(ARG_TEXT)
        if action.nargs == 0:
            argv.append(key)
        elif action.option_strings:
            argv += [key, value]
        else:
            argv.append(value)
    if draw(st.integers(0, 5)) == 0:
        argv.insert(draw(st.integers(0, len(argv))), draw(ARG_TEXT))
    return argv


@pytest.fixture
def cli_sample(khbc_cli, sample_workspace, db_path, tmp_path, monkeypatch):
    sample_workspace.close()
    monkeypatch.chdir(tmp_path)
    return khbc_cli, _command_table()


def _all_commands() -> list[str]:
    from desktop.cli_safety import SAFETY_COMMANDS

    return sorted((set(_command_table()) | set(SAFETY_COMMANDS)) - {"gui"})


COMMANDS = _all_commands()


def test_the_fuzzed_commands_are_all_the_commands(cli_sample):
    assert sorted(cli_sample[1]) == COMMANDS
    assert {"progress", "export", "backup", "restore", "check", "audit"} <= set(COMMANDS)


@settings(max_examples=12, deadline=None, suppress_health_check=FUNCTION_SCOPED)
@given(data=st.data())
@pytest.mark.parametrize("command", COMMANDS)
def test_random_command_lines_never_crash_and_refusals_write_nothing(cli_sample, db_path, tmp_path, command, data):
    run, table = cli_sample
    argv = data.draw(argvs(table, command, tmp_path, db_path))
    _tried(f"cli/{command}")
    before = query(db_path, "SELECT count(*), max(id) FROM audit_entry")[0]
    code, out, err = run(*argv)  # any exception other than an argparse exit fails the test
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err and "Traceback" not in out
    if code == 1:
        assert err.startswith("Lỗi: ") and _vietnamese(err), (argv, err)
    elif code == 2:
        assert _vietnamese(err) or "lỗi" in err, (argv, err)
    if code != 0:
        assert query(db_path, "SELECT count(*), max(id) FROM audit_entry")[0] == before, argv

