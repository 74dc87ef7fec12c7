"""every kind of email in the outbox: its kind, the partnership whose Outbox shows it, its language;
the recipient kept as a bare address

Revision ID: d7ff9e84b4a9
Revises: 0b7d5e2a9c41
Create Date: 2026-12-02 06:27:22.051910
"""

from collections.abc import Sequence
from email.utils import parseaddr

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = 'd7ff9e84b4a9'
down_revision: str | None = '0b7d5e2a9c41'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        # Messages queued so far were all reminders, most of them digests: counted as today's digest.
        batch_op.add_column(
            sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=24), server_default='digest', nullable=False)
        )
        batch_op.add_column(sa.Column('partnership_id', sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), server_default='en', nullable=False)
        )
        batch_op.create_index(batch_op.f('ix_outbox_message_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_outbox_message_partnership_id_partnership'),
            'partnership',
            ['partnership_id'],
            ['id'],
            ondelete='SET NULL',
        )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.alter_column('kind', server_default='reminder')
    outbox = sa.table('outbox_message', sa.column('id', sa.Integer), sa.column('to_address', sa.String))
    connection = op.get_bind()
    for row in connection.execute(sa.select(outbox.c.id, outbox.c.to_address).where(outbox.c.to_address.like('%<%'))):
        connection.execute(outbox.update().where(outbox.c.id == row.id).values(to_address=parseaddr(row.to_address)[1]))


def downgrade() -> None:
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_message_partnership_id_partnership'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_message_partnership_id'))
        batch_op.drop_column('language')
        batch_op.drop_column('partnership_id')
        batch_op.drop_column('kind')
