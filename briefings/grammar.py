"""Agreement with names people gave: "the authorities assert", "the council asserts"."""

from __future__ import annotations

import re

from briefings.facts import Actor, ActorKind

ALWAYS_ONE = frozenset({ActorKind.person, ActorKind.official, ActorKind.state})
"""Kinds of actor that are one, whatever the name looks like (a state named in the plural takes "asserts")."""
PLURAL_HEADS = frozenset({"people", "police", "men", "women", "militia", "clergy", "staff"})
PLURAL_LOOKING = frozenset({"news", "nations", "states", "emirates", "series", "headquarters"})
"""Heads that end in -s but name one body ("United Nations asserts")."""
QUALIFIER = re.compile(r"\s+(?:of|in|for|from|on|at|without|with)\s+", re.IGNORECASE)


def head_noun(name: str) -> str:
    """The word a name hangs on: its last word before "of", "in", "for" … (`Council of Elders` -> `Council`)."""
    words = QUALIFIER.split(name.strip(), maxsplit=1)[0].split()
    return words[-1].lower().strip(".,;:!?\"'()") if words else ""


def is_plural(actor: Actor) -> bool:
    """True for collective names that take a plural verb: "authorities", "gunmen", "leaders", "forces"."""
    if actor.type in ALWAYS_ONE:
        return False
    head = head_noun(actor.name)
    if head in PLURAL_HEADS or head.endswith("men"):
        return True
    if head in PLURAL_LOOKING or head.endswith(("ss", "us", "is", "ics", "'s")):
        return False
    return head.endswith("s")


def verb(actor: Actor | None, singular: str, plural: str) -> str:
    return plural if actor is not None and is_plural(actor) else singular
