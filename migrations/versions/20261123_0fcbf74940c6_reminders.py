"""reminders: rows with a unique key, a claim lease and a delivery state; lead times; stopped kinds

Revision ID: 0fcbf74940c6
Revises: 6f3038c9d9a9
Create Date: 2026-11-23 11:24:41.397590+00:00
"""

from alembic import op
import sqlalchemy as sa
import governance.base


revision = '0fcbf74940c6'
down_revision = '6f3038c9d9a9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('reminder_lead',
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.CheckConstraint('hours BETWEEN 1 AND 8784', name=op.f('ck_reminder_lead_hours')),
    sa.PrimaryKeyConstraint('kind', 'round', name=op.f('pk_reminder_lead'))
    )
    op.create_table('reminder',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('subject_type', sa.String(length=10), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=True),
    sa.Column('occurrence', sa.String(length=40), nullable=False),
    sa.Column('round', sa.Integer(), nullable=False),
    sa.Column('due_at', governance.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('try_at', governance.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('subject_version', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('lease_until', governance.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('recovered', sa.Boolean(), nullable=False),
    sa.Column('message_id', sa.String(length=200), nullable=False),
    sa.Column('answer', sa.String(length=10), nullable=True),
    sa.Column('answered_at', governance.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', governance.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('sent_at', governance.base.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("answer IS NULL OR answer IN ('accepted', 'declined')", name=op.f('ck_reminder_answer')),
    sa.CheckConstraint("kind IN ('shift_upcoming', 'help_round', 'call_for_help', 'organiser_digest', 'meeting_invitation', 'task_due', 'task_overdue', 'milestone_due', 'minutes_pending')", name=op.f('ck_reminder_kind')),
    sa.CheckConstraint("state IN ('pending', 'claimed', 'sent', 'failed', 'cancelled')", name=op.f('ck_reminder_state')),
    sa.CheckConstraint("subject_type IN ('shift', 'meeting', 'task', 'milestone', 'person')", name=op.f('ck_reminder_subject_type')),
    sa.ForeignKeyConstraint(['recipient_id'], ['person.id'], name=op.f('fk_reminder_recipient_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminder')),
    sa.UniqueConstraint('kind', 'subject_type', 'subject_id', 'recipient_id', 'occurrence', 'round', name='uq_reminder_key'),
    sa.UniqueConstraint('message_id', name=op.f('uq_reminder_message_id'))
    )
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.create_index('ix_reminder_due', ['state', 'try_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminder_sent_at'), ['sent_at'], unique=False)
        batch_op.create_index('ix_reminder_subject', ['subject_type', 'subject_id'], unique=False)
        batch_op.create_index('uq_reminder_key_without_recipient', ['kind', 'subject_type', 'subject_id', 'occurrence', 'round'], unique=True, sqlite_where=sa.text('recipient_id IS NULL'), postgresql_where=sa.text('recipient_id IS NULL'))

    # A volunteer who never chose a lead time follows the network's (the coordinator's); 48 was the default.
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.alter_column('lead_hours', existing_type=sa.Integer(), nullable=True)
    op.execute("UPDATE volunteer SET lead_hours = NULL WHERE lead_hours = 48")
    op.create_table('reminder_stop',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('stopped_at', governance.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_reminder_stop_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'kind', name=op.f('pk_reminder_stop'))
    )


def downgrade() -> None:
    op.execute("UPDATE volunteer SET lead_hours = 48 WHERE lead_hours IS NULL")
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.alter_column('lead_hours', existing_type=sa.Integer(), nullable=False)
    op.drop_table('reminder_stop')
    with op.batch_alter_table('reminder', schema=None) as batch_op:
        batch_op.drop_index('uq_reminder_key_without_recipient', sqlite_where=sa.text('recipient_id IS NULL'), postgresql_where=sa.text('recipient_id IS NULL'))
        batch_op.drop_index('ix_reminder_subject')
        batch_op.drop_index(batch_op.f('ix_reminder_sent_at'))
        batch_op.drop_index(batch_op.f('ix_reminder_recipient_id'))
        batch_op.drop_index('ix_reminder_due')

    op.drop_table('reminder')
    op.drop_table('reminder_lead')
