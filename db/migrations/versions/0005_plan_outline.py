"""The report outline (đề cương) stored with the plan, and quarterly and 9-month periods allowed by the period
kind check (the regime's own cut-offs live in plan.schedule).

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# The period kinds as this revision fixes them (copied, not imported: desktop.domain may grow later).
PERIOD_KINDS = ("quarter", "half", "nine", "year", "phase")
PERIOD_KINDS_0002 = ("half", "year", "phase")


def _replace_period_kind_check(kinds: tuple[str, ...]) -> None:
    allowed = ", ".join(f"'{kind}'" for kind in kinds)
    with op.batch_alter_table("period", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_period_kind"), type_="check")
        batch_op.create_check_constraint(op.f("ck_period_kind"), f"kind IN ({allowed})")


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("plan")}
    if "outline" not in columns:  # safe to run again on a database a previous attempt reached
        with op.batch_alter_table("plan", schema=None) as batch_op:
            batch_op.add_column(sa.Column("outline", sa.JSON(), nullable=True))
    _replace_period_kind_check(PERIOD_KINDS)


def downgrade() -> None:
    _replace_period_kind_check(PERIOD_KINDS_0002)  # refused by the database while a quarter or 9-month period exists
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("outline")
