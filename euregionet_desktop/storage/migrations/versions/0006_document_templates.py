"""Documents: an attachment says which kind of document it is (or is the template of),
and each installation remembers the template it fills per kind and language.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("attachment") as batch_op:
        batch_op.add_column(sa.Column("document_kind", sa.String(40), nullable=True))
    op.create_table(
        "template_choice",
        sa.Column("document_kind", sa.String(40), nullable=False),
        sa.Column("language", sa.String(10), nullable=False),
        sa.Column("attachment_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("document_kind", "language", name=op.f("pk_template_choice")),
    )


def downgrade() -> None:
    op.drop_table("template_choice")
    with op.batch_alter_table("attachment") as batch_op:
        batch_op.drop_column("document_kind")
