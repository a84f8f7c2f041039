"""Assignments written as running sentences: "UBND tỉnh giao Sở A chủ trì, phối hợp với Sở B … xây dựng …".

A clause is an assignment when it starts (after "Giao", "Đề nghị", "Yêu cầu" or "UBND tỉnh giao") with a
unit's name (see desktop.importers.unit_names). What follows the name is read in order: "chủ trì", then
"phối hợp (với) …" and the bodies it names, then the content. A paragraph is cut into clauses at
sentence ends and semicolons, and before "trong khi", "đồng thời" or "còn" when a name follows them;
a clause that names no body continues the assignment before it. A name in the middle of a clause
("báo cáo kết quả về Sở A") is never taken for an assignment, and a clause telling what a body has
done ("Sở A đã tổ chức …") is a report, not an assignment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from desktop.domain.text import fold
from desktop.importers.fields import fold_same_length, guess_timeframe
from desktop.importers.unit_names import NameAt, read_name

_SPLIT = re.compile(r"(?<=[.;!?])\s+(?=\S)|,?\s+(?=(?:trong khi|đồng thời|còn)\s+\S)")
_OPENERS = ("ủy ban nhân dân tỉnh giao", "ubnd tỉnh giao", "giao cho", "giao", "đề nghị", "yêu cầu",
            "trách nhiệm của", "đối với", "chỉ đạo", "trong khi", "đồng thời", "còn", "riêng", "theo đó")
_ISSUE_VERBS = re.compile(r"^\s*(?:giao|yeu cau|de nghi|phan cong)\s+(?:cho\s+)?")
_LEAD_WORD = re.compile(r"^\s*[,:]?\s*(?:la co quan |la don vi |lam )?chu tri\b\s*(?:thuc hien\b)?\s*[,:]?\s*")
_WITH = re.compile(r"^\s*[,:]?\s*(?:va\s+)?(?:phoi hop chat che voi|phoi hop voi|phoi hop cung|phoi hop|cung voi"
                   r"|voi su phoi hop cua)\s+")
_JOIN = re.compile(r"^\s*(?:,|;|va\b|cung\b)\s*")
_REPORTED = re.compile(r"^\s*(?:da|vua|dang|da duoc|chua)\s")
_OUTPUT = re.compile(r"(?:sản phẩm|kết quả)(?: dự kiến| đầu ra)?\s*(?:là|:)\s*([^.;]{3,200})", re.IGNORECASE)
_ADVERBIAL = re.compile(r"^(?:de|tren co so|sau khi|trong|truoc|nham|dinh ky|hang (?:nam|quy|thang)|cuoi (?:nam|quy)"
                        r"|can cu|theo)\b")
_ISSUER = re.compile(r"^(?:ban hanh (?:ke hoach|cong van|quyet dinh|chuong trinh)|(?:chi dao|yeu cau|de nghi|giao|quyet dinh"
                     r"|thong bao)\b.{0,40}(?:nhu sau|sau day)\b)")
MAX_CLAUSES = 200


@dataclass
class Assignment:
    """One assignment read from a sentence."""

    lead: list[str]
    cooperating: list[str] = field(default_factory=list)
    content: str = ""
    timeframe: str = ""
    output: str = ""
    unknown: list[str] = field(default_factory=list)  # names not in the table of units
    opens_list: bool = False  # "Sở A chủ trì các nội dung sau:" — the items below are its tasks


def _strip_opener(text: str) -> str:
    low = text.lower().replace("uỷ", "ủy")
    for opener in _OPENERS:
        if low.startswith(opener + " ") or low.startswith(opener + ":"):
            return text[len(opener):].lstrip(" :")
    return text


def _names_list(text: str, first: NameAt) -> tuple[list[NameAt], str]:
    """`first` and the names that follow it joined by ",", "và", "cùng"; returns them and the text after."""
    names, rest = [first], first.rest
    while len(names) < 30:
        join = _JOIN.match(fold_same_length(rest[:12]))
        if not join:
            break
        nxt = read_name(rest[join.end():])
        if nxt is None or not (nxt.known or nxt.general) and not _starts_body(rest[join.end():]):
            break
        names.append(nxt)
        rest = nxt.rest
    return names, rest


def _starts_body(text: str) -> bool:
    return bool(re.match(r"^(?:Sở|Ban|Trung tâm|Phòng|Chi cục|Cục|Hội|Ủy ban|UBND|Công an|Đài|Báo|Văn phòng)\s", text))


def _clause(text: str) -> Assignment | None:
    body = _strip_opener(text.strip().lstrip("-+•*– "))
    first = read_name(body)
    if first is None:
        comma = body.find(", ")
        if 0 < comma < 80 and _ADVERBIAL.match(fold(body[:comma])) and not _SPLIT.search(body[:comma]):
            first = read_name(body[comma + 2:])  # "Để bảo đảm tiến độ, Sở A chủ trì …"
        if first is None:
            return None
    issued = _ISSUE_VERBS.match(fold_same_length(first.rest[:30]))
    if issued:
        second = read_name(first.rest[issued.end():])
        if second is not None:
            first = second  # "UBND tỉnh giao Sở A …": Sở A is the one assigned
    leads, rest = _names_list(body, first)
    cooperating: list[NameAt] = []
    for _ in range(3):
        folded = fold_same_length(rest[:80])
        lead_word = _LEAD_WORD.match(folded)
        if lead_word and lead_word.end():
            rest = rest[lead_word.end():]
            continue
        with_word = _WITH.match(folded)
        if with_word:
            nxt = read_name(rest[with_word.end():])
            if nxt is not None:
                more, rest = _names_list(rest, nxt)
                cooperating.extend(more)
                continue
        break
    content = rest.strip(" \t,:-–").lstrip(".; ")
    if _REPORTED.match(fold(content) + " ") or _ISSUER.match(fold(content)) or content.upper() == content:
        return None
    if not content and not any(n.known for n in leads):
        return None
    opens = rest.rstrip().endswith(":")
    content = content[:1].upper() + content[1:]
    output = _OUTPUT.search(content)
    names = [*leads, *cooperating]
    return Assignment(
        lead=_unique(n.name for n in leads), cooperating=_unique(n.name for n in cooperating), content=content,
        timeframe=guess_timeframe(content), output=output.group(1).strip() if output else "",
        unknown=[n.name for n in names if not n.known], opens_list=opens)


def _unique(names) -> list[str]:
    out: list[str] = []
    for name in names:
        if fold(name) not in {fold(n) for n in out}:
            out.append(name)
    return out


def clauses(text: str) -> list[str]:
    """The clauses of a paragraph, in order (at most MAX_CLAUSES)."""
    pieces = [p for p in _SPLIT.split(text) if p and p.strip()]
    return pieces[:MAX_CLAUSES]


def read_assignments(text: str) -> list[Assignment]:
    """Every assignment in a paragraph; a clause naming no body is added to the one before it."""
    found: list[Assignment] = []
    for piece in clauses(text):
        assignment = _clause(piece)
        if assignment is not None:
            found.append(assignment)
        elif found:
            tail = piece.strip()
            found[-1].content = f"{found[-1].content.rstrip()} {tail}".strip()
            if not found[-1].timeframe:
                found[-1].timeframe = guess_timeframe(tail)
    for assignment in found:
        assignment.content = assignment.content.rstrip(" .;:")
    return found
