"""The time now, in UTC: the one clock every record is stamped by (tests set it where it is used)."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
