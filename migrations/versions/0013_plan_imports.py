"""work plans imported from a spreadsheet, staged until a manager confirms them

Revision ID: 5d1f0c8e2a47
Revises: b7c31e5a9d24
Create Date: 2026-12-03 10:12:40
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import tracker.models

revision: str = '5d1f0c8e2a47'
down_revision: str | None = 'b7c31e5a9d24'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('plan_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('created_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['person.id'], name=op.f('fk_plan_import_created_by_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_plan_import_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plan_import'))
    )
    with op.batch_alter_table('plan_import', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_plan_import_partnership_id'), ['partnership_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('plan_import', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_plan_import_partnership_id'))

    op.drop_table('plan_import')
