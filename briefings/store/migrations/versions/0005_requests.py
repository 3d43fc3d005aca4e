"""Moderators' requests already taken, so a request sent again (a replay, a resubmitted form) changes nothing.

Revision ID: 0005_requests
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from briefings.store.schema import UTCDateTime

revision = "0005_requests"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "requests",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("caller", sa.String(200), nullable=False),
        sa.Column("received_at", UTCDateTime, nullable=False),
        sa.Column("result", sa.Text),
    )
    op.create_index("ix_requests_received_at", "requests", ["received_at"])


def downgrade() -> None:
    op.drop_index("ix_requests_received_at", "requests")
    op.drop_table("requests")
