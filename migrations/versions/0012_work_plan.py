"""the work plan's approved baselines (snapshots of what was planned), the MOU's amendments (its term
as amended), and the steering-committee report's executive summary per period

Revision ID: b7c31e5a9d24
Revises: 81e9d17e506d
Create Date: 2026-12-02 13:51:28
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import tracker.models

revision: str = 'b7c31e5a9d24'
down_revision: str | None = '81e9d17e506d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('amendment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('previous_ends_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('text_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('summary_en', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('summary_es', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('created_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_amendment_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_amendment'))
    )
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_amendment_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('period_summary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('summary_en', sqlmodel.sql.sqltypes.AutoString(length=8000), nullable=False),
    sa.Column('summary_es', sqlmodel.sql.sqltypes.AutoString(length=8000), nullable=False),
    sa.Column('updated_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_period_summary_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_period_summary')),
    sa.UniqueConstraint('partnership_id', 'starts_on', 'ends_on', name=op.f('uq_period_summary_partnership_id'))
    )
    with op.batch_alter_table('period_summary', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_period_summary_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('baseline',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('approved_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('approved_by', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['approved_by'], ['person.id'], name=op.f('fk_baseline_approved_by_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_baseline_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_baseline')),
    sa.UniqueConstraint('partnership_id', 'number', name=op.f('uq_baseline_partnership_id'))
    )
    with op.batch_alter_table('baseline', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_baseline_partnership_id'), ['partnership_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('baseline', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_baseline_partnership_id'))

    op.drop_table('baseline')
    with op.batch_alter_table('period_summary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_period_summary_partnership_id'))

    op.drop_table('period_summary')
    with op.batch_alter_table('amendment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_amendment_partnership_id'))

    op.drop_table('amendment')
