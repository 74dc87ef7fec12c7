"""calendar feed

Revision ID: 9af7b11fc7c6
Revises: 97602549bc0d
Create Date: 2026-11-28 06:11:14.631876
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import tracker.models


revision: str = '9af7b11fc7c6'
down_revision: str | None = '97602549bc0d'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('calendar_token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_partnership_calendar_token'), ['calendar_token'])



def downgrade() -> None:
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_partnership_calendar_token'), type_='unique')
        batch_op.drop_column('calendar_token')

