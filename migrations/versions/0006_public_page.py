"""public page

Revision ID: 6f1c439600ad
Revises: 9af7b11fc7c6
Create Date: 2026-11-28 06:21:15.786708
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import tracker.models


revision: str = '6f1c439600ad'
down_revision: str | None = '9af7b11fc7c6'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('public_token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_partnership_public_token'), ['public_token'])



def downgrade() -> None:
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_partnership_public_token'), type_='unique')
        batch_op.drop_column('public_token')

