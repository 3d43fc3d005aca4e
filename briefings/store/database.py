"""Engines for SQLite (the embedded default) and PostgreSQL, and migrations on start-up."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from briefings.store.heads import schema_is_current

MIGRATIONS = Path(__file__).parent / "migrations"
WRITE = "briefings_write"
"""Execution option marking a connection that will write (SQLite then takes the lock up front)."""


class DatabaseSetupError(ValueError):
    """The database URL cannot be used as given; the message says why."""


def async_url(url: str) -> str:
    """Accepts the URLs people write (`sqlite:///b.db`, `postgresql://...`, a platform's `postgres://...`) and
    picks the async driver."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseSetupError(f"'{url}' is not a database URL") from None
    driver = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}
    backend = parsed.drivername.split("+")[0]
    if backend not in driver:
        raise DatabaseSetupError(
            f"unsupported database URL '{parsed.drivername}://...' (use sqlite:/// or postgresql://)"
        )
    return parsed.set(drivername=driver[backend]).render_as_string(hide_password=False)


def create_engine(url: str) -> AsyncEngine:
    full = async_url(url)
    if full.startswith("sqlite"):
        path = make_url(full).database
        if path and path != ":memory:" and not path.startswith("file:"):
            folder = Path(path).expanduser().parent
            if not folder.is_dir():
                raise DatabaseSetupError(f"the folder {folder} for the SQLite file does not exist; create it first")
        engine = create_async_engine(full, connect_args={"timeout": 30})
        _sqlite_pragmas(engine)
        return engine
    return create_async_engine(full, pool_pre_ping=True)


def _sqlite_pragmas(engine: AsyncEngine) -> None:
    """WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE for writers so they queue instead of failing."""

    @event.listens_for(engine.sync_engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        _use_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _use_wal(cursor: Any, patience: float = 30.0) -> None:
    """Switches a new database to WAL once (it stays so). The switch needs the database to itself and SQLite's
    busy timeout does not cover it, so wait here while another connection is writing."""
    deadline = time.monotonic() + patience
    while True:
        try:
            cursor.execute("PRAGMA journal_mode")
            if str(cursor.fetchone()[0]).lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except Exception as exc:  # sqlite3.OperationalError, as the driver adapter raises it
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


async def migrate(engine: AsyncEngine) -> None:
    """Brings the schema up to date; on PostgreSQL an advisory lock keeps instances from racing. A database already
    at the newest revision is left alone without loading the migration tool."""
    async with engine.connect() as connection:
        if await connection.run_sync(schema_is_current, MIGRATIONS / "versions"):
            return
    async with engine.connect() as connection:
        connection = await connection.execution_options(**{WRITE: True})
        async with connection.begin():
            if engine.dialect.name == "postgresql":
                await connection.execute(text("SELECT pg_advisory_xact_lock(72201)"))
            await connection.run_sync(_upgrade)


def _upgrade(connection: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")
