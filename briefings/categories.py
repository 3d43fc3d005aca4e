"""Toll categories: the known ones with their labels, and those a situation declares in its file."""

from __future__ import annotations

from dataclasses import dataclass

from briefings.facts import Situation


@dataclass(frozen=True)
class Category:
    name: str
    label: str
    """How a figure reads: `1,476 civilians killed`, `120,000 displaced`."""
    short: str
    """In a breakdown of a total: `civilians`."""
    part_of: str | None = None
    """The category whose total this is a part of (`killed` for civilians), if any."""


KNOWN: dict[str, Category] = {
    c.name: c
    for c in (
        Category("killed", "killed", "killed"),
        Category("security", "security forces killed", "security forces", "killed"),
        Category("insurgents", "insurgents killed", "insurgents", "killed"),
        Category("civilians", "civilians killed", "civilians", "killed"),
        Category("unknown", "unidentified killed", "unidentified", "killed"),
        Category("wounded", "wounded", "wounded"),
        Category("injured", "injured", "injured"),
        Category("missing", "missing", "missing"),
        Category("kidnapped", "kidnapped", "kidnapped"),
        Category("detained", "detained", "detained"),
        Category("displaced", "displaced", "displaced"),
        Category("evacuated", "evacuated", "evacuated"),
        Category("rescued", "rescued", "rescued"),
        Category("homeless", "left homeless", "homeless"),
        Category("affected", "affected", "affected"),
        Category("cases", "cases", "cases"),
    )
}


_WORKED_OUT: dict[int, tuple[Situation, dict[str, Category]]] = {}


def categories(situation: Situation) -> dict[str, Category]:
    """The known categories, then the situation's own; a declared known name takes the situation's label."""
    kept = _WORKED_OUT.get(id(situation))
    if kept is not None and kept[0] is situation:
        return kept[1]
    if len(_WORKED_OUT) > 64:
        _WORKED_OUT.clear()
    found = dict(KNOWN)
    for decl in situation.categories:
        known = KNOWN.get(decl.name)
        part_of = decl.part_of or (known.part_of if known else None)
        found[decl.name] = Category(decl.name, decl.label, decl.label.removesuffix(" killed"), part_of)
    _WORKED_OUT[id(situation)] = (situation, found)
    return found


def category(situation: Situation, name: str) -> Category:
    """A category by name; one no file declared (an old record) reads as its name."""
    return categories(situation).get(name) or Category(name, name.replace("_", " "), name.replace("_", " "))


def parts_of(situation: Situation, total: str) -> list[str]:
    """The categories that are parts of `total` (the breakdown of the killed total)."""
    return [c.name for c in categories(situation).values() if c.part_of == total]


def headline_order(situation: Situation) -> list[str]:
    """Which category a headline leads with, in order of preference."""
    order = ["killed", "civilians", *categories(situation)]
    if situation.headline:
        order.insert(0, situation.headline)
    return list(dict.fromkeys(order))


def unknown_categories(situation: Situation, names: list[str]) -> list[str]:
    """Of `names`, those that are neither known nor declared by the situation."""
    known = categories(situation)
    return [name for name in names if name not in known]


def _flat(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split())


def spellings(situation: Situation) -> dict[str, str]:
    """How a category may be named (its name, label or short word, any case) -> its name."""
    found: dict[str, str] = {}
    for c in categories(situation).values():
        for text in (c.label, c.short, c.name):  # the name last: it always names its own category
            found[_flat(text)] = c.name
    return found


def leading(situation: Situation, text: str) -> tuple[str, str, str] | None:
    """When the first words of `text` name a category (`civilians`, `Displaced`, `schools damaged`): its name,
    those words and the rest of the text."""
    known, words = spellings(situation), text.split()
    for size in range(min(len(words), 4), 0, -1):
        name = known.get(_flat(" ".join(words[:size])))
        if name is not None:
            return name, " ".join(words[:size]), " ".join(words[size:])
    return None
