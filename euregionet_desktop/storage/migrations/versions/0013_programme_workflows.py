"""The programme's own work: initiatives forming new clusters and their steps, accession
declarations on memberships, and the programme's identity (one shared record).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def _record_columns() -> list[sa.Column]:
    return [sa.Column('id', sa.String(length=36), nullable=False),
            sa.Column('created_at', sa.String(length=32), nullable=False),
            sa.Column('deleted', sa.Boolean(), nullable=False)]


def upgrade() -> None:
    op.create_table(
        'initiative',
        sa.Column('cluster_id', sa.String(length=36), nullable=False),
        sa.Column('office_id', sa.String(length=36), nullable=True),
        sa.Column('advisor_id', sa.String(length=36), nullable=True),
        sa.Column('started_on', sa.Date(), nullable=True),
        sa.Column('purpose_pl', sa.Text(), nullable=True),
        sa.Column('purpose_de', sa.Text(), nullable=True),
        sa.Column('leader_id', sa.String(length=36), nullable=True),
        sa.Column('council_ids', sa.Text(), nullable=True),
        sa.Column('seat', sa.Text(), nullable=True),
        sa.Column('duration_months', sa.Integer(), nullable=True),
        sa.Column('notes', sa.Text(), nullable=True),
        *_record_columns(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_initiative')),
    )
    op.create_index('ix_initiative_cluster_id', 'initiative', ['cluster_id'])
    op.create_index('ix_initiative_office_id', 'initiative', ['office_id'])
    op.create_table(
        'formation_step',
        sa.Column('initiative_id', sa.String(length=36), nullable=False),
        sa.Column('step', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=40), nullable=True),
        sa.Column('done_on', sa.Date(), nullable=True),
        sa.Column('advisor_id', sa.String(length=36), nullable=True),
        sa.Column('notes', sa.Text(), nullable=True),
        *_record_columns(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_formation_step')),
    )
    op.create_index('ix_formation_step_initiative_id', 'formation_step', ['initiative_id'])
    op.create_table(
        'programme',
        sa.Column('period', sa.String(length=40), nullable=True),
        *(sa.Column(name, sa.Text(), nullable=True) for name in (
            'programme_name_pl', 'programme_name_de', 'project_name_pl', 'project_name_de',
            'project_number', 'cofinancing_pl', 'cofinancing_de', 'slogan_pl', 'slogan_de')),
        sa.Column('eu_emblem_id', sa.String(length=36), nullable=True),
        sa.Column('programme_logo_id', sa.String(length=36), nullable=True),
        sa.Column('period_start', sa.Date(), nullable=True),
        sa.Column('period_end', sa.Date(), nullable=True),
        *_record_columns(),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_programme')),
    )
    with op.batch_alter_table('membership') as batch_op:
        batch_op.add_column(sa.Column('declaration_signed_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('membership') as batch_op:
        batch_op.drop_column('declaration_signed_on')
    op.drop_table('programme')
    op.drop_index('ix_formation_step_initiative_id', 'formation_step')
    op.drop_table('formation_step')
    op.drop_index('ix_initiative_office_id', 'initiative')
    op.drop_index('ix_initiative_cluster_id', 'initiative')
    op.drop_table('initiative')
