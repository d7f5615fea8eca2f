"""Acknowledgements per partner installation, not per office.

Several laptops of one office import bundles addressed to that office; keeping only the
highest acknowledgement per office made a bundle skip changes one laptop held and another
did not, leaving that laptop waiting for them for ever. A bundle for an office now carries
everything its least up-to-date known installation has not acknowledged.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "installation_ack",
        sa.Column("peer_installation_id", sa.String(36), nullable=False),
        sa.Column("office_code", sa.String(10), nullable=False),
        sa.Column("installation_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("peer_installation_id", "installation_id",
                                name=op.f("pk_installation_ack")),
    )
    # Which installation acknowledged the per-office rows is unknown: start from nothing
    # (the next bundles carry more than needed, which the recipients skip as known).
    op.execute("DELETE FROM peer_ack")


def downgrade() -> None:
    op.drop_table("installation_ack")
