"""A title in either language: an action plan's and a measure's Polish title may be empty
when the German one is there (a German office need not type a Polish title); the services
require one of the two.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

_TABLES = ('action_plan', 'measure')


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column('title', existing_type=sa.Text(), nullable=True)


def downgrade() -> None:
    for table in _TABLES:
        # A title only in German becomes the Polish one, so the column can be required again.
        op.execute(f"UPDATE {table} SET title = title_de WHERE title IS NULL")
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column('title', existing_type=sa.Text(), nullable=False)
