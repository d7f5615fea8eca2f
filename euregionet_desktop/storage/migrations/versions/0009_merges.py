"""Merges of duplicates: the synced merge record (survivor, merged ids, what the merging
installation had seen); every replica derives its redirects from these rows' changes.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'merge',
        sa.Column('record_type', sa.Text(), nullable=False),
        sa.Column('survivor_id', sa.Text(), nullable=False),
        sa.Column('merged_ids', sa.Text(), nullable=False),
        sa.Column('seen', sa.Text(), nullable=True),
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('created_at', sa.String(length=32), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_merge')),
    )
    with op.batch_alter_table('change_log') as batch_op:
        batch_op.create_index('ix_change_log_merge', ['record_id'], unique=False,
                              sqlite_where=sa.text("entity = 'merge'"))


def downgrade() -> None:
    with op.batch_alter_table('change_log') as batch_op:
        batch_op.drop_index('ix_change_log_merge')
    op.drop_table('merge')
