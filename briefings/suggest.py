"""Suggestions while someone types an option: names of places, actors and sources (exact, alias, prefix and close
spellings), situation slugs and command names, best first."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum

from briefings.categories import categories
from briefings.commands.table import COMMANDS
from briefings.facts import Actor, Place, Source, Toll
from briefings.names import NameIndex, normalize
from briefings.snapshot import Snapshot

SHOWN = 25
"""At most this many suggestions (Discord shows no more)."""


class Suggesting(StrEnum):
    """What an option names, so what to suggest for it."""

    place = "place"
    actor = "actor"
    source = "source"
    situation = "situation"
    command = "command"
    category = "category"


NAMED = (Suggesting.place, Suggesting.actor, Suggesting.source)
"""The kinds of suggestion that are names of facts in the situation."""


def matches(index: NameIndex, entries: Iterable[tuple[str, str, Sequence[str]]], typed: str) -> list[str]:
    """Display names that fit what is typed so far, best first; every name when nothing is typed.
    `entries` are (key, name, aliases), as the index was built from."""
    entries = list(entries)
    wanted = normalize(typed)
    if not wanted:
        return [name for _, name, _ in entries][:SHOWN]
    keys: list[str] = []
    found = index.find(typed)
    if found:
        keys.append(found)
    for key, name, aliases in entries:
        spellings = [normalize(spelling) for spelling in (name, *aliases)]
        if any(s.startswith(wanted) or f" {wanted}" in f" {s}" for s in spellings):
            keys.append(key)
    names = [index.name(key) for key in keys]
    names += index.suggest(typed, limit=SHOWN)
    return list(dict.fromkeys(names))[:SHOWN]


def names(snapshot: Snapshot, kind: Suggesting, typed: str) -> list[str]:
    """Names of places, actors or sources in `snapshot` that fit `typed`; for a toll category, those its
    claims give figures for (as one types them)."""
    if kind is Suggesting.category:
        given = {name for _, toll in snapshot.all(Toll) for name in toll.given()}
        shorts = [c.short for c in categories(snapshot.situation).values() if c.name in given]
        wanted = normalize(typed)
        return [s for s in shorts if normalize(s).startswith(wanted) or f" {wanted}" in f" {normalize(s)}"][:SHOWN]
    named: list[tuple[str, Place | Actor | Source]]
    if kind is Suggesting.place:
        index, named = snapshot.places, [*snapshot.all(Place)]
    elif kind is Suggesting.actor:
        index, named = snapshot.actors, [*snapshot.all(Actor)]
    else:
        index, named = snapshot.sources, [*snapshot.all(Source)]
    return matches(index, ((key, fact.name, fact.aliases) for key, fact in named), typed)


def slugs(known: Iterable[str], typed: str) -> list[str]:
    """Situation slugs containing `typed`."""
    return [slug for slug in known if typed.lower() in slug][:SHOWN]


def commands(typed: str) -> list[str]:
    """Command names starting with `typed` (a leading `/` allowed); every command when none does."""
    wanted = typed.lstrip("/").lower()
    return ([name for name in COMMANDS if name.startswith(wanted)] or list(COMMANDS))[:SHOWN]
