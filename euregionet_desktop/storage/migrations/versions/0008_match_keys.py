"""Duplicates: the indexes duplicates are found by, and the "not a duplicate" decision
(a synced record, so that a pair decided at one office is not offered at any).

Lookups by identifier, e-mail and phone go straight to these indexes (services.duplicates);
names are compared folded in Python (SQLite cannot fold ł, ß or ä → ae), blocked by their
folded words and, while typing, found through the search index that is kept anyway.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

ORGANISATION_KEYS = ("nip", "regon", "krs", "vat_id", "register_number", "website")


def upgrade() -> None:
    op.create_table(
        "duplicate_decision",
        sa.Column("organisation_ids", sa.Text(), nullable=True),
        sa.Column("contact_ids", sa.Text(), nullable=True),
        sa.Column("cluster_ids", sa.Text(), nullable=True),
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duplicate_decision")),
    )
    for column in ORGANISATION_KEYS:
        op.create_index(f"ix_organisation_{column}", "organisation", [column])
    op.create_index("ix_contact_email_lower", "contact", [sa.text("lower(email)")])
    op.create_index("ix_contact_mobile_live", "contact", ["mobile", "id"],
                    sqlite_where=sa.text("deleted IS 0"))


def downgrade() -> None:
    op.drop_index("ix_contact_mobile_live", table_name="contact")
    op.drop_index("ix_contact_email_lower", table_name="contact")
    for column in ORGANISATION_KEYS:
        op.drop_index(f"ix_organisation_{column}", table_name="organisation")
    op.drop_table("duplicate_decision")
