"""Tolerant matching of unit names (case, diacritics, qualifiers, letters lost in conversion) and task roles.

Decisions:
- Two names are the same body when their keys agree: folded (no diacritics, lower case), abbreviations
  expanded ("UBND" = "Ủy ban nhân dân", "GD&ĐT" = "Giáo dục và Đào tạo"), "và" and punctuation dropped.
  A trailing place qualifier is ignored ("Sở Y tế tỉnh Thái Nguyên", "Công an tỉnh" = "Công an"; for a
  Sở also "thành phố": "Sở Y tế thành phố" = "Sở Y tế"), but never "Tỉnh ủy"/"Tỉnh đoàn", and "UBND
  thành phố" stays apart from "UBND tỉnh".
- Names damaged by PDF conversion ("S Y t", "Công an t nh", "UBND các xã, ph ãng") match when every
  gap may hide up to two lost letters, or when the folded texts are within a small edit distance.
  Only names that look damaged (a short consonant-only fragment) are matched that loosely.
- "General" assignments ("các sở, ban, ngành", "các cơ quan, đơn vị liên quan") come from patterns in
  resources/importers/agencies.json; they concern every department and form their own group.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable

from desktop.domain.text import fold, nfc
from desktop.importers.model import ImportedTask, Role
from resources import resource_path

_VOWELS = set("aeiouy")
_PLAIN_RE = re.compile(r"[^a-z0-9&]+")
_QUOTES = ".,;:()[]\"'“”‘’*"


@functools.lru_cache(maxsize=1)
def agency_data() -> dict:
    """The shipped list of common bodies, abbreviations, prefixes and general-assignment patterns."""
    data = json.loads(resource_path("importers", "agencies.json").read_text(encoding="utf-8"))
    data["general_re"] = [re.compile(p) for p in data["general_patterns"]]
    return data


def known_agencies() -> list[str]:
    return list(agency_data()["agencies"])


@functools.lru_cache(maxsize=8192)
def plain(name: str) -> str:
    """Folded text with punctuation turned into single spaces."""
    return " ".join(_PLAIN_RE.sub(" ", fold(name).replace("&", " ")).split())


@functools.lru_cache(maxsize=4096)
def unit_key(name: str) -> str:
    """The comparison key of a unit name (see the module notes)."""
    abbreviations = agency_data()["abbreviations"]
    words: list[str] = []
    bare = re.sub(r"\([^()]*\)", " ", name) if re.sub(r"\([^()]*\)", "", name).strip() else name
    for raw in fold(bare).split():
        token = raw.strip(_QUOTES)
        if token in abbreviations:
            words.extend(abbreviations[token].split())
            continue
        for piece in re.split(r"[^a-z0-9]+", token):
            if piece:
                words.extend(abbreviations.get(piece, piece).split())
    text = " ".join(w for w in words if w != "va")
    text = re.sub(r"\bviet nam\b", " ", text)
    return " ".join(text.split())


@functools.lru_cache(maxsize=4096)
def core_key(name: str) -> str:
    """The key without a trailing place qualifier ("tỉnh Thái Nguyên", "thành phố", "cấp tỉnh", "trên địa bàn")."""
    words = unit_key(name).split()
    text = " ".join(words)
    for tail in (" tren dia ban", " cap tinh"):
        at = text.find(tail)
        if at > 0:
            text = text[:at]
    words = text.split()
    for i in range(len(words) - 1, 0, -1):
        if len(words) - i > 5:
            break
        rest = words[i + 1:]
        if words[i] == "tinh" and not (rest and rest[0] in ("uy", "doan")):
            return " ".join(words[:i])
        if words[i] == "thanh" and rest[:1] == ["pho"] and words[0] == "so":
            return " ".join(words[:i])
    return " ".join(words)


@functools.lru_cache(maxsize=8192)
def looks_damaged(name: str) -> bool:
    """True when the name has a fragment no Vietnamese word is made of ("S Y t", "t nh", "ph ãng").

    Acronyms written in capitals ("GD&ĐT", "CNTT") and known abbreviations are not damage.
    """
    abbreviations = agency_data()["abbreviations"]
    for raw in nfc(name).split():
        token = raw.strip(_QUOTES)
        letters = [c for c in token if c.isalpha()]
        if len(letters) >= 2 and all(c.isupper() for c in letters):
            continue
        folded = fold(token)
        if folded in abbreviations:
            continue
        for piece in re.split(r"[^a-z0-9]+", folded):
            if not piece or piece.isdigit() or piece in abbreviations:
                continue
            if len(piece) <= 3 and not (set(piece) & _VOWELS):
                return True
    return False


def _gap_pattern(text: str) -> re.Pattern | None:
    tokens = text.split()
    if len(tokens) < 2 or len(text) < 4:
        return None
    gap = r"[a-z]{0,2} ?"
    return re.compile(gap.join(re.escape(t) for t in tokens) + r"[a-z]{0,2}")


def _distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it must exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def damaged_match(damaged: str, clean: str) -> bool:
    """Could `damaged` be `clean` with letters lost or garbled in conversion?"""
    source, target = plain(damaged), plain(clean)
    if not source or not target:
        return False
    candidates = {target, " ".join(unit_key(clean).split()), core_key(clean)}
    pattern = _gap_pattern(source)
    if pattern is not None and any(pattern.fullmatch(c) for c in candidates if c):
        return True
    if len(target) >= 10:
        limit = max(1, len(target) * 15 // 100)
        source_key = unit_key(damaged)
        return any(_distance(s, c, limit) <= limit for s in (source, source_key) for c in candidates if c)
    return False


def names_match(a: str, b: str) -> bool:
    """Do two unit names denote the same body (tolerating case, diacritics, qualifiers and damage)?"""
    ka, kb = unit_key(a), unit_key(b)
    if not ka or not kb:
        return False
    if ka == kb:
        return True
    ca, cb = core_key(a), core_key(b)
    if ca and ca == cb:
        return True
    if looks_damaged(a) and damaged_match(a, b):
        return True
    return looks_damaged(b) and damaged_match(b, a)


def best_match(name: str, candidates: Iterable[str]) -> str | None:
    """The first candidate that is the same body as `name` (exact keys before tolerant matches)."""
    pool = [c for c in candidates if c]
    key, core = unit_key(name), core_key(name)
    for candidate in pool:
        if unit_key(candidate) == key:
            return candidate
    for candidate in pool:
        if core and core_key(candidate) == core:
            return candidate
    if looks_damaged(name):
        for candidate in pool:
            if not looks_damaged(candidate) and damaged_match(name, candidate):
                return candidate
    return None


def repair(name: str, extra: Iterable[str] = ()) -> str:
    """A damaged name replaced by the known name it stands for ("S Y t" → "Sở Y tế"); other names unchanged."""
    if not looks_damaged(name):
        return name
    return _repair(name, tuple(extra))


@functools.lru_cache(maxsize=4096)
def _repair(name: str, extra: tuple[str, ...]) -> str:
    found = best_match(name, [*extra, *known_agencies()])
    return found if found is not None else name


def is_general(name: str) -> bool:
    """Is this a general assignment ("các sở, ban, ngành", "các đơn vị liên quan") rather than one body?"""
    text = " ".join(fold(name).split())
    return any(p.search(text) for p in agency_data()["general_re"])


def role_of(task: ImportedTask, department: str) -> Role | None:
    """How the task concerns the department: it leads, it cooperates, it is covered by a general assignment."""
    if any(names_match(department, name) for name in task.lead):
        return "lead"
    if any(names_match(department, name) for name in task.cooperating):
        return "cooperate"
    if any(is_general(name) for name in [*task.lead, *task.cooperating]):
        return "general"
    return None


def assign_roles(tasks: Iterable[ImportedTask], department: str | None) -> None:
    """Set `role` on every task for this department (None everywhere when no department is given)."""
    for task in tasks:
        task.role = role_of(task, department) if department and nfc(department) else None
