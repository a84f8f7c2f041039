"""Fast checks of the packaging rules and installer scripts in installer/ (no build needed)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from desktop import __version__

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"


@pytest.fixture(scope="module")
def rules():
    spec = importlib.util.spec_from_file_location("freeze_rules", INSTALLER / "freeze_rules.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_version_is_read_from_the_package(rules):
    assert rules.read_version(ROOT) == __version__
    assert rules.version_tuple("0.1.0") == (0, 1, 0, 0)
    assert rules.version_tuple("2.10.3.7") == (2, 10, 3, 7)


def test_resources_and_migrations_ship_as_files(rules):
    pairs = rules.data_files(ROOT)
    destinations = {(Path(src).name, dest) for src, dest in pairs}
    assert ("sample_plan.json", "resources/sample") in destinations
    assert ("khbc-package-1.schema.json", "resources/schema") in destinations
    assert ("env.py", "db/migrations") in destinations
    assert ("script.py.mako", "db/migrations") in destinations
    revisions = sorted(p.name for p in (ROOT / "db" / "migrations" / "versions").glob("*.py"))
    assert revisions and all((name, "db/migrations/versions") in destinations for name in revisions)
    assert not any(src.endswith((".pyc", "__init__.py")) and "resources" in dest for src, dest in pairs)


def test_every_page_module_is_a_hidden_import(rules):
    modules = set(rules.project_modules(ROOT))
    pages = {f"desktop.ui.pages.{p.stem}" for p in (ROOT / "desktop" / "ui" / "pages").glob("*.py")
             if p.stem != "__init__"}
    assert pages <= modules
    assert {"desktop.cli", "desktop.ui.launch", "db.migrate", "resources"} <= modules
    assert not any(name.startswith("db.migrations") for name in modules)


@pytest.mark.parametrize(("dest", "kept"), [
    ("PySide6/Qt/plugins/platforms/libqxcb.so", True),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", True),
    ("PySide6/plugins/platforms/qwindows.dll", True),
    ("PySide6\\plugins\\platforms\\qdirect2d.dll", False),
    ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
    ("PySide6/plugins/styles/qmodernwindowsstyle.dll", True),
    ("PySide6/plugins/imageformats/qjpeg.dll", True),
    ("PySide6/plugins/imageformats/qtiff.dll", False),
    ("PySide6/Qt/plugins/tls/libqopensslbackend.so", False),
    ("PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so", False),
    ("PySide6/Qt/plugins/platforminputcontexts/libqtvirtualkeyboardplugin.so", False),
    ("PySide6/Qt/lib/libQt6Core.so.6", True),
])
def test_qt_plugin_choice(rules, dest, kept):
    assert rules.keep_plugin(dest) is kept


def test_prune_drops_plugins_their_libraries_and_dangling_links(rules):
    links = {
        "/q/QtGui.so": ["libQt6Gui.so.6"],
        "/q/qxcb.so": ["libQt6XcbQpa.so.6", "libQt6Gui.so.6"],
        "/q/qwayland.so": ["libQt6WaylandClient.so.6", "libQt6Gui.so.6"],
        "/q/libQt6XcbQpa.so.6": ["libQt6Gui.so.6"],
        "/q/libQt6WaylandClient.so.6": ["libQt6Gui.so.6"],
    }
    binaries = [
        ("PySide6/QtGui.abi3.so", "/q/QtGui.so", "EXTENSION"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/q/qxcb.so", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", "/q/qwayland.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/q/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/q/libQt6XcbQpa.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6WaylandClient.so.6", "/q/libQt6WaylandClient.so.6", "BINARY"),
        ("libpython3.11.so.1.0", "/usr/lib/libpython3.11.so.1.0", "BINARY"),  # loaded by the bootloader
    ]
    datas = [
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        ("libQt6WaylandClient.so.6", "PySide6/Qt/lib/libQt6WaylandClient.so.6", "SYMLINK"),
        ("PySide6/Qt/translations/qtbase_de.qm", "/q/qtbase_de.qm", "DATA"),
        ("resources/sample/sample_plan.json", "/r/sample_plan.json", "DATA"),
    ]
    kept_binaries, kept_datas = rules.prune(binaries, datas, lambda src: links.get(src, []))
    names = {entry[0] for entry in kept_binaries}
    assert "PySide6/Qt/plugins/platforms/libqwayland.so" not in names
    assert "PySide6/Qt/lib/libQt6WaylandClient.so.6" not in names
    assert {"PySide6/Qt/lib/libQt6XcbQpa.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "libpython3.11.so.1.0"} <= names
    assert [entry[0] for entry in kept_datas] == ["libQt6Gui.so.6", "resources/sample/sample_plan.json"]


def test_inno_setup_script_is_per_user_vietnamese_and_keeps_data():
    raw = (INSTALLER / "khbc.iss").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, or Inno Setup misreads Vietnamese"
    text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    setup = dict(re.findall(r"^(\w+)=(.*)$", text, re.MULTILINE))
    assert setup["PrivilegesRequired"] == "lowest"
    assert setup["DefaultDirName"] == "{code:UserProgramsDir}\\{#AppName}"
    assert "ExpandConstant('{userpf}')" in text  # %LOCALAPPDATA%\\Programs, named only where Wine lacks it
    assert setup["AppVersion"] == "{#AppVersion}"
    assert setup["OutputBaseFilename"] == "KHBC-Setup-{#AppVersion}"
    assert 'MessagesFile: "compiler:Default.isl,Vietnamese.isl"' in text
    assert "[UninstallDelete]" not in text.replace("; No [UninstallDelete]", "")
    # Nothing in the script may name the data folder except the guard that keeps the program out of it.
    deletes = [line for line in text.splitlines() if line.startswith("Type:")]
    assert deletes == ['Type: filesandordirs; Name: "{app}\\_internal"']
    assert "{autodesktop}" in text and "{group}" in text


def test_vietnamese_messages_cover_the_wizard_and_promise_the_data_stays():
    raw = (INSTALLER / "Vietnamese.isl").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    messages = dict(re.findall(r"^(\w+)=(.*)$", text, re.MULTILINE))
    assert messages["LanguageID"] == "$042A"
    for key in ("ButtonNext", "ButtonInstall", "ButtonFinish", "WelcomeLabel1", "WizardSelectDir", "ReadyLabel1",
                "FinishedLabel", "ConfirmUninstall", "UninstalledAll", "CreateDesktopIcon", "LaunchProgram"):
        assert messages.get(key), key
    for key in ("ConfirmUninstall", "UninstalledAll"):
        assert "Dữ liệu" in messages[key] and "AppData\\Local\\KHBC" in messages[key]
    for key, value in messages.items():  # placeholders survive translation
        if key in ("SetupWindowTitle", "UninstallAppFullTitle", "ConfirmUninstall", "UninstalledAll"):
            assert "%1" in value, key


# Inno Setup version whose messages Vietnamese.isl follows (installer/windows_build.sh installs this one).
INNO_NAMES = ROOT / "tests" / "fixtures" / "innosetup-6.4.1-message-names.txt"
PLACEHOLDER = re.compile(r"%\d|\[(?:name|name/ver|mb|gb|kb)\]")


def _isl_entries(text: str) -> list[tuple[str, str, str]]:
    """(section, name, value) of every entry of an .isl file, in order; comments skipped."""
    entries, section = [], ""
    for line in text.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1]
        elif stripped and not stripped.startswith(";") and "=" in stripped:
            name, value = stripped.split("=", 1)
            entries.append((section, name.strip(), value))
    return entries


def _names_fixture() -> list[tuple[str, str]]:
    names, section = [], ""
    for line in INNO_NAMES.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            section = line[1:-1]
        elif line and not line.startswith("#"):
            names.append((section, line))
    return names


def _default_isl() -> Path | None:
    """Inno Setup 6.4.1's own Default.isl when the Windows build has installed it (or $KHBC_INNO_DEFAULT_ISL)."""
    import os

    candidate = Path(os.environ.get("KHBC_INNO_DEFAULT_ISL")
                     or ROOT / "build" / "windows" / "tools" / "innosetup" / "node_modules" / "innosetup" / "bin"
                     / "Default.isl")
    return candidate if candidate.is_file() else None


