"""Initial schema: every record table, the change log, local state and the search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Folded text is built in Python (DESIGN §3), so the tokenizer must not fold again.
    # rowid = entity number << 40 | the record's rowid in its own table.
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "body, tokenize='unicode61 remove_diacritics 0', prefix='2 3')"
    )
    op.create_table('action_plan',
    sa.Column('cluster_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('office_id', sa.String(length=36), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('signatories', sa.Text(), nullable=True),
    sa.Column('objectives_pl', sa.Text(), nullable=True),
    sa.Column('objectives_de', sa.Text(), nullable=True),
    sa.Column('title_sort', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_plan'))
    )
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_plan_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_plan_title_sort'), ['title_sort'], unique=False)

    op.create_table('advisor',
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('office_id', sa.String(length=36), nullable=False),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('phone', sa.Text(), nullable=True),
    sa.Column('name_sort', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_advisor'))
    )
    with op.batch_alter_table('advisor', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_advisor_name_sort'), ['name_sort'], unique=False)

    op.create_table('attachment',
    sa.Column('sha256', sa.Text(), nullable=False),
    sa.Column('file_name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('language', sa.Text(), nullable=True),
    sa.Column('linked_entity', sa.Text(), nullable=True),
    sa.Column('linked_id', sa.Text(), nullable=True),
    sa.Column('file_name_sort', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_file_name_sort'), ['file_name_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_linked_id'), ['linked_id'], unique=False)

    op.create_table('change_log',
    sa.Column('installation_id', sa.String(length=36), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hlc', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.String(length=36), nullable=True),
    sa.Column('entity', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('field', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.Column('replaces', sa.Text(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('installation_id', 'seq', name=op.f('pk_change_log'))
    )
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.create_index('ix_change_log_record', ['record_id', 'field'], unique=False)

    op.create_table('cluster',
    sa.Column('name_pl', sa.Text(), nullable=False),
    sa.Column('name_de', sa.Text(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('stage', sa.String(length=40), nullable=True),
    sa.Column('cross_border', sa.Boolean(), nullable=True),
    sa.Column('region', sa.Text(), nullable=True),
    sa.Column('country', sa.String(length=40), nullable=False),
    sa.Column('sectors', sa.Text(), nullable=True),
    sa.Column('smart_specialisations', sa.Text(), nullable=True),
    sa.Column('founded_on', sa.Date(), nullable=True),
    sa.Column('legal_form', sa.Text(), nullable=True),
    sa.Column('website', sa.Text(), nullable=True),
    sa.Column('coordinator_id', sa.String(length=36), nullable=True),
    sa.Column('description_pl', sa.Text(), nullable=True),
    sa.Column('description_de', sa.Text(), nullable=True),
    sa.Column('support_status', sa.String(length=40), nullable=True),
    sa.Column('office_id', sa.String(length=36), nullable=True),
    sa.Column('name_pl_sort', sa.Text(), nullable=True),
    sa.Column('name_de_sort', sa.Text(), nullable=True),
    sa.Column('region_sort', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cluster'))
    )
    with op.batch_alter_table('cluster', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cluster_name_de_sort'), ['name_de_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_cluster_name_pl_sort'), ['name_pl_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_cluster_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_cluster_region_sort'), ['region_sort'], unique=False)

    op.create_table('consultation',
    sa.Column('held_at', sa.String(length=16), nullable=False),
    sa.Column('duration_minutes', sa.Integer(), nullable=True),
    sa.Column('mode', sa.String(length=40), nullable=True),
    sa.Column('place', sa.Text(), nullable=True),
    sa.Column('advisor_id', sa.String(length=36), nullable=True),
    sa.Column('office_id', sa.String(length=36), nullable=True),
    sa.Column('cluster_id', sa.String(length=36), nullable=True),
    sa.Column('organisation_id', sa.String(length=36), nullable=True),
    sa.Column('contact_ids', sa.Text(), nullable=True),
    sa.Column('topics', sa.Text(), nullable=True),
    sa.Column('subject', sa.Text(), nullable=True),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.Column('outcomes', sa.Text(), nullable=True),
    sa.Column('subject_sort', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_consultation'))
    )
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_consultation_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_held_at'), ['held_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_office_id'), ['office_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_consultation_subject_sort'), ['subject_sort'], unique=False)

    op.create_table('contact',
    sa.Column('first_name', sa.Text(), nullable=True),
    sa.Column('last_name', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('function', sa.Text(), nullable=True),
    sa.Column('organisation_id', sa.String(length=36), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('phone', sa.Text(), nullable=True),
    sa.Column('mobile', sa.Text(), nullable=True),
    sa.Column('language', sa.String(length=40), nullable=True),
    sa.Column('consent_status', sa.String(length=40), nullable=True),
    sa.Column('consent_on', sa.Date(), nullable=True),
    sa.Column('consent_source', sa.Text(), nullable=True),
    sa.Column('consent_scope', sa.Text(), nullable=True),
    sa.Column('tags', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('first_name_sort', sa.Text(), nullable=True),
    sa.Column('last_name_sort', sa.Text(), nullable=True),
    sa.Column('email_sort', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contact'))
    )
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contact_email_sort'), ['email_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_first_name_sort'), ['first_name_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_last_name_sort'), ['last_name_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_contact_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('evaluation',
    sa.Column('cluster_id', sa.String(length=36), nullable=False),
    sa.Column('evaluated_on', sa.Date(), nullable=False),
    sa.Column('evaluator_id', sa.String(length=36), nullable=True),
    sa.Column('office_id', sa.String(length=36), nullable=True),
    sa.Column('questionnaire_version', sa.Text(), nullable=True),
    sa.Column('scores', sa.Text(), nullable=True),
    sa.Column('strengths', sa.Text(), nullable=True),
    sa.Column('recommendations_pl', sa.Text(), nullable=True),
    sa.Column('recommendations_de', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evaluation'))
    )
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evaluation_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_evaluation_evaluated_on'), ['evaluated_on'], unique=False)

    op.create_table('event',
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title_pl', sa.Text(), nullable=False),
    sa.Column('title_de', sa.Text(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('place', sa.Text(), nullable=True),
    sa.Column('office_id', sa.String(length=36), nullable=True),
    sa.Column('cluster_id', sa.String(length=36), nullable=True),
    sa.Column('agenda_pl', sa.Text(), nullable=True),
    sa.Column('agenda_de', sa.Text(), nullable=True),
    sa.Column('title_pl_sort', sa.Text(), nullable=True),
    sa.Column('title_de_sort', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event'))
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_starts_on'), ['starts_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_title_de_sort'), ['title_de_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_title_pl_sort'), ['title_pl_sort'], unique=False)

    op.create_table('indicator',
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('name_pl', sa.Text(), nullable=False),
    sa.Column('name_de', sa.Text(), nullable=False),
    sa.Column('name_en', sa.Text(), nullable=False),
    sa.Column('target', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator'))
    )
    op.create_table('installation',
    sa.Column('office_id', sa.String(length=36), nullable=False),
    sa.Column('label', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_installation'))
    )
    op.create_table('local_state',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('installation_id', sa.String(length=36), nullable=False),
    sa.Column('advisor_id', sa.String(length=36), nullable=True),
    sa.Column('last_seq', sa.Integer(), nullable=False),
    sa.Column('last_hlc', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_local_state'))
    )
    op.create_table('measure',
    sa.Column('action_plan_id', sa.String(length=36), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('responsible', sa.Text(), nullable=True),
    sa.Column('partners', sa.Text(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('cost', sa.Text(), nullable=True),
    sa.Column('currency', sa.String(length=40), nullable=True),
    sa.Column('funding_source', sa.Text(), nullable=True),
    sa.Column('indicator', sa.Text(), nullable=True),
    sa.Column('target', sa.Text(), nullable=True),
    sa.Column('status', sa.String(length=40), nullable=True),
    sa.Column('position', sa.Integer(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure'))
    )
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_action_plan_id'), ['action_plan_id'], unique=False)

    op.create_table('membership',
    sa.Column('cluster_id', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.String(length=36), nullable=True),
    sa.Column('contact_id', sa.String(length=36), nullable=True),
    sa.Column('role', sa.String(length=40), nullable=True),
    sa.Column('joined_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('recruited_by_programme', sa.Boolean(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_membership'))
    )
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_membership_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_membership_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('office',
    sa.Column('code', sa.Text(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('city', sa.Text(), nullable=True),
    sa.Column('country', sa.String(length=40), nullable=False),
    sa.Column('lead_partner', sa.Boolean(), nullable=True),
    sa.Column('name_sort', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_office'))
    )
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_office_name_sort'), ['name_sort'], unique=False)

    op.create_table('organisation',
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=True),
    sa.Column('country', sa.String(length=40), nullable=False),
    sa.Column('street', sa.Text(), nullable=True),
    sa.Column('postal_code', sa.Text(), nullable=True),
    sa.Column('city', sa.Text(), nullable=True),
    sa.Column('nip', sa.Text(), nullable=True),
    sa.Column('regon', sa.Text(), nullable=True),
    sa.Column('krs', sa.Text(), nullable=True),
    sa.Column('vat_id', sa.Text(), nullable=True),
    sa.Column('register_number', sa.Text(), nullable=True),
    sa.Column('website', sa.Text(), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('phone', sa.Text(), nullable=True),
    sa.Column('sectors', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('name_sort', sa.Text(), nullable=True),
    sa.Column('city_sort', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation'))
    )
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_city_sort'), ['city_sort'], unique=False)
        batch_op.create_index(batch_op.f('ix_organisation_name_sort'), ['name_sort'], unique=False)

    op.create_table('participant',
    sa.Column('event_id', sa.String(length=36), nullable=False),
    sa.Column('contact_id', sa.String(length=36), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('organisation_name', sa.Text(), nullable=True),
    sa.Column('role', sa.String(length=40), nullable=True),
    sa.Column('registered', sa.Boolean(), nullable=True),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('photo_consent', sa.Boolean(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_participant'))
    )
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participant_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_participant_event_id'), ['event_id'], unique=False)

    op.create_table('task',
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('assignee_id', sa.String(length=36), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('done', sa.Boolean(), nullable=True),
    sa.Column('consultation_id', sa.String(length=36), nullable=True),
    sa.Column('cluster_id', sa.String(length=36), nullable=True),
    sa.Column('organisation_id', sa.String(length=36), nullable=True),
    sa.Column('contact_id', sa.String(length=36), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('title_sort', sa.Text(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('created_at', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task'))
    )
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_cluster_id'), ['cluster_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_consultation_id'), ['consultation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_due_on'), ['due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_task_title_sort'), ['title_sort'], unique=False)



def downgrade() -> None:
    op.execute("DROP TABLE search_index")
    with op.batch_alter_table('task', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_title_sort'))
        batch_op.drop_index(batch_op.f('ix_task_due_on'))
        batch_op.drop_index(batch_op.f('ix_task_consultation_id'))
        batch_op.drop_index(batch_op.f('ix_task_cluster_id'))

    op.drop_table('task')
    with op.batch_alter_table('participant', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participant_event_id'))
        batch_op.drop_index(batch_op.f('ix_participant_contact_id'))

    op.drop_table('participant')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_name_sort'))
        batch_op.drop_index(batch_op.f('ix_organisation_city_sort'))

    op.drop_table('organisation')
    with op.batch_alter_table('office', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_office_name_sort'))

    op.drop_table('office')
    with op.batch_alter_table('membership', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_membership_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_membership_contact_id'))
        batch_op.drop_index(batch_op.f('ix_membership_cluster_id'))

    op.drop_table('membership')
    with op.batch_alter_table('measure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_action_plan_id'))

    op.drop_table('measure')
    op.drop_table('local_state')
    op.drop_table('installation')
    op.drop_table('indicator')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_title_pl_sort'))
        batch_op.drop_index(batch_op.f('ix_event_title_de_sort'))
        batch_op.drop_index(batch_op.f('ix_event_starts_on'))
        batch_op.drop_index(batch_op.f('ix_event_kind'))
        batch_op.drop_index(batch_op.f('ix_event_cluster_id'))

    op.drop_table('event')
    with op.batch_alter_table('evaluation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evaluation_evaluated_on'))
        batch_op.drop_index(batch_op.f('ix_evaluation_cluster_id'))

    op.drop_table('evaluation')
    with op.batch_alter_table('contact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_contact_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_contact_last_name_sort'))
        batch_op.drop_index(batch_op.f('ix_contact_first_name_sort'))
        batch_op.drop_index(batch_op.f('ix_contact_email_sort'))

    op.drop_table('contact')
    with op.batch_alter_table('consultation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_consultation_subject_sort'))
        batch_op.drop_index(batch_op.f('ix_consultation_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_office_id'))
        batch_op.drop_index(batch_op.f('ix_consultation_held_at'))
        batch_op.drop_index(batch_op.f('ix_consultation_cluster_id'))

    op.drop_table('consultation')
    with op.batch_alter_table('cluster', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cluster_region_sort'))
        batch_op.drop_index(batch_op.f('ix_cluster_office_id'))
        batch_op.drop_index(batch_op.f('ix_cluster_name_pl_sort'))
        batch_op.drop_index(batch_op.f('ix_cluster_name_de_sort'))

    op.drop_table('cluster')
    with op.batch_alter_table('change_log', schema=None) as batch_op:
        batch_op.drop_index('ix_change_log_record')

    op.drop_table('change_log')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_linked_id'))
        batch_op.drop_index(batch_op.f('ix_attachment_file_name_sort'))

    op.drop_table('attachment')
    with op.batch_alter_table('advisor', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_advisor_name_sort'))

    op.drop_table('advisor')
    with op.batch_alter_table('action_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_plan_title_sort'))
        batch_op.drop_index(batch_op.f('ix_action_plan_cluster_id'))

    op.drop_table('action_plan')
