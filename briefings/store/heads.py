"""Whether a database's schema is at the newest migration, answered without loading the migration tool."""

from __future__ import annotations

import functools
import re
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection

_ASSIGNMENT = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)


@functools.cache
def newest_revisions(folder: Path) -> frozenset[str]:
    """The head revision ids of the migration scripts in `folder` (normally exactly one)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in folder.glob("*.py"):
        values = dict(_ASSIGNMENT.findall(script.read_text(encoding="utf-8")))
        if "revision" not in values:
            continue
        revisions.add(values["revision"].strip().strip("\"'"))
        parents.update(re.findall(r"[\"']([^\"']+)[\"']", values.get("down_revision", "")))
    return frozenset(revisions - parents)


def schema_is_current(connection: Connection, folder: Path) -> bool:
    """True when the database records exactly the newest revisions; False when anything is to do (or unsure)."""
    heads = newest_revisions(folder)
    if not heads or not inspect(connection).has_table("alembic_version"):
        return False
    recorded = {row[0] for row in connection.execute(text("SELECT version_num FROM alembic_version"))}
    connection.rollback()
    return recorded == heads
