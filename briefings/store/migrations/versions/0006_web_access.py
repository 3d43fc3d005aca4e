"""Who may read a situation's web page and feeds: public, or a secret link whose token is kept only as a hash.

Revision ID: 0006_web_access
Revises: 0005_requests
"""

import sqlalchemy as sa
from alembic import op

from briefings.store.schema import UTCDateTime

revision = "0006_web_access"
down_revision = "0005_requests"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "web_access",
        sa.Column("situation_id", sa.Integer, sa.ForeignKey("situations.id"), primary_key=True),
        sa.Column("public", sa.Boolean, nullable=False),
        sa.Column("token_hash", sa.String(64)),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("updated_by", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("web_access")
