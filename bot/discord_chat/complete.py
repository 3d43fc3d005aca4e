"""Autocomplete choices for names (places, actors, sources): exact, alias, prefix and close spellings."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from discord import app_commands

from briefings.names import NameIndex, normalize

MAX_CHOICES = 25
NAME_LIMIT = 100


def matches(index: NameIndex, entries: Iterable[tuple[str, str, Sequence[str]]], current: str) -> list[str]:
    """Display names that fit what is typed so far, best first; every name when nothing is typed.
    `entries` are (key, name, aliases), as the index was built from."""
    entries = list(entries)
    wanted = normalize(current)
    if not wanted:
        return [name for _, name, _ in entries][:MAX_CHOICES]
    keys: list[str] = []
    found = index.find(current)
    if found:
        keys.append(found)
    for key, name, aliases in entries:
        spellings = [normalize(spelling) for spelling in (name, *aliases)]
        if any(s.startswith(wanted) or f" {wanted}" in f" {s}" for s in spellings):
            keys.append(key)
    names = [index.name(key) for key in keys]
    names += index.suggest(current, limit=MAX_CHOICES)
    return list(dict.fromkeys(names))[:MAX_CHOICES]


def choices(names: Iterable[str]) -> list[app_commands.Choice[str]]:
    return [app_commands.Choice(name=name[:NAME_LIMIT], value=name[:NAME_LIMIT]) for name in names][:MAX_CHOICES]
