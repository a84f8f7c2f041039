"""Công văn đôn đốc: the late units of a period get an official letter (PDF, DOCX) that names what is missing."""

from __future__ import annotations

import subprocess

import pytest
from docx import Document


@pytest.fixture
def receiver(khbc_cli, tmp_path, monkeypatch):
    """A receiving office that got Sở Xây dựng's 2026S1 package and expects two more units."""
    monkeypatch.setenv("KHBC_TODAY", "2026-06-20")
    sender, db = tmp_path / "sender.sqlite3", tmp_path / "receiver.sqlite3"
    for path in (sender, db):
        assert khbc_cli("init", "--sample", "--db", str(path))[0] == 0
    (tmp_path / "out").mkdir()
    code, _, err = khbc_cli("export", "--period", "2026S1", "--out", str(tmp_path / "out"), "--force",
                            "--db", str(sender))
    assert code == 0, err
    [package] = (tmp_path / "out").glob("*.zip")
    assert khbc_cli("import-bundle", str(package), "--db", str(db))[0] == 0
    for unit_code, name in (("DLK-SXD", "Sở Xây dựng"), ("DLK-VP", "Văn phòng Sở"), ("DLK-STC", "Sở Tài chính")):
        assert khbc_cli("expect-unit", "--code", unit_code, "--name", name, "--db", str(db))[0] == 0
    return db


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_pdf_letter_has_every_part_and_addresses_only_the_late_units(khbc_cli, receiver, tmp_path):
    code, out, err = khbc_cli("reminder", "2026S1", "--out", str(tmp_path), "--deadline", "26/6/2026",
                              "--db", str(receiver))
    assert code == 0, err
    assert "Đã ghi công văn đôn đốc (2 đơn vị)" in out
    text = _pdf_text(tmp_path / "CongVanDonDoc_2026S1.pdf")
    flat = " ".join(text.split())
    for part in ("UBND TỈNH ĐẮK LẮK", "SỞ XÂY DỰNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "/SXD-VP", "Đắk Lắk, ngày", "tháng 6 năm 2026",
                 "V/v đôn đốc gửi báo cáo kết quả thực hiện Kế hoạch 6 tháng đầu năm 2026", "Kính gửi:",
                 "- Sở Tài chính;", "- Văn phòng Sở.", "6 tháng đầu năm 2026",
                 "số liệu tính từ ngày 15/12/2025 đến ngày 14/06/2026", "trước ngày 10/06/2026",
                 "Sở Tài chính: Báo cáo kết quả thực hiện Kế hoạch 6 tháng đầu năm 2026, chưa gửi, đã quá hạn 10 ngày",
                 "(nhiệm vụ chủ trì: 1, 2, 3", "trước ngày 26/06/2026", "./.", "Nơi nhận:", "- Như trên;",
                 "- Lưu: VT", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Lê Công Du"):
        assert part in flat, part
    assert "BÁO CÁO" not in flat.split("Kính gửi:")[0]  # a công văn has no document-type line
    addressed = flat.split("Kính gửi:")[1].split("Thực hiện")[0]
    assert "Sở Xây dựng" not in addressed  # it reported: not addressed, not listed
    assert "- Sở Xây dựng:" not in flat
    fonts = subprocess.run(["pdffonts", str(tmp_path / "CongVanDonDoc_2026S1.pdf")], capture_output=True,
                           text=True, check=True).stdout
    assert "Helvetica" not in fonts and " yes " in fonts


def test_the_docx_letter_reopens_with_the_same_parts(khbc_cli, receiver, tmp_path):
    code, _, err = khbc_cli("reminder", "2026s1", "--format", "docx", "--out", str(tmp_path / "cv.docx"),
                            "--db", str(receiver))
    assert code == 0, err
    document = Document(str(tmp_path / "cv.docx"))
    header = " ".join(c.text for t in document.tables[:1] for row in t.rows for c in row.cells)
    assert "V/v đôn đốc gửi báo cáo" in header and "/SXD-VP" in header and "Độc lập - Tự do - Hạnh phúc" in header
    body = [p.text for p in document.paragraphs]
    assert "Kính gửi:" in body and "- Sở Tài chính;" in body and "- Văn phòng Sở." in body
    assert not any(p.startswith("- Sở Xây dựng") for p in body)
    assert any("trước ngày 10/06/2026" in p for p in body)
    assert any("trước ngày 25/06/2026" in p for p in body)  # default: five days on, off the weekend
    assert not any(p.strip() == "BÁO CÁO" for p in body)


def test_many_late_units_go_to_an_appendix_list(khbc_cli, receiver, tmp_path):
    names = [f"UBND huyện số {i}" for i in range(1, 7)]
    for i, name in enumerate(names, start=1):
        assert khbc_cli("expect-unit", "--code", f"H{i}", "--name", name, "--db", str(receiver))[0] == 0
    code, out, err = khbc_cli("reminder", "2026S1", "--out", str(tmp_path), "--db", str(receiver))
    assert code == 0 and "(8 đơn vị)" in out, err
    flat = " ".join(_pdf_text(tmp_path / "CongVanDonDoc_2026S1.pdf").split())
    assert "Kính gửi: Các đơn vị có tên tại Phụ lục kèm theo" in flat
    assert "chưa nhận được báo cáo của 8 đơn vị" in flat
    assert "DANH SÁCH ĐƠN VỊ CHƯA GỬI BÁO CÁO" in flat and "(Kèm theo Công văn số" in flat
    appendix = flat.split("DANH SÁCH ĐƠN VỊ CHƯA GỬI BÁO CÁO")[1]
    assert all(name in appendix for name in names + ["Sở Tài chính", "Văn phòng Sở"])
    assert "Sở Xây dựng" not in appendix.split("của Sở Xây dựng)", 1)[1]


def test_nothing_to_remind_and_bad_input_are_said_in_vietnamese(khbc_cli, receiver, tmp_path):
    for code_ in ("DLK-VP", "DLK-STC"):
        assert khbc_cli("expect-unit", "--code", code_, "--remove", "--db", str(receiver))[0] == 0
    code, out, err = khbc_cli("reminder", "2026S1", "--out", str(tmp_path), "--db", str(receiver))
    assert code == 1 and "Tất cả 1 đơn vị đã gửi báo cáo 6 tháng đầu năm 2026" in err
    code, out, err = khbc_cli("reminder", "2026S9", "--out", str(tmp_path), "--db", str(receiver))
    assert code == 1 and "Mã kỳ báo cáo không hợp lệ" in err
    code, out, err = khbc_cli("reminder", "2026", "--deadline", "1/1/2020", "--out", str(tmp_path),
                              "--db", str(receiver))
    assert code == 1 and "đã qua" in err and "Traceback" not in err
    assert not list(tmp_path.glob("CongVanDonDoc_*"))


def test_reminder_out_naming_a_new_folder_writes_the_letter_inside_it(tmp_path):
    from desktop.cli import main

    db = tmp_path / "d.sqlite3"
    assert main(["init", "--sample", "--db", str(db)]) == 0
    assert main(["expect-unit", "--code", "DLK-SYT", "--name", "Sở Y tế", "--db", str(db)]) == 0
    assert main(["reminder", "2026", "--out", str(tmp_path / "cong-van"), "--db", str(db)]) == 0
    assert [p.name for p in (tmp_path / "cong-van").iterdir()] == ["CongVanDonDoc_2026.pdf"]
