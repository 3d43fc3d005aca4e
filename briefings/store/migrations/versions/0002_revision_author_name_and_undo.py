"""Revisions remember the author's display name and which change an undo takes back.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("revisions") as batch:
        batch.add_column(sa.Column("author_name", sa.String(200)))
        batch.add_column(sa.Column("undoes", sa.String(36)))
    op.create_index("ix_revisions_undoes", "revisions", ["undoes"])


def downgrade() -> None:
    op.drop_index("ix_revisions_undoes", "revisions")
    with op.batch_alter_table("revisions") as batch:
        batch.drop_column("undoes")
        batch.drop_column("author_name")
