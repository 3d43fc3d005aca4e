"""Persistence: SQLite by default, PostgreSQL for several instances."""

from briefings.store.store import Change, NotFound, Revision, Store

__all__ = ["Change", "NotFound", "Revision", "Store"]
