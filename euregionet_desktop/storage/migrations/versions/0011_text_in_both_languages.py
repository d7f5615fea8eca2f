"""Text in both languages and what the documents print: the German side of the action
plan's title, of its measures and of a consultation's subject, summary and outcomes; an
action plan's duration and baseline; a consultation's next meeting; an event's times and
venue address.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

_COLUMNS = {
    'action_plan': [('title_de', sa.Text()), ('starts_on', sa.Date()), ('ends_on', sa.Date()),
                    ('baseline_pl', sa.Text()), ('baseline_de', sa.Text())],
    'measure': [('title_de', sa.Text()), ('description_de', sa.Text())],
    'consultation': [('subject_de', sa.Text()), ('summary_de', sa.Text()),
                     ('outcomes_de', sa.Text()), ('next_meeting_at', sa.String(length=16))],
    'event': [('start_time', sa.String(length=5)), ('end_time', sa.String(length=5)),
              ('venue_address', sa.Text())],
}


def upgrade() -> None:
    for table, columns in _COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            for name, type_ in columns:
                batch_op.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    for table, columns in _COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            for name, _type in reversed(columns):
                batch_op.drop_column(name)
