"""Places an article names that the situation does not know, each proposed on its own as `/add place` from the
sentence that names it: "in the village of Ain Shams, near Northport" proposes Ain Shams, a village within Northport.
Only sentences that state a fact are looked at, and only names after a word that places something ("in", "near")."""

from __future__ import annotations

import re

from briefings.ingest.model import Proposal
from briefings.ingest.text import found_names
from briefings.snapshot import Snapshot

_NAMED_PLACE = re.compile(
    r"\b(?:in|at|near|around|outside|into|to|from)\s+"
    r"(?:the\s+(city|town|village|district|province|area)\s+of\s+)?"
    r"([A-Z][\w'’-]+(?:\s+(?:al-|el-)?[A-Z][\w'’-]+){0,2})"
)
_CLAUSE_END = re.compile(r"\band\b|\bbut\b|\bwhile\b|[;.]")
"""Where what follows a new place stops saying where it lies ("in Ain Tineh, near Northport, on Friday")."""
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october")
_WORDS = ("november", "december", "the", "a", "an", "this", "that", "his", "her", "their", "its", "our", "we", "they")
NOT_PLACES = frozenset((*_DAYS, *_MONTHS, *_WORDS, "he", "she", "it", "i"))
"""Capitalised words after "in" or "on" that never name a place (days, months, a sentence's pronouns)."""


def new_places(found: list[Proposal], snapshot: Snapshot) -> list[Proposal]:
    """A place proposal for each name the evidence of `found` places something in and the situation does not
    know (as a place, actor or source, any spelling); its parent is the one known place named right after it in
    the same clause."""
    out: list[Proposal] = []
    seen: set[str] = set()
    for proposal in found:
        for match in _NAMED_PLACE.finditer(proposal.evidence):
            kind, name = match.group(1), match.group(2).rstrip("'’")
            if name.split()[0].lower() in NOT_PLACES or name.lower() in seen or _known(name, snapshot):
                continue
            seen.add(name.lower())
            near = found_names(snapshot.places, _CLAUSE_END.split(proposal.evidence[match.end() : match.end() + 60])[0])
            fields = {"name": name, "kind": kind, "parent": near[0] if len(near) == 1 else None}
            out.append(Proposal("place", fields, proposal.evidence, proposal.spans))
    return out


def _known(name: str, snapshot: Snapshot) -> bool:
    return any(index.find(name) for index in (snapshot.places, snapshot.actors, snapshot.sources))
