"""Alembic environment: runs on the connection the app hands over (no ini file, no URL)."""

from __future__ import annotations

from alembic import context

from euregionet_desktop.storage.models import Base

config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode copies tables
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
