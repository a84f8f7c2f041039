"""Review and receipts: a received report's review status and reason, what each unit reported per upper task, and
the receipts a sender got back.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 01:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_status', sa.String(length=20), nullable=False,
                                      server_default='pending'))
        batch_op.add_column(sa.Column('review_reason', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('reviewed_by', sa.String(length=100), nullable=False, server_default=''))

    op.create_table('submission_task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('upper_uid', sa.String(length=64), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('status_label', sa.String(length=100), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.Column('evidence', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_submission_task_submission_id_submission'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_task'))
    )
    with op.batch_alter_table('submission_task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_task_submission_id'), ['submission_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_task_upper_uid'), ['upper_uid'], unique=False)

    op.create_table('export_receipt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('export_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=False),
    sa.Column('receiver_name', sa.String(length=300), nullable=False),
    sa.Column('receipt_sha256', sa.String(length=64), nullable=False),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['export_id'], ['export.id'], name=op.f('fk_export_receipt_export_id_export'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export_receipt')),
    sa.UniqueConstraint('receipt_sha256', name=op.f('uq_export_receipt_receipt_sha256'))
    )
    with op.batch_alter_table('export_receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_receipt_export_id'), ['export_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('export_receipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_receipt_export_id'))
    op.drop_table('export_receipt')
    with op.batch_alter_table('submission_task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_task_upper_uid'))
        batch_op.drop_index(batch_op.f('ix_submission_task_submission_id'))
    op.drop_table('submission_task')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_column('reviewed_by')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('review_reason')
        batch_op.drop_column('review_status')
