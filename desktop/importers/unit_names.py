"""Reading a unit's name where a sentence starts ("Sở KH&CN chủ trì …") and mapping variants to one name.

The table of names, abbreviations and variants is resources/importers/agencies.json ("agencies",
"variants"); the clerk's own additions (made in the import wizard) are registered with `add_variants`.
A name is read at the start of a clause only:
1. a general phrase ("các sở, ban, ngành", "UBND các huyện, thành phố", "các cơ quan, đơn vị liên quan");
2. the longest known name or variant, compared by key (no diacritics, abbreviations expanded), then with
   one or two typing mistakes for long names whose first word agrees ("Ủy ban nhân dân tình"); a name
   must start with a capital letter, so "ban hành" or "sở hữu" never match, and a look-alike never
   matches a known name of another body ("Ủy ban Dân tộc" is not "Ban Dân tộc": keys are compared
   whole, from the first word);
3. otherwise a name that starts like a body ("Trung tâm …") and runs until the verb that follows it.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from desktop.domain.text import fold, nfc
from desktop.importers.fields import fold_same_length
from desktop.importers.units import _distance, agency_data, core_key, unit_key
from desktop.importers.unit_split import looks_like_body

MAX_NAME_WORDS = 14
_EDGE = " \t,;:.()\"'“”-–—"
_USER_VARIANTS: dict[str, str] = {}
_OPEN_TAILS = {"va", "cung", "voi", "cac", "nhung", "cua", "&", "-", "–"}

# Words after which a name has ended: the verb (or linking word) of the clause.
_STOP_WORDS = (
    "chủ trì", "phối hợp", "là", "có trách nhiệm", "chịu trách nhiệm", "thực hiện", "tổ chức", "bảo đảm", "đảm bảo",
    "thành lập", "xây dựng", "tham mưu", "hướng dẫn", "triển khai", "theo dõi", "chỉ đạo", "rà soát", "nghiên cứu",
    "tăng cường", "đẩy mạnh", "phụ trách", "kiểm tra", "tuyên truyền", "bố trí", "cân đối", "giúp", "tiếp tục",
    "chủ động", "quản lý", "phát huy", "vận động", "tổng hợp", "báo cáo", "đề xuất", "hoàn thiện", "ban hành",
    "được", "cần", "phải", "sẽ", "tiếp nhận", "xử lý", "giám sát", "điều phối", "lồng ghép", "nâng cao", "hỗ trợ",
    "cung cấp", "cập nhật", "đánh giá", "sơ kết", "tổng kết", "khen thưởng", "ưu tiên", "huy động", "đào tạo",
    "bồi dưỡng", "tập huấn", "ứng dụng", "phát triển", "giao", "yêu cầu", "đề nghị", "cùng", "với", "trong", "tại",
    "theo", "nhằm", "để", "có", "làm", "đưa", "mở", "ký", "thực thi", "dẫn", "đối với", "bổ sung", "tham gia",
    "sửa đổi", "chuẩn bị", "cử", "nhận", "gửi", "lập", "phân công", "định kỳ", "khẩn trương", "đôn đốc", "đã",
    "đang", "vừa", "và các", "trên cơ sở", "căn cứ", "thường xuyên", "kịp thời", "nghiêm túc", "quán triệt",
)
_STOP_RE = re.compile(r"^(?:" + "|".join(re.escape(w) for w in sorted(_STOP_WORDS, key=len, reverse=True))
                      + r")(?:\s|$|[,.;:])")
_GENERAL_RE = re.compile(
    r"^(?:(?:uy ban nhan dan|ubnd)\s+(?:cac\s+)?(?:cap\s+(?:huyen|xa)|(?:huyen|xa|phuong|thi tran|thi xa|thanh pho"
    r"|dac khu)(?:\s*,\s*(?:huyen|xa|phuong|thi tran|thi xa|thanh pho|dac khu))*)"
    r"|(?:cac|nhung)\s+(?:so|ban|nganh|co quan|don vi|dia phuong|to chuc|doan the|hoi|doanh nghiep|co quan bao chi"
    r"|phong|truong|co so)(?:\s*(?:,|va)\s*(?:so|ban|nganh|co quan|don vi|dia phuong|to chuc|doan the|hoi"
    r"|doanh nghiep|dia phuong))*)"
    r"(?:\s+(?:chuyen mon|thanh vien|truc thuoc(?: so)?|thuoc so|cap tinh|co lien quan|lien quan|tren dia ban(?: tinh)?"
    r"|chinh tri - xa hoi|chinh tri xa hoi|trong tinh|cua tinh|tinh))*")


@dataclass
class NameAt:
    """A name read at the start of a text: as written, the name to use, and what follows it."""

    written: str
    name: str
    rest: str
    known: bool  # found in the table (or a general phrase), not guessed from its first word
    general: bool = False


def add_variants(pairs: dict[str, str], replace: bool = False) -> None:
    """Register the clerk's own variants ("Sở KH-CN" → "Sở Khoa học và Công nghệ"); `replace` forgets older ones."""
    if replace:
        if pairs == _USER_VARIANTS:
            return
        _USER_VARIANTS.clear()
    for variant, name in pairs.items():
        if nfc(variant).strip() and nfc(name).strip():
            _USER_VARIANTS[nfc(variant).strip()] = nfc(name).strip()
    _keys.cache_clear()
    canonical.cache_clear()


def user_variants() -> dict[str, str]:
    return dict(_USER_VARIANTS)


