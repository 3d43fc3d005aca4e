"""What every chat platform adapter offers the rest of the bot (the serve loop and the digest scheduler)."""

from __future__ import annotations

from typing import Protocol

from briefings.digests.posting import PostError
from briefings.reply import Reply

__all__ = ["Adapter", "PostError", "SetupError"]


class SetupError(RuntimeError):
    """An adapter cannot start: missing or wrong credentials or scopes. The message says what to fix."""


class Adapter(Protocol):
    platform: str
    """`slack` or `discord`: the prefix of the channel keys it serves (`slack:C123`)."""

    async def start(self) -> None:
        """Connects or starts serving; returns once ready. Bad credentials raise with a message saying what to fix."""

    async def stop(self) -> None: ...

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        """Posts `reply` to `channel` (the platform's own channel id) and returns the message id.
        `run_key` marks the post (Slack message metadata, Discord nonce) so `find_posted` can see it."""
        ...

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        """The id of a message carrying `run_key` in the channel's recent history, if one went out."""
        ...
