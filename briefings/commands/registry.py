"""The command table: each command's name, usage, who may run it, and what runs it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from briefings.access import Caller
from briefings.commands.parse import Request
from briefings.reply import Reply
from briefings.snapshot import Snapshot
from briefings.store import Store


@dataclass
class Context:
    """What a command may use: the store, who asks, in which situation, and the time."""

    store: Store
    caller: Caller
    slug: str
    now: datetime
    is_moderator: bool
    urgent: Callable[[], None] = lambda: None
    """Tells the digest scheduler in this process that urgent posts are waiting."""
    version: int | None = None
    """The situation's version when the command arrived."""

    async def snapshot(self) -> Snapshot:
        return await self.store.snapshot(self.slug, self.version)


Handler = Callable[[Context, Request], Awaitable[Reply]]


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    summary: str
    run: Handler
    moderators_only: bool = False
    examples: tuple[str, ...] = ()
    pure: bool = False
    """Its answer depends only on the situation's state, the text and whether the caller moderates: the same
    answer may be given again until the situation changes."""


COMMANDS: dict[str, Command] = {}


def command(
    name: str,
    usage: str,
    summary: str,
    *,
    moderators_only: bool = False,
    examples: tuple[str, ...] = (),
    pure: bool = False,
) -> Callable[[Handler], Handler]:
    def register(run: Handler) -> Handler:
        COMMANDS[name] = Command(name, usage, summary, run, moderators_only, examples, pure)
        return run

    return register
