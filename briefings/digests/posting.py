"""What the digest runner needs from a platform: post a reply to a channel, and find a post again."""

from __future__ import annotations

from typing import Protocol

from briefings.reply import Reply


class PostError(Exception):
    """A post failed. `permanent` when retrying cannot help (bot removed, channel archived or unknown)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


class Poster(Protocol):
    """A platform the digest runner posts to. A post must be found again by its run key (`find_posted`) even when
    its answer was lost, so a run retried after a failure, a restart or by another instance posts once."""

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        """Posts `reply` to `channel` (the platform's channel id) marked with `run_key`; returns the message id."""
        ...

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        """The id of a message carrying `run_key` in the channel's recent history, if one went out."""
        ...
