"""Digest subscriptions and their runs (one row per subscription and slot: the exactly-once key).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from briefings.store.schema import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "subscriptions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("channel", sa.String(200), nullable=False),
        sa.Column("situation_id", sa.Integer, sa.ForeignKey("situations.id"), nullable=False),
        sa.Column("at_time", sa.String(5), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("days", sa.String(40), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("failures", sa.Integer, nullable=False),
        sa.Column("suspended_reason", sa.Text),
    )
    op.create_index("ix_subscriptions_channel", "subscriptions", ["channel"])
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subscription_id", sa.Integer, sa.ForeignKey("subscriptions.id"), nullable=False),
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("slot", UTCDateTime),
        sa.Column("batch", sa.String(36)),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("owner", sa.String(80)),
        sa.Column("lease_until", UTCDateTime),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("next_attempt", UTCDateTime),
        sa.Column("late", sa.Boolean, nullable=False),
        sa.Column("message_id", sa.String(80)),
        sa.Column("error", sa.Text),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("posted_at", UTCDateTime),
        sa.UniqueConstraint("subscription_id", "key", name="uq_runs_subscription_key"),
    )
    op.create_index("ix_runs_status", "runs", ["status"])


def downgrade() -> None:
    op.drop_table("runs")
    op.drop_table("subscriptions")
