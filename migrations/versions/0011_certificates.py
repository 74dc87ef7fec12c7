"""certificates: the files they show (stored by content), each partnership's signatories and logos,
an activity's hours of instruction, the certificates issued (number, verification token, revocation,
sending) and the counters their numbers come from

Revision ID: 81e9d17e506d
Revises: 4c1e8a7f2b90
Create Date: 2026-12-02 13:12:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import tracker.models

revision: str = '81e9d17e506d'
down_revision: str | None = '4c1e8a7f2b90'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('certificate_counter',
    sa.Column('prefix', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', 'year', name=op.f('pk_certificate_counter'))
    )
    op.create_table('stored_file',
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content_type', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('created_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('sha256', name=op.f('pk_stored_file'))
    )
    op.create_table('partnership_logo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('alt_text', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_partnership_logo_partnership_id_partnership'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sha256'], ['stored_file.sha256'], name=op.f('fk_partnership_logo_sha256_stored_file'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership_logo'))
    )
    with op.batch_alter_table('partnership_logo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_partnership_logo_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('signatory',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('title_en', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('title_es', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('signature_sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_signatory_organization_id_organization'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_signatory_partnership_id_partnership'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['signature_sha256'], ['stored_file.sha256'], name=op.f('fk_signatory_signature_sha256_stored_file'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signatory'))
    )
    with op.batch_alter_table('signatory', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signatory_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('activity_certificate',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_activity_certificate_activity_id_activity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('activity_id', name=op.f('pk_activity_certificate'))
    )
    op.create_table('certificate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('number', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('verify_token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('issued_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('issued_by', sa.Integer(), nullable=True),
    sa.Column('revoked_at', tracker.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.Integer(), nullable=True),
    sa.Column('revoked_reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
    sa.Column('sent_at', tracker.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('times_sent', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_certificate_enrollment_id_enrollment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['issued_by'], ['person.id'], name=op.f('fk_certificate_issued_by_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['revoked_by'], ['person.id'], name=op.f('fk_certificate_revoked_by_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate')),
    sa.UniqueConstraint('enrollment_id', name=op.f('uq_certificate_enrollment_id')),
    sa.UniqueConstraint('number', name=op.f('uq_certificate_number')),
    sa.UniqueConstraint('verify_token', name=op.f('uq_certificate_verify_token'))
    )


def downgrade() -> None:
    op.drop_table('certificate')
    op.drop_table('activity_certificate')
    with op.batch_alter_table('signatory', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signatory_partnership_id'))

    op.drop_table('signatory')
    with op.batch_alter_table('partnership_logo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_partnership_logo_partnership_id'))

    op.drop_table('partnership_logo')
    op.drop_table('stored_file')
    op.drop_table('certificate_counter')
