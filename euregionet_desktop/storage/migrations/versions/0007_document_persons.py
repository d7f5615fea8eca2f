"""Documents: a generated document records whom it names, so erasing a person deletes
every document that printed them (attendance lists, protocols, booklets).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attachment") as batch_op:
        batch_op.add_column(sa.Column("person_ids", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attachment") as batch_op:
        batch_op.drop_column("person_ids")
