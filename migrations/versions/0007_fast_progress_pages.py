"""fast progress pages: a covering index for indicators, and the data version page caches compare

Revision ID: 0b7d5e2a9c41
Revises: 6f1c439600ad
Create Date: 2026-11-28 07:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0b7d5e2a9c41'
down_revision: str | None = '6f1c439600ad'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        'ix_enrollment_scope',
        'enrollment',
        ['activity_id', 'status', 'days_attended', 'participant_id', 'pre_score', 'post_score', 'satisfaction'],
        unique=False,
    )
    data_version = op.create_table(
        'data_version',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('value', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_version')),
    )
    op.bulk_insert(data_version, [{'id': 1, 'value': 1}])


def downgrade() -> None:
    op.drop_table('data_version')
    op.drop_index('ix_enrollment_scope', table_name='enrollment')
