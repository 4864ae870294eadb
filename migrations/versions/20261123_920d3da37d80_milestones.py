"""milestones: programme extensions, milestones with dependencies, indicators, decisions and tasks that serve them

Revision ID: 920d3da37d80
Revises: b896dd1ac394
Create Date: 2026-11-23 06:08:42.047472+00:00
"""

from alembic import op
import sqlalchemy as sa
import governance.base


revision = '920d3da37d80'
down_revision = 'b896dd1ac394'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('programme_extension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('old_ends_on', sa.Date(), nullable=False),
    sa.Column('new_ends_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('extended_by_id', sa.Integer(), nullable=True),
    sa.Column('extended_at', governance.base.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['extended_by_id'], ['person.id'], name=op.f('fk_programme_extension_extended_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_programme_extension_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme_extension'))
    )
    with op.batch_alter_table('programme_extension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_extension_programme_id'), ['programme_id'], unique=False)

    op.create_table('milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('focus_id', sa.Integer(), nullable=True),
    sa.Column('group_id', sa.Integer(), nullable=True),
    sa.Column('responsible_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('created_at', governance.base.UtcDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status IN ('planned', 'in_progress', 'done', 'missed')", name=op.f('ck_milestone_status')),
    sa.ForeignKeyConstraint(['focus_id'], ['focus.id'], name=op.f('fk_milestone_focus_id_focus'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['group_id'], ['group.id'], name=op.f('fk_milestone_group_id_group'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_milestone_programme_id_programme'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responsible_id'], ['person.id'], name=op.f('fk_milestone_responsible_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone'))
    )
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_focus_id'), ['focus_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_group_id'), ['group_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_status'), ['status'], unique=False)

    op.create_table('indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('baseline', sa.Double(), nullable=False),
    sa.Column('target', sa.Double(), nullable=False),
    sa.Column('current', sa.Double(), nullable=True),
    sa.Column('current_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_indicator_milestone_id_milestone'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator'))
    )
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_milestone_id'), ['milestone_id'], unique=False)

    op.create_table('milestone_dependency',
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('depends_on_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('milestone_id <> depends_on_id', name=op.f('ck_milestone_dependency_not_itself')),
    sa.ForeignKeyConstraint(['depends_on_id'], ['milestone.id'], name=op.f('fk_milestone_dependency_depends_on_id_milestone'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_milestone_dependency_milestone_id_milestone'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('milestone_id', 'depends_on_id', name=op.f('pk_milestone_dependency'))
    )
    op.create_table('milestone_decision',
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('decision_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decision_id'], ['decision.id'], name=op.f('fk_milestone_decision_decision_id_decision'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], name=op.f('fk_milestone_decision_milestone_id_milestone'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('milestone_id', 'decision_id', name=op.f('pk_milestone_decision'))
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('milestone_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_task_milestone_id'), ['milestone_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_task_milestone_id_milestone'), 'milestone', ['milestone_id'], ['id'], ondelete='SET NULL')



def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_task_milestone_id_milestone'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_task_milestone_id'))
        batch_op.drop_column('milestone_id')

    op.drop_table('milestone_decision')
    op.drop_table('milestone_dependency')
    with op.batch_alter_table('indicator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_milestone_id'))

    op.drop_table('indicator')
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_status'))
        batch_op.drop_index(batch_op.f('ix_milestone_programme_id'))
        batch_op.drop_index(batch_op.f('ix_milestone_group_id'))
        batch_op.drop_index(batch_op.f('ix_milestone_focus_id'))
        batch_op.drop_index(batch_op.f('ix_milestone_due_on'))

    op.drop_table('milestone')
    with op.batch_alter_table('programme_extension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_extension_programme_id'))

    op.drop_table('programme_extension')
