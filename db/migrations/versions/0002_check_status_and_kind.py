"""Check constraints on progress.status, period.kind and audit_entry.action; legacy spellings mapped first.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 01:10:00

Rows whose value is a known other spelling of an allowed code (a label, other case, spaces or hyphens) are
rewritten to the code, each change logged in the audit trail. Any other value stops the upgrade before a
table is touched: the transaction is rolled back and the clerk is told which rows, in Vietnamese.
"""
import unicodedata
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa

from db.types import UtcDateTime
from desktop.errors import DatabaseError

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# The allowed codes as this revision fixes them (copied from desktop.domain, which may grow later: a
# later revision that allows a new code replaces the constraint), with the labels earlier data may hold.
CHECKS = {
    ("progress", "status"): ("tình trạng thực hiện", {
        "done": ("đã hoàn thành", "hoàn thành"),
        "in_progress": ("đang thực hiện",),
        "not_started": ("chưa thực hiện",),
        "not_applicable": ("không phát sinh",),
    }),
    ("period", "kind"): ("loại kỳ báo cáo", {
        "half": ("6 tháng", "sáu tháng"),
        "year": ("năm",),
        "phase": ("giai đoạn",),
    }),
    ("audit_entry", "action"): ("thao tác trong nhật ký thay đổi", {
        "create": ("thêm",),
        "update": ("sửa",),
        "delete": ("xóa", "xoá"),
        "reopen": ("mở lại kỳ",),
        "export": ("xuất gói",),
        "import": ("nhập từ tệp",),
        "draft": ("soạn tự động",),
    }),
}
MIGRATION_USER = "KHBC (nâng cấp dữ liệu)"
SHOWN_PROBLEMS = 5


def _key(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).split()).lower()


def _code_for(value, allowed: dict[str, tuple[str, ...]]) -> str | None:
    """The allowed code a stored value stands for, or None when it is no known spelling of one."""
    if not isinstance(value, str):
        return None
    key = _key(value)
    for code, labels in allowed.items():
        if key.replace(" ", "_").replace("-", "_") == code or key in labels:
            return code
    return None


def _condition(column: str, codes) -> str:
    return f"{column} IN ({', '.join(repr(code) for code in codes)})"


def _repair_or_refuse(bind) -> None:
    """Rewrite known spellings to their code; refuse (nothing changed) when any other value is stored."""
    fixes, problems = [], []
    for (table, column), (meaning, allowed) in CHECKS.items():
        rows = bind.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NULL OR NOT "
                                    f"({_condition(column, allowed)}) ORDER BY id")).all()
        for row_id, value in rows:
            code = _code_for(value, allowed)
            if code is None:
                problems.append(f"bảng {table}, dòng số {row_id}: {meaning} “{value}”")
            else:
                fixes.append((table, column, row_id, value, code))
    if problems:
        shown = "; ".join(problems[:SHOWN_PROBLEMS])
        more = f" và {len(problems) - SHOWN_PROBLEMS} dòng khác" if len(problems) > SHOWN_PROBLEMS else ""
        raise DatabaseError(
            f"Không nâng cấp được cơ sở dữ liệu lên phiên bản mới của KHBC: có {len(problems)} dòng mang giá trị mà "
            f"KHBC không nhận ra ({shown}{more}). Dữ liệu vẫn được giữ nguyên như trước, chưa thay đổi gì. Hãy báo "
            "cho bộ phận hỗ trợ kỹ thuật để sửa các dòng đó rồi mở lại.")
    log = sa.table("audit_entry", sa.column("at", UtcDateTime), sa.column("user_name"), sa.column("action"),
                   sa.column("entity"), sa.column("entity_id"), sa.column("field"), sa.column("old_value"),
                   sa.column("new_value"))
    now = datetime.now(timezone.utc)
    for table, column, row_id, old, new in fixes:
        bind.execute(sa.text(f"UPDATE {table} SET {column} = :new WHERE id = :id"), {"new": new, "id": row_id})
    for table, column, row_id, old, new in fixes:
        bind.execute(log.insert().values(at=now, user_name=MIGRATION_USER, action="update", entity=table,
                                         entity_id=row_id, field=column, old_value=old, new_value=new))


def upgrade() -> None:
    _repair_or_refuse(op.get_bind())
    for (table, column), (_meaning, allowed) in CHECKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_check_constraint(op.f(f"ck_{table}_{column}"), _condition(column, allowed))


def downgrade() -> None:
    for table, column in CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_{column}"), type_="check")
