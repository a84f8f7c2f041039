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
    assert setup["DefaultDirName"].startswith("{userpf}")
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
