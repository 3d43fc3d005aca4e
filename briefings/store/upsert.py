"""`INSERT … ON CONFLICT` for the database in use; each dialect's module is loaded only when it is the one used."""

from __future__ import annotations

from typing import Any


def dialect_insert(dialect: str) -> Any:
    """The dialect's own `insert` (its statements have `on_conflict_do_nothing` / `on_conflict_do_update`)."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as postgres_insert

        return postgres_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert
