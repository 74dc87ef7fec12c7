"""participants' given names and surnames as fields of their own (the full name composed from them);
a reason on audit events

Revision ID: 4c1e8a7f2b90
Revises: 89d2636d043f
Create Date: 2026-12-02 13:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '4c1e8a7f2b90'
down_revision: str | None = '89d2636d043f'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('given_names', sqlmodel.sql.sqltypes.AutoString(length=120), server_default='', nullable=False)
        )
        batch_op.add_column(
            sa.Column('surnames', sqlmodel.sql.sqltypes.AutoString(length=120), server_default='', nullable=False)
        )
        batch_op.alter_column(
            'name', existing_type=sqlmodel.sql.sqltypes.AutoString(length=120), type_=sqlmodel.sql.sqltypes.AutoString(length=241)
        )
    # Which words of an old single name are surnames cannot be known: the whole name stays given, as written.
    op.execute("UPDATE participant SET given_names = substr(name, 1, 120)")
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_column('reason')
    op.execute("UPDATE participant SET name = substr(name, 1, 120)")
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.alter_column(
            'name', existing_type=sqlmodel.sql.sqltypes.AutoString(length=241), type_=sqlmodel.sql.sqltypes.AutoString(length=120)
        )
        batch_op.drop_column('surnames')
        batch_op.drop_column('given_names')
