"""Tests for the Vietnamese text helpers: NFC, folding for tolerant matching, control-character removal."""

import re
import unicodedata

import pytest

from desktop.domain.text import fold, nfc, strip_control, tolerant_pattern


def test_nfc_composes_decomposed_vietnamese_and_strips():
    decomposed = unicodedata.normalize("NFD", "  Thường xuyên\n")
    assert decomposed != "Thường xuyên"
    result = nfc(decomposed)
    assert result == "Thường xuyên"
    assert unicodedata.is_normalized("NFC", result)


def test_nfc_none_is_empty():
    assert nfc(None) == ""
    assert nfc("   ") == ""


@pytest.mark.parametrize("text, expected", [
    ("Thường xuyên", "thuong xuyen"),
    ("HẰNG NĂM", "hang nam"),
    ("Đắk Lắk", "dak lak"),
    ("đ Đ", "d d"),
    ("Giai đoạn 2026 – 2030", "giai doan 2026 - 2030"),
    ("2026—2030", "2026-2030"),
    ("2026‐2030 2026−2030", "2026-2030 2026-2030"),
    ("  Quý   III/2026 \t\n và  duy trì ", "quy iii/2026 va duy tri"),
    ("Sở\u00a0Xây dựng", "so xay dung"),
    (unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh"), "uy ban nhan dan tinh"),
    ("", ""),
    (None, ""),
])
def test_fold(text, expected):
    assert fold(text) == expected


def test_fold_makes_accented_and_plain_spellings_equal():
    assert fold("Hàng năm") == fold("hang nam") == fold("HANG  NAM")
    assert fold("Hằng năm") == fold("Hàng năm")


def test_strip_control_keeps_newline_and_tab():
    assert strip_control("a\r\nb\rc\x00d\te\x07f\x1bg") == "a\nb\ncd\tefg"


def test_strip_control_removes_invisible_marks_and_maps_line_separators():
    assert strip_control("\ufeffSở\u200b Xây\u00addựng\u2028Hết") == "Sở Xâydựng\nHết"


def test_strip_control_keeps_vietnamese_text_intact():
    text = "Kế hoạch số 255/KH-UBND ngày 18/6/2026 – “06 rõ”"
    assert strip_control(text) == text


@pytest.mark.parametrize("damaged", ["co quan chu tri", "co quan ch  tri", "c  quan ch tri", "coquanchutri",
                                     fold("Cơ quan chủ trì"), fold("CƠ QUAN CHỦ TRÌ")])
def test_tolerant_pattern_finds_a_phrase_whose_accented_letters_were_lost(damaged):
    assert re.fullmatch(tolerant_pattern("Cơ quan chủ trì"), damaged, re.ASCII)


@pytest.mark.parametrize("other", ["co quan phoi hop", "co quan chu tich", "don vi chu tri"])
def test_tolerant_pattern_does_not_match_another_phrase(other):
    assert not re.fullmatch(tolerant_pattern("Cơ quan chủ trì"), other, re.ASCII)


def test_the_timeframe_parser_and_the_field_labels_share_one_tolerant_pattern_rule():
    from desktop.domain import timeframe
    from desktop.importers import fields

    assert timeframe._tol is tolerant_pattern and fields._tol is tolerant_pattern
