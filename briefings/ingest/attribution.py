"""Who says so: `according to X`, `X said`, `said X`, `the war monitor said`, resolved to a known source or
actor when the words name one."""

from __future__ import annotations

import re

from briefings.facts import Source, SourceKind
from briefings.ingest.text import found_names
from briefings.snapshot import Snapshot

_SAY = r"(?:said|says|reported|reports|told|added|announced|stated|estimated|confirmed|put|puts)"
_ACCORDING = re.compile(r"\baccording to\s+(?P<who>[^,.;]+)", re.IGNORECASE)
_SAID_AFTER = re.compile(
    r"(?:^|,[”\"]?\s*|\s[–—-]\s)(?P<who>[^,;“”\"]{2,80}?),?\s+" + _SAY + r"\b(?:[^,;]|,\d)*[.!?\"”]*$", re.I
)
_SAID_BEFORE = re.compile(r"^(?P<who>[^,;“”\"]{2,80}?)\s+" + _SAY + r"\s+(?:that|on|in)?\b", re.I)
_SAID_INVERTED = re.compile(r",\s*" + _SAY + r"\s+(?P<who>[^,.;“”\"]{2,60})[.!?\"”]*$", re.I)
_QUOTED_AS = re.compile(r"(?P<who>\b[A-Z][\w-]+(?:\s+[A-Z][\w-]+)*)\s+quoted\b")
DESCRIPTORS = {
    "monitor": SourceKind.war_monitor,
    "observatory": SourceKind.war_monitor,
    "agency": SourceKind.news_agency,
    "foreign ministry": SourceKind.foreign_ministry,
}
PRONOUNS = {"he", "she", "they", "it", "officials", "an official", "a spokesman", "a spokeswoman"}


def speaker_text(sentence: str) -> str | None:
    """The words naming who the sentence is attributed to, or None."""
    for pattern in (_ACCORDING, _QUOTED_AS, _SAID_INVERTED, _SAID_AFTER, _SAID_BEFORE):
        match = pattern.search(sentence)
        if match:
            who = match.group("who").strip().strip("“”\"'")
            return re.sub(r"^(?:the|a|an)\s+", "", who, flags=re.I) if who.lower() not in PRONOUNS else who.lower()
    return None


def resolve_source(snapshot: Snapshot, words: str) -> str | None:
    """The known source the words name: one of its spellings inside them, or a descriptor (`the war monitor`)
    when exactly one source of that kind is known."""
    found = found_names(snapshot.sources, words)
    if found:
        return found[0]
    lower = words.lower()
    for word, kind in DESCRIPTORS.items():
        if re.search(rf"\b{word}s?\b", lower):
            of_kind = [k for k, s in snapshot.all(Source) if s.type is kind]
            if len(of_kind) == 1:
                return of_kind[0]
    return None


def resolve_actor(snapshot: Snapshot, words: str) -> str | None:
    """The known actor the words name (its longest spelling inside them), or None."""
    found = found_names(snapshot.actors, words)
    return found[0] if found else None
