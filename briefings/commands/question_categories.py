"""The toll category a question in plain words asks about: "how many civilians were killed" is `/toll civilians`."""

from __future__ import annotations

from briefings.answers.figures import has_figures
from briefings.categories import category, spellings
from briefings.snapshot import Snapshot

CATEGORY_WORDS = {"civilian": "civilians", "injuries": "injured", "abducted": "kidnapped"}
"""Words a question may name a known category by, beside its name, label and short word."""
SAME_THING = {"injured": "wounded", "wounded": "injured"}
"""Categories people call by each other's name: a question naming one that no source gives is read as the other
when that one has figures (the answer's "Read as" line says so)."""


def asked_category(phrases: list[str], snapshot: Snapshot) -> str | None:
    """The toll category the question's unused phrases name, other than killed (a toll question's own):
    `civilians`, `displaced`, a situation's own (`schools damaged`). Of several, one that is no part of killed
    ("security forces kidnapped": kidnapped)."""
    situation = snapshot.situation
    own = spellings(situation)
    known = {**{w: n for w, n in CATEGORY_WORDS.items() if n in own.values()}, **own}
    named: list[str] = []
    for phrase in phrases:
        name = known.get(phrase) or (known.get(phrase[:-1]) if phrase.endswith("s") and len(phrase) > 4 else None)
        if name and name != "killed" and name not in named:
            named.append(name)
    whole = [n for n in named if category(situation, n).part_of is None]
    return _given(snapshot, next(iter(whole or named), None))


def _given(snapshot: Snapshot, name: str | None) -> str | None:
    """`name`, or the category people mean by it (SAME_THING) when only that one has figures."""
    other = SAME_THING.get(name or "")
    if name and other and not has_figures(snapshot, None, name) and has_figures(snapshot, None, other):
        return other
    return name
