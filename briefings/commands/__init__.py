"""Commands: parsing, the command table, and the handlers (importing them registers them)."""

from briefings.commands import changes, digest, reading, writing

__all__ = ["changes", "digest", "reading", "writing"]
