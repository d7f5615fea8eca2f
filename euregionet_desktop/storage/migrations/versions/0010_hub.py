"""Sync through a mailbox (a shared folder or the office hub on PostgreSQL): the mailbox
this installation uses, its cursor and last sync, and the bundles it has dealt with.
Neither table is synced.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'hub_setting',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('url', sa.Text(), nullable=False),
        sa.Column('cursor', sa.Text(), nullable=True),
        sa.Column('auto_minutes', sa.Integer(), nullable=True),
        sa.Column('last_sync_at', sa.String(length=32), nullable=True),
        sa.Column('last_attempt_at', sa.String(length=32), nullable=True),
        sa.Column('last_report', sa.Text(), nullable=True),
        sa.Column('pushed_acks', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hub_setting')),
    )
    op.create_table(
        'hub_handled',
        sa.Column('key', sa.Text(), nullable=False),
        sa.Column('bundle_id', sa.String(length=36), nullable=True),
        sa.Column('at', sa.String(length=32), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('message', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_hub_handled')),
    )


def downgrade() -> None:
    op.drop_table('hub_handled')
    op.drop_table('hub_setting')
