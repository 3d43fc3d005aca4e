"""Persistence: SQLite by default, PostgreSQL for several instances."""

from briefings.store.store import NotFound, Store

__all__ = ["NotFound", "Store"]
