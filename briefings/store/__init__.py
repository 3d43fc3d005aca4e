"""Persistence: SQLite by default, PostgreSQL for several instances."""

from briefings.store.errors import NotFound
from briefings.store.store import Store

__all__ = ["NotFound", "Store"]
