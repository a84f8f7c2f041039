"""Helpers for the package tests: export the sample, rewrite packages, and build raw (hostile) ZIP files byte by byte."""

from __future__ import annotations

import hashlib
import io
import json
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def run_cli(argv: list[str]) -> int:
    """Run `khbc` exactly as the command line does (desktop.cli.main)."""
    from desktop.cli import main

    return main(argv)


def read_entries(package: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(package)) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def write_zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return buffer.getvalue()


def reseal(entries: dict[str, bytes], manifest_change: Callable[[dict], None] | None = None) -> dict[str, bytes]:
    """Recompute the manifest's sizes and hashes for the given contents, so only the intended defect remains."""
    manifest = json.loads(entries["manifest.json"])
    for record in manifest["files"]:
        if record["name"] in entries:
            record["size"] = len(entries[record["name"]])
            record["sha256"] = hashlib.sha256(entries[record["name"]]).hexdigest()
    if manifest_change:
        manifest_change(manifest)
    out = dict(entries)
    out["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode("utf-8")
    return out


def with_data(package: bytes, change: Callable[[dict], None]) -> bytes:
    """The package with data.json edited by `change` and the manifest resealed to match."""
    entries = read_entries(package)
    data = json.loads(entries["data.json"])
    change(data)
    entries["data.json"] = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return write_zip(reseal(entries))


@dataclass
class RawEntry:
    """One entry of a hand-made ZIP; every field a hostile archive might lie about can be set."""

    name: bytes
    data: bytes = b"x"
    method: int = zipfile.ZIP_STORED
    flags: int = 0
    external_attr: int = 0o100644 << 16
    create_system: int = 3
    claimed_size: int | None = None  # uncompressed size written in the headers
    header_offset: int | None = None  # central directory's pointer to the local header


def raw_zip(entries: list[RawEntry], prefix: bytes = b"", zip64_locator: bool = False) -> bytes:
    """Assemble a ZIP by hand (local headers, central directory, end record) exactly as described."""
    out = io.BytesIO()
    out.write(prefix)
    central = []
    for entry in entries:
        payload = entry.data
        if entry.method == zipfile.ZIP_DEFLATED:
            compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
            payload = compressor.compress(entry.data) + compressor.flush()
        crc = zlib.crc32(entry.data)
        size = len(entry.data) if entry.claimed_size is None else entry.claimed_size
        offset = out.tell() - len(prefix) if entry.header_offset is None else entry.header_offset
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, entry.flags, entry.method, 0, 0x21,
                              crc, len(payload), size, len(entry.name), 0))
        out.write(entry.name)
        out.write(payload)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", (entry.create_system << 8) | 20, 20, entry.flags,
                                   entry.method, 0, 0x21, crc, len(payload), size, len(entry.name), 0, 0, 0, 0,
                                   entry.external_attr, offset) + entry.name)
    start = out.tell() - len(prefix)
    directory = b"".join(central)
    out.write(directory)
    if zip64_locator:
        out.write(struct.pack("<4sLQL", b"PK\x06\x07", 0, 0, 1))
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), start, 0))
    return out.getvalue()


def raw_from_package(package: bytes, extra: list[RawEntry] | None = None,
                     rename: dict[str, bytes] | None = None) -> bytes:
    """A hand-made copy of a real package (same contents), optionally with entries renamed or added."""
    rename = rename or {}
    entries = [RawEntry(rename.get(name, name.encode("utf-8")), content, zipfile.ZIP_DEFLATED, flags=0x800)
               for name, content in read_entries(package).items()]
    return raw_zip(entries + (extra or []))


def file_listing(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


EVIDENCE_BYTES = b"%PDF-1.4\n% minh chung: cong van 15/SXD-VP\n%%EOF\n"


def prepare_sample(workspace, folder: Path) -> None:
    """Progress on two tasks of period 2026, one with an attached evidence file."""
    from desktop.services.attachments import attach_file
    from desktop.services.progress import record_progress

    source = folder / "Công văn 15-SXD.pdf"
    source.write_bytes(EVIDENCE_BYTES)
    with workspace.unit_of_work() as session:
        entry = record_progress(session, "2026", "1", "done", result="Đã ban hành Kế hoạch triển khai của Sở.")
        record_progress(session, "2026", "2", "in_progress", result="Tổ chức 02 hội nghị tuyên truyền.",
                        difficulties="Kinh phí hạn chế.")
        session.flush()
        attach_file(session, workspace, entry.id, source, "15/SXD-VP", None, "Về việc triển khai Kế hoạch")


def sample_package(folder: Path) -> tuple[Path, Path]:
    """A fresh sample database with progress and evidence, and its exported 2026 package: (db, package)."""
    from desktop.services.bundles import export_package
    from desktop.services.workspace import Workspace
    from sample_helpers import fresh_database

    folder.mkdir(parents=True, exist_ok=True)
    db = fresh_database(folder / "sender.sqlite3")
    workspace = Workspace.open(db)
    try:
        prepare_sample(workspace, folder)
        result = export_package(workspace, "2026", folder / "out")
    finally:
        workspace.close()
    return db, result.path


WORDS = ("triển khai", "tuyên truyền", "kiểm tra", "hướng dẫn", "rà soát", "tổ chức", "hội nghị", "công chức",
         "văn bản", "an toàn thông tin", "chuyển đổi số", "xây dựng", "đào tạo", "bồi dưỡng", "báo cáo", "đơn vị",
         "kế hoạch", "phối hợp", "trẻ em", "môi trường mạng", "hoàn thành", "đúng tiến độ", "cấp xã", "lớp tập huấn")


def long_text(seed: int, chars: int) -> str:
    """Varied Vietnamese-looking prose of about `chars` characters (deterministic for a seed)."""
    import random

    rng = random.Random(seed)
    words: list[str] = []
    length = 0
    while length < chars:
        word = rng.choice(WORDS) if rng.random() > 0.15 else f"{rng.randint(1, 999):02d}"
        words.append(word)
        length += len(word) + 1
    return (" ".join(words)[:chars].rstrip().capitalize() + ".") if chars else ""


def grow_plan(workspace, tasks: int, period: str = "2026", result_chars: int = 400) -> None:
    """Bring the current plan to `tasks` tasks, each with recorded progress of about `result_chars` characters."""
    from sqlalchemy import select

    from db.models import Progress, Task
    from desktop.services.queries import current_plan, find_period
    from desktop.services.setup import parsed_timeframe

    statuses = ("done", "in_progress", "not_started", "done")
    with workspace.unit_of_work() as session:
        plan = current_plan(session)
        existing = list(plan.tasks)
        template = existing[0]
        for position in range(len(existing) + 1, tasks + 1):
            source = existing[position % len(existing)]
            plan.tasks.append(Task(position=position, number=str(position),
                                   content=f"Nhiệm vụ {position}: {long_text(position, 120)}",
                                   lead_unit=source.lead_unit or template.lead_unit,
                                   timeframe_text=source.timeframe_text,
                                   timeframe=parsed_timeframe(source.timeframe_text, plan),
                                   expected_output=long_text(position + 7, 60)))
        session.flush()
        the_period = find_period(session, plan, period)
        done = set(session.scalars(select(Progress.task_id).where(Progress.period_id == the_period.id)))
        for index, task in enumerate(plan.tasks):
            if task.id in done:
                continue
            session.add(Progress(task=task, period=the_period, status=statuses[index % 4],
                                 result=long_text(index, result_chars),
                                 difficulties=long_text(index + 3, result_chars // 4) if index % 3 == 0 else ""))
