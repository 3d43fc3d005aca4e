"""Facts proposed from articles, with their evidence, waiting for a moderator's decision.

Revision ID: 0007_proposals
Revises: 0006_web_access
"""

import sqlalchemy as sa
from alembic import op

from briefings.store.schema import UTCDateTime

revision = "0007_proposals"
down_revision = "0006_web_access"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "proposals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("proposal", sa.Text, nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("spans", sa.JSON, nullable=False),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", UTCDateTime, nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("proposed_by", sa.String(200), nullable=False),
        sa.Column("proposed_at", UTCDateTime, nullable=False),
        sa.Column("decided_by", sa.String(200)),
        sa.Column("decided_at", UTCDateTime),
        sa.Column("written", sa.String(200)),
    )
    op.create_index("ix_proposals_slug_status", "proposals", ["slug", "status"])


def downgrade() -> None:
    op.drop_index("ix_proposals_slug_status", "proposals")
    op.drop_table("proposals")
