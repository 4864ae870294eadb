"""volunteers and shifts: helper shifts on an event's date, sign-ups, volunteers' preferences;
accounts of kind volunteer that log in by a mailed link

Revision ID: 6f3038c9d9a9
Revises: aa94fc2795a8
Create Date: 2026-11-23 08:24:40.295278+00:00
"""

from alembic import op
import sqlalchemy as sa
import governance.base


revision = '6f3038c9d9a9'
down_revision = 'aa94fc2795a8'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('volunteer',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('email_confirmed_at', governance.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('task_kinds', sa.String(length=100), nullable=False),
    sa.Column('max_hours_per_month', sa.Integer(), nullable=True),
    sa.Column('lead_hours', sa.Integer(), nullable=False),
    sa.Column('paused_until', sa.Date(), nullable=True),
    sa.Column('last_asked_at', governance.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('last_active_at', governance.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('created_at', governance.base.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('lead_hours BETWEEN 1 AND 336', name=op.f('ck_volunteer_lead_hours')),
    sa.CheckConstraint('max_hours_per_month IS NULL OR max_hours_per_month BETWEEN 1 AND 200', name=op.f('ck_volunteer_max_hours')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_volunteer_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', name=op.f('pk_volunteer'))
    )
    op.create_table('volunteer_area',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['area.id'], name=op.f('fk_volunteer_area_area_id_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['volunteer.person_id'], name=op.f('fk_volunteer_area_person_id_volunteer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'area_id', name=op.f('pk_volunteer_area'))
    )
    op.create_table('volunteer_target_group',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('target_group_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['volunteer.person_id'], name=op.f('fk_volunteer_target_group_person_id_volunteer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['target_group_id'], ['target_group.id'], name=op.f('fk_volunteer_target_group_target_group_id_target_group'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'target_group_id', name=op.f('pk_volunteer_target_group'))
    )
    op.create_table('shift',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('occurrence_start', governance.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('task', sa.String(length=120), nullable=False),
    sa.Column('task_kind', sa.String(length=12), nullable=False),
    sa.Column('starts_at', governance.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', governance.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('places', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('cancelled', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', governance.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', governance.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("task_kind IN ('setup', 'catering', 'children', 'stewarding', 'driving', 'other')", name=op.f('ck_shift_task_kind')),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_shift_ends_after_start')),
    sa.CheckConstraint('places BETWEEN 1 AND 500', name=op.f('ck_shift_places')),
    sa.ForeignKeyConstraint(['contact_id'], ['person.id'], name=op.f('fk_shift_contact_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_shift_created_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['event.id'], name=op.f('fk_shift_event_id_event'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_shift'))
    )
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.create_index('ix_shift_event_date', ['event_id', 'occurrence_start'], unique=False)
        batch_op.create_index(batch_op.f('ix_shift_starts_at'), ['starts_at'], unique=False)

    op.create_table('signup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('shift_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=True),
    sa.Column('created_at', governance.base.UtcDateTime(timezone=True), nullable=False),
    sa.Column('cancelled_at', governance.base.UtcDateTime(timezone=True), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('minutes', sa.Integer(), nullable=True),
    sa.Column('worked_at', governance.base.UtcDateTime(timezone=True), nullable=True),
    sa.CheckConstraint("(state = 'taken') = (slot IS NOT NULL)", name=op.f('ck_signup_slot_when_taken')),
    sa.CheckConstraint("state IN ('taken', 'waiting', 'cancelled')", name=op.f('ck_signup_state')),
    sa.CheckConstraint('minutes IS NULL OR minutes >= 0', name=op.f('ck_signup_minutes')),
    sa.CheckConstraint('attended = (worked_at IS NOT NULL)', name=op.f('ck_signup_worked_when_attended')),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_signup_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['shift_id'], ['shift.id'], name=op.f('fk_signup_shift_id_shift'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signup')),
    sa.UniqueConstraint('shift_id', 'slot', name=op.f('uq_signup_shift_id_slot'))
    )
    with op.batch_alter_table('signup', schema=None) as batch_op:
        batch_op.create_index('ix_signup_person_state', ['person_id', 'state'], unique=False)
        batch_op.create_index('ix_signup_hours', ['person_id', 'worked_at', 'minutes'], unique=False, sqlite_where=sa.text('worked_at IS NOT NULL'), postgresql_where=sa.text('worked_at IS NOT NULL'))
        batch_op.create_index('uq_signup_shift_person_live', ['shift_id', 'person_id'], unique=True, sqlite_where=sa.text("state != 'cancelled'"), postgresql_where=sa.text("state != 'cancelled'"))

    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=10), nullable=False, server_default='member'))
        batch_op.create_check_constraint(op.f('ck_account_kind'), "kind IN ('member', 'volunteer')")
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default=None)
    with op.batch_alter_table('login_link', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_login_link_purpose'), type_='check')
        batch_op.create_check_constraint(op.f('ck_login_link_purpose'),
                                         "purpose IN ('invitation', 'confirmation', 'login')")


def downgrade() -> None:
    op.execute("DELETE FROM login_link WHERE purpose != 'invitation'")
    with op.batch_alter_table('login_link', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_login_link_purpose'), type_='check')
        batch_op.create_check_constraint(op.f('ck_login_link_purpose'), "purpose IN ('invitation')")
    op.execute("DELETE FROM account WHERE kind = 'volunteer'")
    with op.batch_alter_table('account', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_account_kind'), type_='check')
        batch_op.drop_column('kind')

    with op.batch_alter_table('signup', schema=None) as batch_op:
        batch_op.drop_index('uq_signup_shift_person_live', sqlite_where=sa.text("state != 'cancelled'"), postgresql_where=sa.text("state != 'cancelled'"))
        batch_op.drop_index('ix_signup_hours', sqlite_where=sa.text('worked_at IS NOT NULL'), postgresql_where=sa.text('worked_at IS NOT NULL'))
        batch_op.drop_index('ix_signup_person_state')

    op.drop_table('signup')
    with op.batch_alter_table('shift', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_shift_starts_at'))
        batch_op.drop_index('ix_shift_event_date')

    op.drop_table('shift')
    op.drop_table('volunteer_target_group')
    op.drop_table('volunteer_area')
    op.drop_table('volunteer')
