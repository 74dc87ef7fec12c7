"""sweep heartbeat: when the reminder sweep last ran, for health checks and metrics

Revision ID: 7a1c2e9d0b16
Revises: 660709fe67a4
Create Date: 2026-12-02 20:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.models

revision: str = '7a1c2e9d0b16'
down_revision: str | None = '660709fe67a4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sweep_heartbeat',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('started_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', tracker.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('duration_seconds', sa.Float(), nullable=False),
    sa.Column('succeeded_at', tracker.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('runs', sa.BigInteger(), nullable=False),
    sa.Column('failures', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('sweep_heartbeat')
