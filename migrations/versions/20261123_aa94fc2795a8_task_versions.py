"""task versions: a version counter and the time of the last change, for feeds and reminders

Revision ID: aa94fc2795a8
Revises: c9df7052d9fe
Create Date: 2026-11-23 08:00:53.128930+00:00
"""

from alembic import op
import sqlalchemy as sa
import governance.base


revision = 'aa94fc2795a8'
down_revision = 'c9df7052d9fe'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.add_column(sa.Column('updated_at', governance.base.UtcDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('version_id', sa.Integer(), nullable=True))
    op.execute("UPDATE task SET updated_at = COALESCE(completed_at, created_at), version_id = 1")
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.alter_column('updated_at', nullable=False)
        batch_op.alter_column('version_id', nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_column('version_id')
        batch_op.drop_column('updated_at')
