"""Tolls in one sentence: each clause's numbers, the group each counts and what happened to them, as one
breakdown (`35 troops and 32 gunmen died, along with four civilians`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefings.facts import Situation

QUALIFIERS = {
    "at least": "at least",
    "more than": "more than",
    "over": "more than",
    "about": "about",
    "around": "about",
    "some": "about",
    "roughly": "about",
    "approximately": "about",
    "nearly": "about",
    "almost": "about",
    "up to": "up to",
    "as many as": "up to",
}
AFTER_VERB = re.compile(r"(?:killed|wounded|injured|kidnapped|abducted|displaced|to|of|at)\s*$", re.I)
NUMBER = re.compile(
    r"(?<![\w.-])(?:(?P<q>" + "|".join(sorted(QUALIFIERS, key=len, reverse=True)) + r")\s+)?"
    r"(?P<n>\d{1,3}(?:,\d{3})+|\d+|a\s+1000|dozens|hundreds|thousands|several)(?![\w%-]|\.\d)",
    re.IGNORECASE,
)
VAGUE = {"dozens", "hundreds", "thousands", "several"}
GROUPS = [
    ("security", r"troops|soldiers|security|police\w*|officers|personnel|servicem[ae]n|guards"),
    ("insurgents", r"gunmen|insurgents|militants|rebels|loyalists|attackers|militiam[ae]n|fighters"),
    ("civilians", r"civilians|residents|children|women|villagers|passengers|migrants"),
    ("", r"people|persons|others|victims|bodies|dead|deaths|members|individuals|men|fatalities"),
]
OUTCOMES = [
    ("killed", r"killed|dead|died|deaths?|death toll|toll|lives|perished|fatalities|bodies"),
    ("wounded", r"wounded|injured|injuries|hurt"),
    ("kidnapped", r"kidnapped|abducted|taken hostage|seized"),
    ("missing", r"missing|unaccounted"),
    ("displaced", r"displaced|homeless|fled"),
]
_SIDE = re.compile(r"\b(?:from|of)\s+(?:the\s+)?(?:new\s+)?(?:\w+\s+)?(?:authorities|government|army|forces)\b", re.I)
_CORRECTION = re.compile(r"\b(?:earlier version|previous version|wrongly|incorrectly|erroneously|mistakenly)\b", re.I)


@dataclass
class Figures:
    """What one sentence counts: figures by category, and the qualifier of the first of them."""

    counts: dict[str, int | str] = field(default_factory=dict)
    qualifier: str | None = None


def _outcome(clause: str, situation: Situation) -> str | None:
    for decl in situation.categories:
        if re.search(r"\b" + re.escape(decl.label) + r"\b", clause, re.IGNORECASE):
            return decl.name
    found = [(m.start(), name) for name, words in OUTCOMES if (m := re.search(rf"\b(?:{words})\b", clause, re.I))]
    return min(found)[1] if found else None


def _group(after: str) -> str | None:
    """The group a number counts, from the few words after it; "" for people in general, None for no people."""
    words = " ".join(after.split()[:5])
    found = [(m.start(), name) for name, nouns in GROUPS if (m := re.search(rf"\b(?:{nouns})\b", words, re.I))]
    if not found:
        return None
    specific = [item for item in found if item[1]]
    name = min(specific or found)[1]  # "members of the security forces" are security forces
    if name == "insurgents" and _SIDE.search(" ".join(after.split()[:7])):
        return "security"  # fighters from the authorities
    return name


def _value(raw: str) -> int | str:
    raw = raw.lower()
    if raw in VAGUE:
        return raw
    return 1000 if raw.startswith("a") else int(raw.replace(",", ""))


def figures(sentence: str, clause_list: list[str], situation: Situation) -> Figures:
    """Every toll figure of a sentence whose words are already digits. A number counts only inside its own
    clause, and only when people or an outcome are next to it (not `24-hour`, not a year)."""
    out = Figures()
    for clause in clause_list:
        if _CORRECTION.search(clause):
            continue  # the figure an article takes back
        outcome = _outcome(clause, situation)
        if outcome is None:
            continue
        numbers = list(NUMBER.finditer(clause))
        for i, match in enumerate(numbers):
            end = numbers[i + 1].start() if i + 1 < len(numbers) else len(clause)
            after, before = clause[match.end() : end], clause[: match.start()]
            group = _group(after)
            next_to_outcome = re.match(r"\s*(?:\w+\s+)?(?:killed|dead|died|wounded|injured|kidnapped|missing)", after)
            after_verb = AFTER_VERB.search(before)
            own = any(after.strip().lower().startswith(d.label.lower()) for d in situation.categories)
            if group is None and not next_to_outcome and not after_verb and not own:
                continue
            value = _value(match.group("n"))
            name = group if outcome == "killed" and group else outcome
            if isinstance(value, str) and name in ("killed", "security", "insurgents", "civilians"):
                continue  # a breakdown or a total needs a number
            if name in out.counts:
                continue
            out.counts[name] = value
            if out.qualifier is None and match.group("q") and isinstance(value, int):
                out.qualifier = QUALIFIERS[match.group("q").lower()]
    return out
