"""The current state of one situation: each fact as its latest revision left it."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar, cast

from briefings.facts import Actor, Fact, Place, Situation, Source, Status
from briefings.names import NameIndex

F = TypeVar("F", bound=Fact)
T = TypeVar("T")
Update = Callable[[T, "Snapshot", "Snapshot", dict[str, Fact]], T]
"""Patches a derived value for a revised snapshot: (value, old snapshot, new snapshot, changed facts) -> value."""


@dataclass
class Snapshot:
    """Read by many answers at once, so never changed once made: `revised` makes the next state."""

    situation: Situation
    facts: dict[str, Fact] = field(default_factory=dict)
    recorded_at: dict[str, datetime] = field(default_factory=dict)
    """When each fact was first recorded (UTC)."""
    revised_at: dict[str, datetime] = field(default_factory=dict)
    """When each fact was last revised (UTC)."""
    version: int = 0
    """The situation's version this state belongs to."""
    upto: int = 0
    """The last revision applied (revision ids grow in the order a situation's writes are made)."""
    _kinds: dict[tuple[type[Fact], bool], list[tuple[str, Fact]]] = field(default_factory=dict, repr=False)
    _derived: dict[str, tuple[Any, Update[Any] | None]] = field(default_factory=dict, repr=False)

    def copy(self) -> Snapshot:
        """A snapshot of the same state that may be changed without touching this one."""
        return Snapshot(
            self.situation, dict(self.facts), dict(self.recorded_at), dict(self.revised_at), self.version, self.upto
        )

    def revised(self, changes: Iterable[tuple[str, Fact, datetime, datetime]], version: int, upto: int) -> Snapshot:
        """A new snapshot with `changes` (key, fact, first recorded, revised) applied. What this one worked out
        (each kind's facts in order, the name indexes) is carried over and patched rather than worked out again."""
        new = self.copy()
        new.version, new.upto = version, max(self.upto, upto)
        changed: dict[str, Fact] = {}
        for key, fact, recorded, revised in changes:
            new.facts[key], new.recorded_at[key], new.revised_at[key] = fact, recorded, revised
            changed[key] = fact
        before = {type(self.facts[k]) for k in changed if k in self.facts}
        kinds = before | {type(f) for f in changed.values()}
        for (cls, include_retracted), found in self._kinds.items():
            if not any(issubclass(kind, cls) for kind in kinds):
                new._kinds[(cls, include_retracted)] = found
                continue
            patched = list(found)
            for key, fact in changed.items():
                order = fact_order(key)
                start = bisect.bisect_left(patched, order, key=_order_of)
                end = bisect.bisect_right(patched, order, key=_order_of, lo=start)
                at = next((i for i in range(start, end) if patched[i][0] == key), None)  # ids of one order: rare
                if isinstance(fact, cls) and (include_retracted or fact.status is not Status.retracted):
                    if at is None:
                        patched.insert(end, (key, fact))
                    else:
                        patched[at] = (key, fact)
                elif at is not None:
                    del patched[at]
            new._kinds[(cls, include_retracted)] = patched
        for name, (value, update) in self._derived.items():
            if update is not None:
                new._derived[name] = (update(value, self, new, changed), update)
        for name, cls in (("places", Place), ("actors", Actor), ("sources", Source)):
            if name in self.__dict__ and cls not in kinds:
                new.__dict__[name] = self.__dict__[name]
        return new

    def derived(self, name: str, work_out: Callable[[Snapshot], T], update: Update[T] | None = None) -> T:
        """What `work_out` makes of this state, worked out once per snapshot (answers share it). With `update`,
        a revised snapshot gets it by patching: `update(value, old snapshot, new snapshot, changed facts)`."""
        if name not in self._derived:
            self._derived[name] = (work_out(self), update)
        return cast(T, self._derived[name][0])

    def all(self, cls: type[F], *, include_retracted: bool = False) -> list[tuple[str, F]]:
        """Facts of one kind in id order, retracted ones left out unless asked for."""
        cached = self._kinds.get((cls, include_retracted))
        if cached is None:
            cached = [
                (key, fact)
                for key, fact in self.facts.items()
                if isinstance(fact, cls) and (include_retracted or fact.status is not Status.retracted)
            ]
            cached.sort(key=lambda item: fact_order(item[0]))
            self._kinds[(cls, include_retracted)] = cached
        return list(cached)  # type: ignore[arg-type]

    @cached_property
    def places(self) -> NameIndex:
        return NameIndex.build("place", ((k, p.name, p.aliases) for k, p in self.all(Place)))

    @cached_property
    def actors(self) -> NameIndex:
        return NameIndex.build("actor", ((k, a.name, a.aliases) for k, a in self.all(Actor)))

    @cached_property
    def sources(self) -> NameIndex:
        return NameIndex.build("source", ((k, s.name, s.aliases) for k, s in self.all(Source)))

    def source_label(self, key: str) -> str:
        """The shortest familiar name of a source (its short upper-case alias rather than its full name)."""
        source = self.facts.get(key)
        if isinstance(source, Source):
            short = [a for a in source.aliases if a.isupper() and len(a) <= 8]
            return short[0] if short else source.name
        return key

    def place(self, key: str | None) -> Place | None:
        fact = self.facts.get(key) if key else None
        return fact if isinstance(fact, Place) else None

    def name_of(self, key: str) -> str:
        fact = self.facts.get(key)
        return fact.label() if fact else key

    def latest_revision(self) -> datetime | None:
        return max(self.revised_at.values(), default=None)


def _order_of(item: tuple[str, Fact]) -> tuple[str, int]:
    return fact_order(item[0])


def fact_order(key: str) -> tuple[str, int]:
    """`t2` before `t10`."""
    digits = key[1:]
    return (key[:1], int(digits) if digits.isdigit() else 0)
