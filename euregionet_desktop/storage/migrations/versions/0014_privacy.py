"""Personal data as the GDPR expects: a contact person's consent with its source, scope and
evidence; notes on records, shared or kept at this installation only; a retention setting.

The consent's old free-text source and scope stay as they were (shown as notes): changes
written before carry text there, and a partner's old bundle must still be read.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # ADD COLUMN, not a batch (which copies the table and loses the contact's expression
    # index on lower(email), migration 0008).
    op.add_column('contact', sa.Column('consent_via', sa.String(length=40), nullable=True))
    op.add_column('contact', sa.Column('consent_purposes', sa.Text(), nullable=True))
    op.add_column('contact', sa.Column('consent_evidence_id', sa.String(length=36),
                                       nullable=True))
    op.add_column('programme', sa.Column('retention_contact_years', sa.Integer(),
                                         nullable=True))
    op.create_table(
        'note',
        sa.Column('linked_entity', sa.Text(), nullable=False),
        sa.Column('linked_id', sa.Text(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('author_id', sa.String(length=36), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('created_at', sa.String(length=32), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_note')),
    )
    op.create_index('ix_note_linked_id', 'note', ['linked_id'])
    op.create_table(
        'private_note',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('linked_entity', sa.String(length=40), nullable=False),
        sa.Column('linked_id', sa.String(length=36), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('author_id', sa.String(length=36), nullable=True),
        sa.Column('created_at', sa.String(length=32), nullable=False),
        sa.Column('updated_at', sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_private_note')),
    )
    op.create_index('ix_private_note_linked_id', 'private_note', ['linked_id'])


def downgrade() -> None:
    op.drop_index('ix_private_note_linked_id', 'private_note')
    op.drop_table('private_note')
    op.drop_index('ix_note_linked_id', 'note')
    op.drop_table('note')
    op.drop_column('programme', 'retention_contact_years')
    for name in ('consent_evidence_id', 'consent_purposes', 'consent_via'):
        op.drop_column('contact', name)  # DROP COLUMN (SQLite 3.35+), the index kept
