"""What the index reads of each fact: its own words, the names and aliases of what it refers to, and its kind."""

from __future__ import annotations

from collections.abc import Iterable

from briefings.facts import Actor, Claim, Event, Fact, Measure, Place, Reaction, Source, Toll
from briefings.snapshot import Snapshot

KIND_WORDS = {
    "toll": "toll killed casualties figure",
    "event": "event happened",
    "reaction": "reaction statement said",
    "measure": "measure",
    "claim": "claim",
    "place": "place",
    "actor": "actor who",
    "source": "source",
}


def _named(snapshot: Snapshot, key: str | None) -> list[str]:
    fact = snapshot.facts.get(key) if key else None
    if isinstance(fact, Place | Actor | Source):
        return [fact.name, *fact.aliases]
    return []


def refers_to(fact: Fact) -> list[str]:
    """The ids of the places, actors and sources a fact names (its sources included)."""
    keys: list[str] = list(getattr(fact, "sources", []))
    if isinstance(fact, Toll) and fact.place:
        keys.append(fact.place)
    if isinstance(fact, Event):
        keys += fact.places + fact.actors
    if isinstance(fact, Measure):
        keys += fact.places + ([fact.by] if fact.by else [])
    if isinstance(fact, Reaction | Claim) and fact.actor:
        keys.append(fact.actor)
    if isinstance(fact, Place) and fact.parent:
        keys.append(fact.parent)
    return keys


def own_text(fact: Fact) -> list[str]:
    """The fact's own words."""
    parts: list[str | None] = [fact.note, KIND_WORDS.get(fact.kind, fact.kind)]
    if isinstance(fact, Place | Actor | Source):
        parts += [fact.name, *fact.aliases, str(fact.type)]
    if isinstance(fact, Actor | Source):
        parts.append(fact.description)
    if isinstance(fact, Place):
        parts += [fact.province, fact.district, fact.country]
    if isinstance(fact, Event | Measure | Claim):
        parts.append(fact.text)
    if isinstance(fact, Measure):
        parts.append(str(fact.type))
    if isinstance(fact, Reaction):
        parts += [fact.summary, fact.quote, str(fact.stance)]
    if isinstance(fact, Claim):
        parts += [fact.quote, fact.topic]
    if isinstance(fact, Toll):
        parts += [fact.label(), *fact.given()]
    return [p for p in parts if p]


def text_of(snapshot: Snapshot, fact: Fact) -> str:
    """Everything the index reads of one fact, as one text."""
    keys = [k for k in refers_to(fact) if k not in getattr(fact, "sources", ())]  # what it is about, not who said it
    named: Iterable[str] = (name for key in keys for name in _named(snapshot, key))
    return " ".join([*own_text(fact), *named])
