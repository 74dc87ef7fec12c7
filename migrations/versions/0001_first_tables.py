"""first tables

Revision ID: 6f68af1d0f43
Revises: 
Create Date: 2026-11-28 04:35:39.234384
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import tracker.models


revision: str = '6f68af1d0f43'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('organization',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('acronym', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('name_es', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organization')),
    sa.UniqueConstraint('acronym', name=op.f('uq_organization_acronym'))
    )
    op.create_table('partnership',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('title_en', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('title_es', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('signed_on', sa.Date(), nullable=False),
    sa.Column('signed_on_confirmed', sa.Boolean(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('text_url_en', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('text_url_es', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('summary_en', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('summary_es', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partnership')),
    sa.UniqueConstraint('slug', name=op.f('uq_partnership_slug'))
    )
    op.create_table('activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('workshop', 'technical_training', 'webinar', 'study_visit', 'expert_meeting', name='activitykind', native_enum=False, length=24), nullable=False),
    sa.Column('title_en', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('title_es', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('summary_en', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('summary_es', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
    sa.Column('starts_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('format', sa.Enum('in_person', 'virtual', 'hybrid', name='activityformat', native_enum=False, length=24), nullable=False),
    sa.Column('venue', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('meeting_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('languages', sa.JSON(), nullable=False),
    sa.Column('status', sa.Enum('planned', 'confirmed', 'held', 'postponed', 'cancelled', name='activitystatus', native_enum=False, length=24), nullable=False),
    sa.Column('objectives', sqlmodel.sql.sqltypes.AutoString(length=8000), nullable=False),
    sa.Column('outcomes', sqlmodel.sql.sqltypes.AutoString(length=8000), nullable=False),
    sa.Column('materials', sa.JSON(), nullable=False),
    sa.Column('created_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_activity_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity'))
    )
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_partnership_id'), ['partnership_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_starts_at'), ['starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_activity_status'), ['status'], unique=False)

    op.create_table('cooperation_area',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
    sa.Column('name_en', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('name_es', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('description_en', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('description_es', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_cooperation_area_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cooperation_area')),
    sa.UniqueConstraint('partnership_id', 'number', name='uq_cooperation_area_number'),
    sa.UniqueConstraint('partnership_id', 'slug', name='uq_cooperation_area_slug')
    )
    with op.batch_alter_table('cooperation_area', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cooperation_area_partnership_id'), ['partnership_id'], unique=False)

    op.create_table('partnership_party',
    sa.Column('partnership_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_partnership_party_organization_id_organization'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['partnership_id'], ['partnership.id'], name=op.f('fk_partnership_party_partnership_id_partnership'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('partnership_id', 'organization_id', name=op.f('pk_partnership_party'))
    )
    op.create_table('person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
    sa.Column('email', sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.Enum('en', 'es', name='language', native_enum=False, length=24), nullable=False),
    sa.Column('timezone', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_person_organization_id_organization'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('email', name=op.f('uq_person_email'))
    )
    op.create_table('activity_area',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_activity_area_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['area_id'], ['cooperation_area.id'], name=op.f('fk_activity_area_area_id_cooperation_area'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('activity_id', 'area_id', name=op.f('pk_activity_area'))
    )
    op.create_table('activity_organizer',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_activity_organizer_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_activity_organizer_organization_id_organization'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('activity_id', 'organization_id', name=op.f('pk_activity_organizer'))
    )
    op.create_table('deliverable',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('title_en', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('title_es', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(length=8000), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('not_started', 'in_progress', 'submitted', 'accepted', 'cancelled', name='deliverablestatus', native_enum=False, length=24), nullable=False),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('evidence_url', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('created_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_deliverable_activity_id_activity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['area_id'], ['cooperation_area.id'], name=op.f('fk_deliverable_area_id_cooperation_area'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['organization_id'], ['organization.id'], name=op.f('fk_deliverable_organization_id_organization'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], name=op.f('fk_deliverable_owner_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deliverable'))
    )
    with op.batch_alter_table('deliverable', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliverable_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliverable_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_deliverable_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('deliverable', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliverable_status'))
        batch_op.drop_index(batch_op.f('ix_deliverable_due_on'))
        batch_op.drop_index(batch_op.f('ix_deliverable_area_id'))

    op.drop_table('deliverable')
    op.drop_table('activity_organizer')
    op.drop_table('activity_area')
    op.drop_table('person')
    op.drop_table('partnership_party')
    with op.batch_alter_table('cooperation_area', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cooperation_area_partnership_id'))

    op.drop_table('cooperation_area')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_status'))
        batch_op.drop_index(batch_op.f('ix_activity_starts_at'))
        batch_op.drop_index(batch_op.f('ix_activity_partnership_id'))

    op.drop_table('activity')
    op.drop_table('partnership')
    op.drop_table('organization')
