"""Feeds followed per situation, and each entry read from them (claimed once, announced once).

Revision ID: 0008_feeds
Revises: 0007_proposals
"""

import sqlalchemy as sa
from alembic import op

from briefings.store.schema import UTCDateTime

revision = "0008_feeds"
down_revision = "0007_proposals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("channel", sa.String(200), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.Column("added_at", UTCDateTime, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("polled_at", UTCDateTime),
        sa.Column("ok_at", UTCDateTime),
        sa.Column("error", sa.Text),
        sa.Column("entries", sa.Integer, nullable=False, server_default="0"),
        sa.UniqueConstraint("slug", "url", name="uq_feeds_slug_url"),
    )
    op.create_table(
        "feed_entries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("feed_id", sa.Integer, sa.ForeignKey("feeds.id"), nullable=False),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("link", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("summary", sa.Text),
        sa.Column("published", UTCDateTime),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("owner", sa.String(80)),
        sa.Column("lease_until", UTCDateTime),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("proposals", sa.String(400)),
        sa.Column("message_id", sa.String(80)),
        sa.Column("error", sa.Text),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("feed_id", "key", name="uq_feed_entries_feed_key"),
    )
    op.create_index("ix_feed_entries_status", "feed_entries", ["status"])


def downgrade() -> None:
    op.drop_index("ix_feed_entries_status", "feed_entries")
    op.drop_table("feed_entries")
    op.drop_table("feeds")
