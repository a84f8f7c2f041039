"""Initial schema: department, units, plan, targets, tasks, periods, progress, reports, exports, audit, submissions.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 19:20:01.480541
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('user_name', sa.String(length=100), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('entity', sa.String(length=50), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('field', sa.String(length=100), nullable=False),
    sa.Column('old_value', sa.Text(), nullable=True),
    sa.Column('new_value', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_entry'))
    )
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_entry_at'), ['at'], unique=False)

    op.create_table('department',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('parent_agency', sa.String(length=200), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_in_text', sa.String(length=200), nullable=False),
    sa.Column('abbreviation', sa.String(length=30), nullable=False),
    sa.Column('unit_code', sa.String(length=50), nullable=False),
    sa.Column('place_name', sa.String(length=100), nullable=False),
    sa.Column('signer_name', sa.String(length=100), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('signer_authority', sa.String(length=100), nullable=False),
    sa.Column('default_recipients', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_department'))
    )
    op.create_table('expected_unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_code', sa.String(length=50), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expected_unit')),
    sa.UniqueConstraint('unit_code', name=op.f('uq_expected_unit_unit_code'))
    )
    op.create_table('plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('program', sa.Text(), nullable=False),
    sa.Column('basis_documents', sa.JSON(), nullable=False),
    sa.Column('preamble', sa.Text(), nullable=False),
    sa.Column('purposes', sa.Text(), nullable=False),
    sa.Column('requirements', sa.Text(), nullable=False),
    sa.Column('goals', sa.Text(), nullable=False),
    sa.Column('tasks_and_solutions', sa.Text(), nullable=False),
    sa.Column('organization', sa.Text(), nullable=False),
    sa.Column('start_year', sa.Integer(), nullable=False),
    sa.Column('end_year', sa.Integer(), nullable=False),
    sa.Column('schedule', sa.JSON(), nullable=False),
    sa.Column('report_to', sa.String(length=300), nullable=False),
    sa.Column('is_sample', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan'))
    )
    op.create_table('setting',
    sa.Column('key', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_setting'))
    )
    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('unit_code', sa.String(length=50), nullable=False),
    sa.Column('unit_name', sa.String(length=300), nullable=False),
    sa.Column('period_code', sa.String(length=20), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('package_sha256', sa.String(length=64), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission')),
    sa.UniqueConstraint('package_sha256', name=op.f('uq_submission_package_sha256')),
    sa.UniqueConstraint('unit_code', 'period_code', 'version', name=op.f('uq_submission_unit_code_period_code_version'))
    )
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_period_code'), ['period_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_submission_unit_code'), ['unit_code'], unique=False)

    op.create_table('unit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('short_name', sa.String(length=50), nullable=False),
    sa.Column('is_internal', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_unit')),
    sa.UniqueConstraint('name', name=op.f('uq_unit_name'))
    )
    op.create_table('period',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('cutoff_start', sa.Date(), nullable=False),
    sa.Column('cutoff_end', sa.Date(), nullable=False),
    sa.Column('span_start', sa.Date(), nullable=False),
    sa.Column('span_end', sa.Date(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reopened_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_period_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_period')),
    sa.UniqueConstraint('plan_id', 'code', name=op.f('uq_period_plan_id_code'))
    )
    with op.batch_alter_table('period', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_period_plan_id'), ['plan_id'], unique=False)

    op.create_table('target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('goal_text', sa.String(length=100), nullable=False),
    sa.Column('goal_value', sa.Float(), nullable=True),
    sa.Column('measure_unit', sa.String(length=50), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_target_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target'))
    )
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_plan_id'), ['plan_id'], unique=False)

    op.create_table('task_group',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_task_group_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_group'))
    )
    with op.batch_alter_table('task_group', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_group_plan_id'), ['plan_id'], unique=False)

    op.create_table('export',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_export_period_id_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_export')),
    sa.UniqueConstraint('period_id', 'version', name=op.f('uq_export_period_id_version'))
    )
    with op.batch_alter_table('export', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_export_period_id'), ['period_id'], unique=False)

    op.create_table('report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=50), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('direction', sa.Text(), nullable=False),
    sa.Column('results', sa.Text(), nullable=False),
    sa.Column('assessment', sa.Text(), nullable=False),
    sa.Column('next_steps', sa.Text(), nullable=False),
    sa.Column('proposals', sa.Text(), nullable=False),
    sa.Column('recipients', sa.JSON(), nullable=False),
    sa.Column('signer_name', sa.String(length=100), nullable=False),
    sa.Column('signer_title', sa.String(length=100), nullable=False),
    sa.Column('signer_authority', sa.String(length=100), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_report_period_id_period'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report')),
    sa.UniqueConstraint('period_id', name=op.f('uq_report_period_id'))
    )
    op.create_table('target_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('value_text', sa.String(length=100), nullable=False),
    sa.Column('value', sa.Float(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_target_figure_period_id_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_id'], ['target.id'], name=op.f('fk_target_figure_target_id_target'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_target_figure')),
    sa.UniqueConstraint('target_id', 'period_id', name=op.f('uq_target_figure_target_id_period_id'))
    )
    with op.batch_alter_table('target_figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_target_figure_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_target_figure_target_id'), ['target_id'], unique=False)

    op.create_table('task',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('lead_unit_id', sa.Integer(), nullable=True),
    sa.Column('timeframe_text', sa.Text(), nullable=False),
    sa.Column('timeframe', sa.JSON(), nullable=False),
    sa.Column('expected_output', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['group_id'], ['task_group.id'], name=op.f('fk_task_group_id_task_group'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['lead_unit_id'], ['unit.id'], name=op.f('fk_task_lead_unit_id_unit'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['plan_id'], ['plan.id'], name=op.f('fk_task_plan_id_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task'))
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_lead_unit_id'), ['lead_unit_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_plan_id'), ['plan_id'], unique=False)

    op.create_table('progress',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('period_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('result', sa.Text(), nullable=False),
    sa.Column('figures', sa.Text(), nullable=False),
    sa.Column('difficulties', sa.Text(), nullable=False),
    sa.Column('proposals', sa.Text(), nullable=False),
    sa.Column('updated_by', sa.String(length=100), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['period_id'], ['period.id'], name=op.f('fk_progress_period_id_period'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_progress_task_id_task'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_progress')),
    sa.UniqueConstraint('task_id', 'period_id', name=op.f('uq_progress_task_id_period_id'))
    )
    with op.batch_alter_table('progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_progress_period_id'), ['period_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_progress_task_id'), ['task_id'], unique=False)

    op.create_table('task_cooperating_unit',
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['task.id'], name=op.f('fk_task_cooperating_unit_task_id_task'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_task_cooperating_unit_unit_id_unit'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('task_id', 'unit_id', name=op.f('pk_task_cooperating_unit'))
    )
    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('progress_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=100), nullable=False),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('file_sha256', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['progress_id'], ['progress.id'], name=op.f('fk_evidence_progress_id_progress'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_progress_id'), ['progress_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_progress_id'))

    op.drop_table('evidence')
    op.drop_table('task_cooperating_unit')
    with op.batch_alter_table('progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_progress_task_id'))
        batch_op.drop_index(batch_op.f('ix_progress_period_id'))

    op.drop_table('progress')
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_plan_id'))
        batch_op.drop_index(batch_op.f('ix_task_lead_unit_id'))
        batch_op.drop_index(batch_op.f('ix_task_group_id'))

    op.drop_table('task')
    with op.batch_alter_table('target_figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_figure_target_id'))
        batch_op.drop_index(batch_op.f('ix_target_figure_period_id'))

    op.drop_table('target_figure')
    op.drop_table('report')
    with op.batch_alter_table('export', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_export_period_id'))

    op.drop_table('export')
    with op.batch_alter_table('task_group', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_group_plan_id'))

    op.drop_table('task_group')
    with op.batch_alter_table('target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_target_plan_id'))

    op.drop_table('target')
    with op.batch_alter_table('period', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_period_plan_id'))

    op.drop_table('period')
    op.drop_table('unit')
    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_unit_code'))
        batch_op.drop_index(batch_op.f('ix_submission_period_code'))

    op.drop_table('submission')
    op.drop_table('setting')
    op.drop_table('plan')
    op.drop_table('expected_unit')
    op.drop_table('department')
    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_entry_at'))

    op.drop_table('audit_entry')
