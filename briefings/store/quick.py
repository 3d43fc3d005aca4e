"""Tiny reads on SQLite made in place, without handing them to a worker thread.

A reader of a WAL database never waits for writers, and these are single indexed lookups that take
microseconds, so running them on the event loop costs less than the hand-off would. The connection never
waits for a lock (timeout 0): when a read cannot be made at once it raises Unavailable and the caller reads
the usual way."""

from __future__ import annotations

import functools
import logging
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Select
from sqlalchemy.dialects import sqlite
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)


class Unavailable(Exception):
    """The quick read could not be made right now; read the usual way."""


@functools.cache
def _compiled(query: Select[Any]) -> tuple[str, tuple[str, ...], dict[str, Any]]:
    compiled = query.compile(dialect=sqlite.dialect())
    return str(compiled), tuple(compiled.positiontup or ()), dict(compiled.params)


class QuickReader:
    def __init__(self, path: Path) -> None:
        self._connection = sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False)
        self._connection.execute("PRAGMA query_only=ON")

    @classmethod
    def open(cls, engine: AsyncEngine) -> QuickReader | None:
        """A reader beside an SQLite file database; None for PostgreSQL and in-memory SQLite."""
        path = engine.url.database if engine.dialect.name == "sqlite" else None
        if not path or path == ":memory:" or path.startswith("file:"):
            return None
        return cls(Path(path).expanduser())

    def first(self, query: Select[Any], **values: Any) -> tuple[Any, ...] | None:
        """The first row of `query` (a module-level constant whose `bindparam`s `values` names), or None.
        Raises Unavailable if it cannot be read right now (the database busy being recovered, say)."""
        sql, names, defaults = _compiled(query)
        try:
            row = self._connection.execute(sql, [values.get(name, defaults.get(name)) for name in names]).fetchone()
        except sqlite3.Error as exc:
            log.debug("quick read fell back to the usual path: %s", exc)
            raise Unavailable(str(exc)) from exc
        return tuple(row) if row is not None else None

    def close(self) -> None:
        self._connection.close()
