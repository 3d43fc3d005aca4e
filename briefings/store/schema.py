"""Tables. Revisions are append-only: a fact's current state is its latest revision."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as UTC and gives them back aware, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; use an aware UTC datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if not isinstance(value, datetime):
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


metadata = MetaData()

situations = Table(
    "situations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(64), nullable=False, unique=True),
    Column("data", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("version", Integer, nullable=False, server_default="0"),
)

facts = Table(
    "facts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("situation_id", ForeignKey("situations.id"), nullable=False),
    Column("key", String(16), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("situation_id", "key", name="uq_facts_situation_key"),
)

revisions = Table(
    "revisions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("fact_id", ForeignKey("facts.id"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("author", String(200), nullable=False),
    Column("author_name", String(200)),
    Column("action", String(16), nullable=False),
    Column("reason", Text),
    Column("batch", String(36), nullable=False),
    Column("data", JSON, nullable=False),
    Column("undoes", String(36)),
    UniqueConstraint("fact_id", "number", name="uq_revisions_fact_number"),
    Index("ix_revisions_at", "at"),
    Index("ix_revisions_batch", "batch"),
    Index("ix_revisions_author_at", "author", "at"),
    Index("ix_revisions_undoes", "undoes"),
)

channels = Table(
    "channels",
    metadata,
    Column("channel", String(200), primary_key=True),
    Column("situation_id", ForeignKey("situations.id"), nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String(200), nullable=False),
)

subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("channel", String(200), nullable=False, index=True),
    Column("situation_id", ForeignKey("situations.id"), nullable=False),
    Column("at_time", String(5), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("days", String(40), nullable=False),
    Column("created_by", String(200), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("failures", Integer, nullable=False),
    Column("suspended_reason", Text),
)

runs = Table(
    "runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("subscription_id", ForeignKey("subscriptions.id"), nullable=False),
    Column("key", String(80), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("slot", UTCDateTime),
    Column("batch", String(36)),
    Column("status", String(10), nullable=False, index=True),
    Column("owner", String(80)),
    Column("lease_until", UTCDateTime),
    Column("attempts", Integer, nullable=False),
    Column("next_attempt", UTCDateTime),
    Column("late", Boolean, nullable=False),
    Column("message_id", String(80)),
    Column("error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    Column("posted_at", UTCDateTime),
    UniqueConstraint("subscription_id", "key", name="uq_runs_subscription_key"),
)

requests = Table(
    "requests",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("caller", String(200), nullable=False),
    Column("received_at", UTCDateTime, nullable=False, index=True),
    Column("result", Text),
)
"""Moderators' requests already taken (a hash of the platform's request id): a request seen again changes nothing."""

web_access = Table(
    "web_access",
    metadata,
    Column("situation_id", ForeignKey("situations.id"), primary_key=True),
    Column("public", Boolean, nullable=False),
    Column("token_hash", String(64)),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("updated_by", String(200), nullable=False),
)
"""Who may read a situation's web page and feeds: everyone, or whoever has its secret link (only its hash kept)."""

proposals = Table(
    "proposals",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(64), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("proposal", Text, nullable=False),
    Column("evidence", Text, nullable=False),
    Column("spans", JSON, nullable=False),
    Column("url", Text),
    Column("title", Text),
    Column("published", UTCDateTime, nullable=False),
    Column("status", String(10), nullable=False),
    Column("proposed_by", String(200), nullable=False),
    Column("proposed_at", UTCDateTime, nullable=False),
    Column("decided_by", String(200)),
    Column("decided_at", UTCDateTime),
    Column("written", String(200)),
    Index("ix_proposals_slug_status", "slug", "status"),
)
"""Facts proposed from articles, waiting for a moderator: the proposal (JSON), its evidence, and the decision."""

feeds = Table(
    "feeds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(64), nullable=False),
    Column("url", Text, nullable=False),
    Column("channel", String(200), nullable=False),
    Column("added_by", String(200), nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
    Column("active", Boolean, nullable=False),
    Column("polled_at", UTCDateTime),
    Column("ok_at", UTCDateTime),
    Column("error", Text),
    Column("entries", Integer, nullable=False, server_default="0"),
    UniqueConstraint("slug", "url", name="uq_feeds_slug_url"),
)
"""Feeds a situation's moderators follow: where new proposals are announced, and how the last poll went."""

feed_entries = Table(
    "feed_entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("feed_id", ForeignKey("feeds.id"), nullable=False),
    Column("key", String(64), nullable=False),
    Column("link", Text),
    Column("title", Text),
    Column("summary", Text),
    Column("published", UTCDateTime),
    Column("status", String(10), nullable=False, index=True),
    Column("owner", String(80)),
    Column("lease_until", UTCDateTime),
    Column("attempts", Integer, nullable=False),
    Column("proposals", String(400)),
    Column("message_id", String(80)),
    Column("error", Text),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("feed_id", "key", name="uq_feed_entries_feed_key"),
)
"""Each feed entry seen, claimed by the one process whose insert created it: read once, announced once."""
