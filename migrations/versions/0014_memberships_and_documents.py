"""roles per partnership (memberships), and documents kept as evidence

Revision ID: 4eb8858103eb
Revises: 5d1f0c8e2a47
Create Date: 2026-12-02 16:02:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import tracker.models

revision: str = '4eb8858103eb'
down_revision: str | None = '5d1f0c8e2a47'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('membership',
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.Enum('admin', 'manager', 'partner', name='role', native_enum=False, length=24), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_membership_partnership_id_partnership'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_membership_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('person_id', 'partnership_id', name=op.f('pk_membership'))
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('deliverable_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=True),
    sa.Column('revision', sa.Integer(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('uploaded_by', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('review', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    sa.Column('reviewed_by', sa.Integer(), nullable=True),
    sa.Column('reviewed_at', tracker.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', tracker.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_document_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['deleted_by'], ['person.id'], name=op.f('fk_document_deleted_by_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['deliverable_id'], ['deliverable.id'], name=op.f('fk_document_deliverable_id_deliverable'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_document_partnership_id_partnership'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reviewed_by'], ['person.id'], name=op.f('fk_document_reviewed_by_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['sha256'], ['stored_file.sha256'], name=op.f('fk_document_sha256_stored_file'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['uploaded_by'], ['person.id'], name=op.f('fk_document_uploaded_by_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    sa.UniqueConstraint('deliverable_id', 'revision', name=op.f('uq_document_deliverable_id'))
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_deliverable_id'), ['deliverable_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_document_partnership_id'), ['partnership_id'], unique=False)

    with op.batch_alter_table('deliverable', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accepted_revision', sa.Integer(), nullable=True))

    # Everyone keeps what they could do: a partner their partnership, a manager every partnership.
    op.execute(
        "INSERT INTO membership (person_id, partnership_id, role) SELECT id, partnership_id, 'partner' "
        "FROM person WHERE role = 'partner' AND partnership_id IS NOT NULL"
    )
    op.execute(
        "INSERT INTO membership (person_id, partnership_id, role) SELECT person.id, partnership.id, 'manager' "
        "FROM person CROSS JOIN partnership WHERE person.role = 'manager'"
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_person_partnership_id_partnership'), type_='foreignkey')
        batch_op.drop_column('partnership_id')


def downgrade() -> None:
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('partnership_id', sa.INTEGER(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_person_partnership_id_partnership'), 'partnership', ['partnership_id'], ['id'], ondelete='SET NULL')
    op.execute(
        "UPDATE person SET partnership_id = (SELECT MIN(partnership_id) FROM membership "
        "WHERE membership.person_id = person.id AND membership.role = 'partner') WHERE role = 'partner'"
    )
    with op.batch_alter_table('deliverable', schema=None) as batch_op:
        batch_op.drop_column('accepted_revision')

    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_document_partnership_id'))
        batch_op.drop_index(batch_op.f('ix_document_deliverable_id'))
        batch_op.drop_index(batch_op.f('ix_document_activity_id'))

    op.drop_table('document')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_partnership_id'))

    op.drop_table('membership')
