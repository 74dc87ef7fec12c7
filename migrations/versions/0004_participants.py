"""participants

Revision ID: 97602549bc0d
Revises: 9de994755dc3
Create Date: 2026-11-28 05:35:44.242443
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import tracker.models


revision: str = '97602549bc0d'
down_revision: str | None = '9de994755dc3'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('import_layout',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('signature', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('headers', sa.JSON(), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('updated_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_layout')),
    sa.UniqueConstraint('signature', name=op.f('uq_import_layout_signature'))
    )
    op.create_table('participant',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('organization', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('position', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('sex', sa.Enum('female', 'male', 'another', 'not_stated', name='sex', native_enum=False, length=24), nullable=False),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=True),
    sa.Column('match_key', sqlmodel.sql.sqltypes.AutoString(length=330), nullable=False),
    sa.Column('language', sa.Enum('en', 'es', name='language', native_enum=False, length=24), nullable=False),
    sa.Column('created_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant')),
    sa.UniqueConstraint('email', name=op.f('uq_participant_email'))
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_match_key'), ['match_key'], unique=False)

    op.create_table('enrollment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('registered', 'attended', 'absent', 'excused', name='attendancestatus', native_enum=False, length=24), nullable=False),
    sa.Column('days_attended', sa.Integer(), nullable=True),
    sa.Column('pre_score', sa.Integer(), nullable=True),
    sa.Column('post_score', sa.Integer(), nullable=True),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('created_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_enrollment_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_enrollment_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollment')),
    sa.UniqueConstraint('activity_id', 'participant_id', name='uq_enrollment_activity_participant')
    )
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollment_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollment_participant_id'), ['participant_id'], unique=False)

    op.create_table('import_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('rows', sa.JSON(), nullable=False),
    sa.Column('problems', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('created_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_import_batch_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['person.id'], name=op.f('fk_import_batch_created_by_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_import_batch'))
    )
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_import_batch_activity_id'), ['activity_id'], unique=False)

    op.create_table('indicator_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('indicator', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('dimension', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['cooperation_area.id'], name=op.f('fk_indicator_target_area_id_cooperation_area'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_indicator_target_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator_target')),
    sa.UniqueConstraint('partnership_id', 'area_id', 'indicator', 'dimension', 'period_start', 'period_end', name='uq_indicator_target')
    )
    with op.batch_alter_table('indicator_target', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_indicator_target_partnership_id'), ['partnership_id'], unique=False)

    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('completion_threshold', sa.Integer(), server_default='80', nullable=False))
        batch_op.add_column(sa.Column('mastery_threshold', sa.Integer(), server_default='70', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_column('mastery_threshold')
        batch_op.drop_column('completion_threshold')

    with op.batch_alter_table('indicator_target', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_indicator_target_partnership_id'))

    op.drop_table('indicator_target')
    with op.batch_alter_table('import_batch', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_import_batch_activity_id'))

    op.drop_table('import_batch')
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollment_participant_id'))
        batch_op.drop_index(batch_op.f('ix_enrollment_activity_id'))

    op.drop_table('enrollment')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_match_key'))

    op.drop_table('participant')
    op.drop_table('import_layout')
