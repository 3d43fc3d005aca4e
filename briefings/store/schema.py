"""Tables. Revisions are append-only: a fact's current state is its latest revision."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
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