def _vietnamese() -> list[tuple[str, str, str]]:
    return _isl_entries((INSTALLER / "Vietnamese.isl").read_bytes().decode("utf-8-sig"))


def test_vietnamese_isl_has_exactly_the_messages_of_the_inno_setup_version_used():
    """No name Inno Setup 6.4.1 does not know (a compiler warning, the text unused), none missing (shown in English)."""
    ours = [(section, name) for section, name, _value in _vietnamese()]
    assert len(ours) == len(set(ours)), "a message is defined twice"
    expected = _names_fixture()
    assert sorted(set(ours) - set(expected)) == [], "names Inno Setup 6.4.1 does not know"
    assert sorted(set(expected) - set(ours)) == [], "messages that would show in English"
    assert len(expected) == 281 and ("Messages", "ExistingFileNewer2") in expected


def test_vietnamese_isl_keeps_every_placeholder_of_default_isl():
    """Against the real Default.isl: the vendored name list is current and every %1/[name]/[mb] survives."""
    default = _default_isl()
    if default is None:
        pytest.skip("Inno Setup 6.4.1's Default.isl is not installed (installer/windows_build.sh installs it)")
    english = _isl_entries(default.read_bytes().decode("utf-8-sig"))
    assert [(section, name) for section, name, _value in english] == _names_fixture()
    ours = {(section, name): value for section, name, value in _vietnamese()}
    for section, name, value in english:
        if section == "LangOptions":
            continue
        assert sorted(PLACEHOLDER.findall(ours[section, name])) == sorted(PLACEHOLDER.findall(value)), name
        assert bool(ours[section, name].strip()) == bool(value.strip()), name


def test_installer_code_never_waits_on_a_plain_message_box():
    """A silent install (/VERYSILENT /SUPPRESSMSGBOXES) must not hang on a box nobody can click."""
    text = (INSTALLER / "khbc.iss").read_bytes().decode("utf-8-sig")
    code = text[text.index("[Code]"):]
    assert "SuppressibleMsgBox(" in code
    assert re.findall(r"(?<!Suppressible)\bMsgBox\(", code) == []


def test_an_empty_or_missing_version_is_refused(tmp_path, rules):
    """Never a "KHBC-Setup-.exe": the build stops on an empty version, and so does ISCC run by hand."""
    (tmp_path / "desktop").mkdir()
    for bad in ('__version__ = ""\n', '__version__ = "  "\n', '__version__ = "dev"\n', "VERSION = 1\n"):
        (tmp_path / "desktop" / "__init__.py").write_text(bad, encoding="utf-8")
        with pytest.raises(SystemExit):
            rules.read_version(tmp_path)
    iss = (INSTALLER / "khbc.iss").read_bytes().decode("utf-8-sig")
    assert '#if AppVersion == "" || FileVersion == ""' in iss and "#error" in iss
