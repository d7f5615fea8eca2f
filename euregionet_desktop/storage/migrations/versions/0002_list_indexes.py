"""Lists read their order from partial covering indexes over live rows.

A sorted list of 100,000 contacts took 100–200 ms through the single-column sort-key
indexes (table lookups for ``deleted`` and ``id``, then a temporary sort for the tie
break); an index on (key, id) WHERE deleted IS 0 answers it from the index alone.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

# (table, column) of every list index; the old single-column ones existed for *_sort only.
LIST_INDEXES = (
    ('office', 'name_sort'),
    ('advisor', 'name_sort'),
    ('cluster', 'name_pl_sort'),
    ('cluster', 'name_de_sort'),
    ('cluster', 'region_sort'),
    ('organisation', 'name_sort'),
    ('organisation', 'city_sort'),
    ('contact', 'first_name_sort'),
    ('contact', 'last_name_sort'),
    ('contact', 'email_sort'),
    ('contact', 'function'),
    ('contact', 'phone'),
    ('contact', 'language'),
    ('contact', 'organisation_id'),
    ('consultation', 'subject_sort'),
    ('task', 'title_sort'),
    ('action_plan', 'title_sort'),
    ('event', 'title_pl_sort'),
    ('event', 'title_de_sort'),
    ('attachment', 'file_name_sort'),
)


def upgrade() -> None:
    for table, column in LIST_INDEXES:
        if column.endswith("_sort"):
            op.drop_index(f"ix_{table}_{column}", table_name=table)
        op.create_index(f"ix_{table}_{column}_live", table, [column, "id"],
                        sqlite_where=sa.text("deleted IS 0"))


def downgrade() -> None:
    for table, column in LIST_INDEXES:
        op.drop_index(f"ix_{table}_{column}_live", table_name=table)
        if column.endswith("_sort"):
            op.create_index(f"ix_{table}_{column}", table, [column])
