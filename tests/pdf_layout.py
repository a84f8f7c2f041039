"""Reading a PDF back with positions (poppler's pdftotext -bbox-layout): pages, text blocks, lines and words."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pytest

NS = "{http://www.w3.org/1999/xhtml}"
IN_CI = os.environ.get("CI", "").lower() == "true"


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    blocks: tuple[Box, ...]  # one per table cell or paragraph (poppler's guess)
    lines: tuple[Box, ...]
    words: tuple[Box, ...]

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def text(self) -> str:
        return " ".join(w.text for w in self.words)


def _box(el, text: str) -> Box:
    return Box(float(el.get("xMin")), float(el.get("yMin")), float(el.get("xMax")), float(el.get("yMax")), text)


def read_pdf(path: str | Path) -> list[Page]:
    out = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    root = ET.fromstring(out)
    pages = []
    for number, page in enumerate(root.iter(f"{NS}page"), start=1):
        blocks, lines, words = [], [], []
        for block in page.iter(f"{NS}block"):
            block_words = []
            for line in block.iter(f"{NS}line"):
                line_words = [_box(w, w.text or "") for w in line.iter(f"{NS}word")]
                lines.append(_box(line, " ".join(w.text for w in line_words)))
                block_words.extend(line_words)
            words.extend(block_words)
            blocks.append(_box(block, " ".join(w.text for w in block_words)))
        pages.append(Page(number, float(page.get("width")), float(page.get("height")), tuple(blocks),
                          tuple(sorted(lines, key=lambda b: (round(b.y0), b.x0))), tuple(words)))
    return pages


def need_tool(name: str) -> str:
    """The tool's path; skipped locally when it is missing, but a failure in CI (CI=true)."""
    found = shutil.which(name)
    if found is None:
        if IN_CI:
            pytest.fail(f"{name} is missing on the CI machine: .ci/run must install it")
        pytest.skip(f"cần {name}")
    return found


def office_to_pdf(source: Path, out_dir: Path) -> Path:
    """Convert an XLSX or DOCX with LibreOffice the way a clerk's office suite opens it."""
    soffice = need_tool("soffice")
    out_dir.mkdir(parents=True, exist_ok=True)
    # One LibreOffice profile per test session (under pytest's folders): a new profile costs seconds to set up.
    profile = Path(os.environ.get("KHBC_TEST_TEMPLATES", out_dir)) / "lo-profile"
    subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out_dir), str(source)], capture_output=True, check=True, timeout=600)
    result = out_dir / (source.stem + ".pdf")
    assert result.exists(), f"LibreOffice did not convert {source.name}"
    return result
