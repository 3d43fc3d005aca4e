"""Commands: parsing, the command table, and the handlers (importing them registers them)."""

from briefings.commands import reading, writing

__all__ = ["reading", "writing"]
