"""Commands: parsing, the command table, and the handlers (importing them registers them)."""

from briefings.commands import changes, digest, feeds, reading, review, sharing, writing

__all__ = ["changes", "digest", "feeds", "reading", "review", "sharing", "writing"]
