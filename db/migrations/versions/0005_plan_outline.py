"""The report outline (đề cương) stored with the plan; the regime's own cut-offs live in plan.schedule.

Revision ID: 0005
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    columns = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("plan")}
    if "outline" not in columns:  # safe to run again on a database a previous attempt reached
        with op.batch_alter_table("plan", schema=None) as batch_op:
            batch_op.add_column(sa.Column("outline", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("outline")
