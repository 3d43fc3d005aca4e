"""What a command's handler is given: the store, who asks, in which situation, and the time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from briefings.access import Caller
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
