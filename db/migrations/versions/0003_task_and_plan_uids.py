"""Stable identifiers for plans and tasks, and the links to the upper level's plan package.

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-29 01:00:00

task.uid / plan.uid: stable identifiers carried by plan and report packages (uuid4 hex, filled here for
existing rows). task.upper_uid: the upper-level task this task implements; task.upper_state: "" or
"removed" once the upper level dropped it (kept because it holds results). plan.upper_plan_uid /
upper_version: the upper plan package this plan was imported from; plan.package_version / package_digest:
the last plan package this plan was sent down as (the upper side's amendment counter).
"""
import uuid

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def _fill_uids(table: str) -> None:
    bind = op.get_bind()
    ids = [row[0] for row in bind.execute(sa.text(f"SELECT id FROM {table} WHERE uid IS NULL ORDER BY id"))]
    for row_id in ids:
        bind.execute(sa.text(f"UPDATE {table} SET uid = :uid WHERE id = :id"), {"uid": uuid.uuid4().hex, "id": row_id})


def upgrade() -> None:
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uid', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('upper_plan_uid', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('upper_version', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('package_version', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('package_digest', sa.String(length=64), nullable=False, server_default=''))
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('uid', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('upper_uid', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('upper_state', sa.String(length=20), nullable=False, server_default=''))
    _fill_uids('plan')
    _fill_uids('task')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.alter_column('uid', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_index(batch_op.f('ix_plan_uid'), ['uid'], unique=True)
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.alter_column('uid', existing_type=sa.String(length=32), nullable=False)
        batch_op.create_index(batch_op.f('ix_task_uid'), ['uid'], unique=True)
        batch_op.create_index(batch_op.f('ix_task_upper_uid'), ['upper_uid'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_upper_uid'))
        batch_op.drop_index(batch_op.f('ix_task_uid'))
        batch_op.drop_column('upper_state')
        batch_op.drop_column('upper_uid')
        batch_op.drop_column('uid')
    with op.batch_alter_table('plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_uid'))
        batch_op.drop_column('package_digest')
        batch_op.drop_column('package_version')
        batch_op.drop_column('upper_version')
        batch_op.drop_column('upper_plan_uid')
        batch_op.drop_column('uid')
