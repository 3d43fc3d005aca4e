"""Rate limits on chat commands, per person and per channel, with a polite refusal that says when to try again.

Every chat adapter asks `Throttle.check` before running a command. Counts are kept in this process with the
`limits` library (a moving window per key); several instances each keep their own.
"""

from __future__ import annotations

import math
import time

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from briefings.reply import Outcome, Reply, problem

PER_PERSON = "20/minute"
PER_CHANNEL = "60/minute"


def rates(setting: str) -> list[RateLimitItem]:
    """`20/minute` or `20/minute;200/hour` -> rate limits; empty means none. Raises ValueError for anything else."""
    found = parse_many(setting) if setting.strip() else []
    if any(item.amount < 1 for item in found):
        raise ValueError(f"a rate needs at least 1 a period: {setting!r}")
    return found


def spoken(item: RateLimitItem) -> str:
    """`20 times a minute`, `100 times in 2 hours`."""
    seconds = item.get_expiry()
    for unit, size in (("day", 86_400), ("hour", 3_600), ("minute", 60), ("second", 1)):
        if seconds >= size:
            count = seconds // size
            span = f"a {unit}" if count == 1 else f"in {count} {unit}s"
            return f"{item.amount} times {span}"
    return f"{item.amount} times"


class Throttle:
    """Counts commands per person (`slack:U123`) and per channel (`slack:C123`); refuses past the limits."""

    def __init__(self, per_person: str = PER_PERSON, per_channel: str = PER_CHANNEL) -> None:
        self.limits = {"person": rates(per_person), "channel": rates(per_channel)}
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def check(self, person: str, channel: str) -> Reply | None:
        """Counts one command by `person` in `channel` and returns None; or, past a limit, returns the refusal
        (and counts nothing, so waiting is enough to be answered again)."""
        keys = {"person": person, "channel": channel}
        checks = [(kind, item, keys[kind]) for kind, items in self.limits.items() for item in items if keys[kind]]
        for kind, item, key in checks:
            if not self._limiter.test(item, kind, key):
                return self.refusal(kind, item, self._wait(item, kind, key))
        for kind, item, key in checks:
            self._limiter.hit(item, kind, key)
        return None

    def _wait(self, item: RateLimitItem, kind: str, key: str) -> int:
        reset, _ = self._limiter.get_window_stats(item, kind, key)
        return max(1, math.ceil(reset - time.time()))

    @staticmethod
    def refusal(kind: str, item: RateLimitItem, wait: int) -> Reply:
        who = "You are" if kind == "person" else "This channel is"
        each = "each person" if kind == "person" else "each channel"
        return problem(
            f"{who} asking faster than I can answer.",
            f"Please wait about {wait} s and try again: I answer {each} at most {spoken(item)}.",
            outcome=Outcome.refused,
        )
