"""Answers from the index: the recorded facts that match a question, never any other text."""

from __future__ import annotations

from briefings.answers.common import footer
from briefings.facts import Actor, Place, Source, Sourced
from briefings.reply import Line, Outcome, Reply, Section, line, strong, untrusted
from briefings.search.index import Hit, index_of
from briefings.search.lines import fact_line
from briefings.search.query import Query, read
from briefings.snapshot import Snapshot

SHOWN = 8
NEAREST = 4


def matching(snapshot: Snapshot, query: Query) -> tuple[list[Hit], list[Hit]]:
    """(facts that contain every known topic word, facts that contain some), reported facts before names."""
    hits = index_of(snapshot).search(query.terms)
    wanted = set(query.terms)
    hits.sort(key=lambda h: not isinstance(snapshot.facts[h.key], Sourced))
    full = [h for h in hits if h.matched >= wanted]
    return full, [h for h in hits if not h.matched >= wanted]


def _quoted(words: list[str]) -> str:
    return ", ".join(f"“{w}”" for w in words)


def _lines(snapshot: Snapshot, hits: list[Hit], shown: int = SHOWN) -> list[Line]:
    lines = [fact_line(snapshot, h.key, snapshot.facts[h.key]) for h in hits[:shown]]
    if len(hits) > shown:
        lines.append(line(f"… and {len(hits) - shown} more; ask with more words or use /history ID."))
    return lines


def search(snapshot: Snapshot, text: str, yes_no: bool = False, skip: frozenset[str] = frozenset()) -> Reply | None:
    """The facts recorded about a question's words, or None when no fact shares a topic word with it.
    A yes/no question gets "Yes — …" or "Nothing recorded about …" (with the nearest facts, named as such)."""
    query = read(text, index_of(snapshot), skip)
    if not query.topic:
        return None
    full, partial = matching(snapshot, query) if query.terms else ([], [])
    reading = line("Read as ", strong("a search of everything recorded"), " for ", untrusted(_quoted(query.topic)), ".")
    corrected = [f"{w} → {t}" for w, t in query.known.items() if not t.startswith(w[:3])]
    sections = [Section(None, [reading])]
    title = f"Recorded about {query.text} — {snapshot.situation.title}"
    if full and not query.unknown:
        heading = f"Yes — {len(full)} recorded" if yes_no else f"{len(full)} recorded"
        sections.append(Section(f"{heading} fact{'s' if len(full) != 1 else ''}", _lines(snapshot, full)))
        used = [snapshot.facts[h.key] for h in full]
        return Reply(("Yes — " if yes_no else "") + title, sections, footer(snapshot, used, _hint(corrected)))
    if not yes_no:
        return None  # not a yes/no question and no fact about all its words: `not_understood` says so
    missing = query.unknown or query.topic
    nothing = "Nothing recorded about " if query.unknown else "No recorded fact is about all of "
    sections.append(Section(None, [line(nothing, untrusted(_quoted(missing)), " in this situation.")]))
    nearest = full or partial
    if nearest:
        sections.append(
            Section("Nearest recorded facts (not an answer to the question)", _lines(snapshot, nearest, NEAREST))
        )
    return Reply(f"Nothing recorded about {' '.join(missing)}", sections, outcome=Outcome.answered)


def _hint(corrected: list[str]) -> str:
    return f"Read {', '.join(corrected)}" if corrected else ""


def named(snapshot: Snapshot, key: str) -> list[Hit]:
    """Facts that name one place, actor or source (by reference or by any of its spellings in their text)."""
    entity = snapshot.facts[key]
    assert isinstance(entity, Place | Actor | Source)
    index = index_of(snapshot)
    out: dict[str, Hit] = {}
    for ref in index.referring(key) if not isinstance(entity, Source) else ():
        if key not in getattr(snapshot.facts[ref], "sources", ()):
            out[ref] = Hit(ref, 0.0, frozenset())  # names it as its subject or place
    for spelling in [entity.name, *entity.aliases]:
        query = read(spelling, index)
        if query.terms and not query.unknown:
            for hit in index.search(query.terms):
                fact = snapshot.facts[hit.key]
                if hit.matched >= set(query.terms) and isinstance(fact, Sourced) and _mentions(fact, key, spelling):
                    out.setdefault(hit.key, hit)
    return list(out.values())


def _mentions(fact: Sourced, key: str, spelling: str) -> bool:
    from briefings.names import normalize
    from briefings.search.documents import own_text

    flat = f" {normalize(' '.join(own_text(fact)))} "
    return f" {normalize(spelling)} " in flat
