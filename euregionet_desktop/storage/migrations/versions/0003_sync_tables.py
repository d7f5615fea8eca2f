"""Sync bookkeeping: replaced writes, waiting changes, erasures, acknowledgements, keys.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "replaced_write",
        sa.Column("installation_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("installation_id", "seq", name=op.f("pk_replaced_write")),
    )
    op.create_table(
        "pending_change",
        sa.Column("installation_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("line", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("installation_id", "seq", name=op.f("pk_pending_change")),
    )
    op.create_table(
        "erasure",
        sa.Column("record_id", sa.String(36), nullable=False),
        sa.Column("entity", sa.String(40), nullable=False),
        sa.Column("hlc", sa.Integer(), nullable=False),
        sa.Column("installation_id", sa.String(36), nullable=False),
        sa.Column("reason", sa.String(40), nullable=False),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_erasure")),
    )
    op.create_table(
        "seen_seq",
        sa.Column("installation_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("installation_id", name=op.f("pk_seen_seq")),
    )
    op.create_table(
        "peer_ack",
        sa.Column("office_code", sa.String(10), nullable=False),
        sa.Column("installation_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("office_code", "installation_id", name=op.f("pk_peer_ack")),
    )
    op.create_table(
        "trusted_key",
        sa.Column("installation_id", sa.String(36), nullable=False),
        sa.Column("office_code", sa.String(10), nullable=False),
        sa.Column("label", sa.Text(), nullable=True),
        sa.Column("signing_key", sa.Text(), nullable=False),
        sa.Column("age_recipient", sa.Text(), nullable=False),
        sa.Column("fingerprint", sa.String(80), nullable=False),
        sa.Column("trusted_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("installation_id", name=op.f("pk_trusted_key")),
    )
    op.create_table(
        "bundle_log",
        sa.Column("bundle_id", sa.String(36), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("office_code", sa.String(10), nullable=False),
        sa.Column("at", sa.String(32), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("report", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("bundle_id", "direction", name=op.f("pk_bundle_log")),
    )
    # Writes replaced before this table existed.
    op.execute(
        "INSERT OR IGNORE INTO replaced_write (installation_id, seq) "
        "SELECT json_extract(r.value, '$[0]'), json_extract(r.value, '$[1]') "
        "FROM change_log, json_each(change_log.replaces) AS r"
    )


def downgrade() -> None:
    for table in ("bundle_log", "trusted_key", "peer_ack", "seen_seq", "erasure",
                  "pending_change", "replaced_write"):
        op.drop_table(table)
