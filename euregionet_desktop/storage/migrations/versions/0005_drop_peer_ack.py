"""peer_ack goes: what an office holds is read from installation_ack when needed.

It was a copy per office of installation_ack, rebuilt on every import for the Sync view;
the view now asks the same function the export uses.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_table("peer_ack")


def downgrade() -> None:
    op.create_table(
        "peer_ack",
        sa.Column("office_code", sa.String(10), nullable=False),
        sa.Column("installation_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("office_code", "installation_id", name=op.f("pk_peer_ack")),
    )