@functools.lru_cache(maxsize=1)
def _keys() -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """(key → name to use; first word → [(key, name)]) over known names, their variants and the clerk's."""
    data = agency_data()
    exact: dict[str, str] = {}
    pairs: list[tuple[str, str]] = [(n, n) for n in data["agencies"]]
    for name, variants in data.get("variants", {}).items():
        pairs.append((name, name))
        pairs.extend((v, name) for v in variants)
    pairs.extend(_USER_VARIANTS.items())
    for written, name in pairs:
        for key in (unit_key(written), core_key(written)):
            if key and key not in exact and len(key.split()) >= 2:
                exact[key] = name
    by_first: dict[str, list[tuple[str, str]]] = {}
    for key, name in exact.items():
        if len(key) >= 14:
            by_first.setdefault(key.split()[0], []).append((key, name))
    return exact, by_first


@functools.lru_cache(maxsize=4096)
def canonical(name: str) -> str:
    """The table's name for a variant or abbreviation ("Sở KH&CN" → "Sở Khoa học và Công nghệ"); else `name`."""
    exact, _ = _keys()
    key = unit_key(name)
    found = exact.get(key)
    if found is None:
        return name
    if fold(found) == fold(name):
        return found  # the table's spelling, with its diacritics
    if core_key(found) == core_key(name) and len(name) >= len(found):
        return name  # the same name with its place written after it ("Sở Y tế tỉnh Thái Nguyên")
    return found


@functools.lru_cache(maxsize=8192)
def _word_fold(word: str) -> str:
    return fold(word)


@functools.lru_cache(maxsize=8192)
def _word_key(word: str) -> str:
    """unit_key of one word (abbreviations expanded), so a prefix's key is its words' keys joined."""
    return unit_key(word) if word else ""


def _prefix_key(pieces: list[str]) -> str:
    words = [w for piece in pieces for w in piece.split() if w != "va"]
    text = " ".join(words)
    if "viet nam" in text:
        text = " ".join(text.replace("viet nam", " ").split())
    return text


def _words(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def _capital(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return bool(letters) and letters[0].isupper()


def _typo_match(key: str, by_first: dict[str, list[tuple[str, str]]]) -> str | None:
    if len(key) < 14:
        return None
    first = key.split()[0]
    limit = 1 if len(key) < 24 else 2
    for candidate, name in by_first.get(first, ()):
        if abs(len(candidate) - len(key)) <= limit and candidate.split()[:2] == key.split()[:2] \
                and _distance(candidate, key, limit) <= limit:
            return name
    return None


def _qualifier_end(text: str, end: int) -> int:
    """Extend a name over a place qualifier written after it ("tỉnh", "tỉnh Thái Nguyên", "thành phố")."""
    match = re.match(r"\s+(?:tỉnh|tình|thành phố|TP\.?)(?=[\s,.;:]|$)((?:\s+[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ][^\s,.;:]*){0,3})",
                     text[end:])
    if not match:
        return end
    return end + match.end()


def read_name(text: str) -> NameAt | None:
    """The unit named at the very start of `text`, or None when the text does not start with one."""
    text = text.lstrip(" \t-–—+•*")
    if not text:
        return None
    general = _GENERAL_RE.match(fold_same_length(text[:160]))
    spans = _words(text[:300])
    if not spans:
        return None
    if general and general.end() > 4:
        end = general.end()
        written = text[:end].strip(_EDGE)
        return NameAt(written, written[:1].upper() + written[1:], text[end:], True, True)
    if not _capital(text[spans[0][0]:spans[0][1]]):
        return None
    exact, by_first = _keys()
    limit = min(len(spans), MAX_NAME_WORDS)
    cut = limit
    for i in range(limit):
        word = text[spans[i][0]:spans[i][1]]
        if i and word[-1:] in ",;:" or word[:1] == "(":
            cut = i + 1 if word[-1:] in ",;:" and word[:1] != "(" else i
            break
    pieces = [_word_key(text[a:b].strip(_EDGE)) for a, b in spans[:limit]]
    for k in range(limit, 0, -1):
        written = text[:spans[k - 1][1]].rstrip(_EDGE)
        if k > cut and "(" in written or _word_fold(written.split()[-1]) in _OPEN_TAILS:
            continue
        key = _prefix_key(pieces[:k]) if "(" not in written else unit_key(written)
        name = exact.get(key) or (_typo_match(key, by_first) if 3 <= k <= cut else None)
        if name:
            end = _qualifier_end(text, len(written))
            written = text[:end].strip(_EDGE)
            return NameAt(written, canonical(written) if exact.get(key) else name, text[end:], True)
    if not looks_like_body(text[:80], prefixed=False):
        return None
    k = 1
    while k < cut:
        rest = nfc(text[spans[k][0]:spans[k][0] + 40])
        if rest[:1].islower() and _STOP_RE.match(rest.lower().replace("uỷ", "ủy")) or rest[:1] in "(\"“":
            break
        k += 1
    if k == cut and cut == limit and limit >= MAX_NAME_WORDS:
        return None  # no verb after it: a sentence about a body, not a name
    written = text[:spans[k - 1][1]].strip(_EDGE)
    end = len(written)
    if not written or len(written.split()) < 2:
        return None
    return NameAt(written, written, text[end:], False)


def is_unit_name(text: str) -> bool:
    """Is the whole text one unit's name (not a sentence that starts with one)?"""
    text = text.strip(_EDGE)
    found = read_name(text)
    if found is None:
        return False
    rest = found.rest.strip(_EDGE)
    return not rest or (found.known and len(rest.split()) <= 2 and not _STOP_RE.match(nfc(rest).lower()))
