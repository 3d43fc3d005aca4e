"""Commands: parsing, the command table, and the handlers (importing them registers them)."""

from briefings.commands import changes, digest, reading, review, sharing, writing

__all__ = ["changes", "digest", "reading", "review", "sharing", "writing"]
