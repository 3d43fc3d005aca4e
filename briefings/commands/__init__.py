"""Commands: parsing, the command table, and the handlers (importing them registers them)."""

from briefings.commands import digest, reading, writing

__all__ = ["digest", "reading", "writing"]
