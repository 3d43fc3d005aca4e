"""Situations, facts, append-only revisions, channels.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from briefings.store.schema import UTCDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "situations",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
    )
    op.create_table(
        "facts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("situation_id", sa.Integer, sa.ForeignKey("situations.id"), nullable=False),
        sa.Column("key", sa.String(16), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("situation_id", "key", name="uq_facts_situation_key"),
    )
    op.create_table(
        "revisions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("fact_id", sa.Integer, sa.ForeignKey("facts.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("batch", sa.String(36), nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.UniqueConstraint("fact_id", "number", name="uq_revisions_fact_number"),
    )
    op.create_index("ix_revisions_at", "revisions", ["at"])
    op.create_index("ix_revisions_batch", "revisions", ["batch"])
    op.create_index("ix_revisions_author_at", "revisions", ["author", "at"])
    op.create_table(
        "channels",
        sa.Column("channel", sa.String(200), primary_key=True),
        sa.Column("situation_id", sa.Integer, sa.ForeignKey("situations.id"), nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    for table in ("channels", "revisions", "facts", "situations"):
        op.drop_table(table)
