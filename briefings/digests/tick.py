"""What one tick of the digest clock knows and reports, and the names it gives runs and their posts."""

from __future__ import annotations

import asyncio
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from briefings.digests.fanout import PostedRecorder
from briefings.reply import Reply
from briefings.store.runs import Run


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def slot_key(slot: datetime) -> str:
    return "digest:" + slot.strftime("%Y-%m-%dT%H:%MZ")


def run_marker(subscription_id: int, run: Run) -> str:
    """A short mark for the platform message (at most 25 characters: Discord's nonce limit)."""
    if run.slot is not None:
        return f"d{subscription_id}-{run.slot:%y%m%d%H%M}"
    return f"u{subscription_id}-{(run.batch or run.key)[-10:].replace('-', '')}"


@dataclass
class TickReport:
    posted: int = 0
    late: int = 0
    """Of those posted, how many were posted late."""
    skipped: int = 0
    failed: int = 0
    retrying: int = 0


@dataclass
class Tick:
    """What one tick knows: its instant, what it read for composing, the replies it composed, the posts it has
    yet to record."""

    now: datetime
    recorder: PostedRecorder
    started: float = field(default_factory=time.monotonic)
    skipped: dict[int, list[datetime]] = field(default_factory=dict)
    """Skipped slots by subscription id, oldest run first."""
    last_digest: dict[tuple[str, str], datetime] = field(default_factory=dict)
    """When each (channel, situation slug) last got a digest."""
    loaded: set[int] = field(default_factory=set)
    """Subscriptions whose skipped slots and last digest were read."""
    composed: dict[Hashable, asyncio.Future[Reply]] = field(default_factory=dict)

    def lease_until(self, lease: timedelta) -> datetime:
        """A lease from the moment it is taken: `now` is when the tick began, and a fan-out takes a while."""
        return self.now + timedelta(seconds=time.monotonic() - self.started) + lease

    async def once(self, key: Hashable, make: Callable[[], Awaitable[Reply]]) -> Reply:
        """The reply for `key`, made by the first caller; the others wait for it. Callers must not change it."""
        future = self.composed.get(key)
        if future is None:
            future = asyncio.get_running_loop().create_future()
            self.composed[key] = future
            try:
                future.set_result(await make())
            except BaseException as exc:
                del self.composed[key]
                if isinstance(exc, asyncio.CancelledError):
                    future.cancel()
                else:
                    future.set_exception(exc)
                    future.exception()  # retrieved: the callers waiting (if any) get it
                raise
        return await future
