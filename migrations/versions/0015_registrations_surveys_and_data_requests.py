"""participants speaking for themselves: registrations, surveys (tests, evaluations, follow-ups), data requests

Revision ID: 660709fe67a4
Revises: 4eb8858103eb
Create Date: 2026-12-02 17:07:38
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import tracker.models

revision: str = '660709fe67a4'
down_revision: str | None = '4eb8858103eb'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('data_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('requested_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('done_at', tracker.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('done_by', sa.Integer(), nullable=True),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    sa.ForeignKeyConstraint(['done_by'], ['person.id'], name=op.f('fk_data_request_done_by_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_data_request_participant_id_participant'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_data_request_person_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_data_request'))
    )
    with op.batch_alter_table('data_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_data_request_participant_id'), ['participant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_data_request_person_id'), ['person_id'], unique=False)

    op.create_table('registration_form',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('opened_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('opened_by', sa.Integer(), nullable=True),
    sa.Column('closes_at', tracker.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('closed_at', tracker.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('needs_approval', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_registration_form_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['opened_by'], ['person.id'], name=op.f('fk_registration_form_opened_by_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('activity_id', name=op.f('pk_registration_form')),
    sa.UniqueConstraint('token', name=op.f('uq_registration_form_token'))
    )
    op.create_table('survey_question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('text_en', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('text_es', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('choices', sa.JSON(), nullable=False),
    sa.Column('correct', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_survey_question_activity_id_activity'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_question'))
    )
    with op.batch_alter_table('survey_question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_question_activity_id'), ['activity_id'], unique=False)

    op.create_table('registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('participant_id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=True),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('needs', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('language', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('consent_text', sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
    sa.Column('consented_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('client_ip', sqlmodel.sql.sqltypes.AutoString(length=45), nullable=False),
    sa.Column('created_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_registration_activity_id_activity'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_registration_enrollment_id_enrollment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['participant_id'], ['participant.id'], name=op.f('fk_registration_participant_id_participant'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_registration')),
    sa.UniqueConstraint('activity_id', 'participant_id', name=op.f('uq_registration_activity_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_registration_token_hash'))
    )
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registration_activity_id'), ['activity_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_registration_participant_id'), ['participant_id'], unique=False)

    op.create_table('survey_invitation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('sent_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reminded_at', tracker.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('expires_at', tracker.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answered_at', tracker.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('satisfaction', sa.Integer(), nullable=True),
    sa.Column('relevance', sa.Integer(), nullable=True),
    sa.Column('applied', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=True),
    sa.Column('score', sa.Integer(), nullable=True),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_survey_invitation_enrollment_id_enrollment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invitation')),
    sa.UniqueConstraint('enrollment_id', 'kind', name=op.f('uq_survey_invitation_enrollment_id')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_survey_invitation_token_hash'))
    )
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_invitation_enrollment_id'), ['enrollment_id'], unique=False)

    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.add_column(sa.Column('consent_en', sqlmodel.sql.sqltypes.AutoString(length=4000), server_default='', nullable=False))
        batch_op.add_column(sa.Column('consent_es', sqlmodel.sql.sqltypes.AutoString(length=4000), server_default='', nullable=False))



def downgrade() -> None:
    with op.batch_alter_table('partnership', schema=None) as batch_op:
        batch_op.drop_column('consent_es')
        batch_op.drop_column('consent_en')

    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_invitation_enrollment_id'))

    op.drop_table('survey_invitation')
    with op.batch_alter_table('registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registration_participant_id'))
        batch_op.drop_index(batch_op.f('ix_registration_created_at'))
        batch_op.drop_index(batch_op.f('ix_registration_activity_id'))

    op.drop_table('registration')
    with op.batch_alter_table('survey_question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_question_activity_id'))

    op.drop_table('survey_question')
    op.drop_table('registration_form')
    with op.batch_alter_table('data_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_data_request_person_id'))
        batch_op.drop_index(batch_op.f('ix_data_request_participant_id'))

    op.drop_table('data_request')
