"""Reading a question before it is answered: keyword typos fixed, `who is X`, names it cannot place, and a
search of everything recorded for what no command answers. Every answer says how the question was read."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from briefings.answers.common import unknown_name
from briefings.categories import leading
from briefings.commands import questions
from briefings.commands.parse import Request
from briefings.names import normalize
from briefings.reply import Reply, Section, line, untrusted
from briefings.search import answer, whois
from briefings.search.index import index_of
from briefings.search.terms import STOP, term, word_set
from briefings.snapshot import Snapshot

TYPO = 80.0
_AFTER_PLACE = word_set("in at near around inside outside")
_NOT_PLACES = word_set(
    "place total all general particular response fact detail details recent past last whole area areas city "
    "cities region town towns village villages country province provinces clashes fighting violence"
)
_SAID = re.compile(r"\b(?:did|does|do|has|have|had)\s+(?:the\s+)?([a-z0-9 ]+?)\s+(?:say|said|react|respond|comment)")
_DAYS = word_set("monday tuesday wednesday thursday friday saturday sunday today yesterday tonight")


@dataclass
class Understood:
    """A command to run (`request`), or an answer already made (`reply`)."""

    request: Request | None = None
    reply: Reply | None = None
    text: str = ""
    """The question as read (keyword typos fixed)."""


def fix_typos(text: str, snapshot: Snapshot) -> str:
    """Keywords typed a little wrong (`sitaution`, `casualites`) read as meant; names and known words kept."""
    from rapidfuzz import fuzz, process  # loaded only when a word is not known as typed

    index = index_of(snapshot)
    out = []
    for word in normalize(text.replace("’", "'")).split():
        known = (
            word in questions.KEYWORDS
            or word in STOP
            or term(word) in index.postings
            or any(ix.exact(word) for ix in (snapshot.places, snapshot.actors, snapshot.sources))
        )
        if not known and len(word) >= 5 and not word.isdigit():
            best = process.extractOne(word, list(questions.KEYWORDS), scorer=fuzz.ratio, score_cutoff=TYPO)
            word = best[0] if best else word
        out.append(word)
    return " ".join(out)


def understand(text: str, snapshot: Snapshot, now: datetime | None = None) -> Understood:
    """How to answer a question in plain words (never None: an unclear question gets `not_understood`)."""
    fixed = fix_typos(text, snapshot)
    asked = whois.subject(fixed)
    if asked and asked not in questions.KEYWORDS:
        keys = whois.entities(snapshot, asked, close=fixed.startswith("who") and len(asked.split()) <= 3)
        if keys:
            return Understood(reply=whois.answer(snapshot, asked, keys), text=fixed)
    request = questions.interpret(fixed, snapshot, now)
    unplaced = _unplaced(fixed, snapshot, request, text)
    if unplaced is not None:
        return Understood(reply=unplaced, text=fixed)
    if request is not None:
        return Understood(request=request, text=fixed)
    yes_no = bool(fixed.split()) and fixed.split()[0] in questions.AUXILIARIES | {"any", "anyone", "anybody"}
    found = answer.search(snapshot, fixed, yes_no=yes_no)
    if found is None and asked and fixed.startswith("who") and len(asked.split()) <= 3:
        name = _as_typed(asked, text)  # "who is Atlantis?": nobody of that name is recorded
        return Understood(reply=_unknown("actor", name, f"who is {name}", snapshot), text=fixed)
    return Understood(reply=found or questions.not_understood(text, snapshot), text=fixed)


def _as_typed(name: str, typed: str) -> str:
    """`homs` as the question spelled it (`Homs`)."""
    pattern = r"\W+".join(re.escape(w) for w in name.split())
    found = re.search(pattern, typed, re.IGNORECASE)
    return found.group(0) if found else name


def _unplaced(text: str, snapshot: Snapshot, request: Request | None, typed: str) -> Reply | None:
    """`I don't know a place called “Atlantis”` when the question names one the situation does not have."""
    words = text.split()
    unplaced = None if request is None else _without_place(request, snapshot)
    if request is None or unplaced is not None:
        for i, word in enumerate(words[:-1]):
            name = _name_after(words[i + 1 :], snapshot) if word in _AFTER_PLACE else None
            if name:
                name = _as_typed(name, typed)
                asked = f"a question about {name}"
                if request is not None and unplaced is not None:
                    asked = " ".join([f"/{request.name}", *unplaced, name])
                return _unknown("place", name, asked, snapshot)
    said = _SAID.search(text)
    if said and (request is None or (request.name == "reactions" and not request.words)):
        name = _as_typed(said.group(1).strip(), typed)
        if name and not any(ix.matching(name) for ix in (snapshot.actors, snapshot.sources)):
            return _unknown("actor", name, f"/reactions {name}", snapshot)
    return None


def _without_place(request: Request, snapshot: Snapshot) -> list[str] | None:
    """The command's words when it names no place (`chart`, a toll category: `[]`, `["wounded"]`), else None."""
    words = list(request.words)
    if words[:1] == ["chart"]:
        words = words[1:]
    asked = leading(snapshot.situation, " ".join(words)) if request.name == "toll" and words else None
    if asked is not None and not asked[2]:
        return [*request.words[: len(request.words) - len(words)], asked[1]]
    return None if words else list(request.words)


def _name_after(rest: list[str], snapshot: Snapshot) -> str | None:
    """The words after `in`: a name the situation does not know, or None (a known name, a day, a plain word).
    An actor that is no place (`in X`, where X only reacted) is not a place here: its name is given."""
    rest = rest[1:] if rest and rest[0] == "the" else rest
    taken = []
    for word in rest[:3]:
        if word in STOP or word in questions.KEYWORDS or word in _DAYS or word.isdigit():
            break
        taken.append(word)
    if not taken or taken[0] in _NOT_PLACES or len(taken[0]) < 3:
        return None
    name = " ".join(taken)
    for size in range(len(taken), 0, -1):
        gram = " ".join(taken[:size])
        if snapshot.places.find(gram):
            return None
        if snapshot.actors.exact(gram):
            return gram
        if snapshot.actors.find(gram) or snapshot.sources.find(gram):
            return None
    return name


def _unknown(what: str, name: str, reading: str, snapshot: Snapshot) -> Reply:
    index = snapshot.places if what == "place" else snapshot.actors
    reply = unknown_name(what, name, index.suggest(name), index.names())
    note = line(
        "Read as ",
        untrusted(reading, strong=True),
        " — ",
        untrusted(f"“{name}”"),
        f" is not a{'n' if what[0] in 'aeiou' else ''} {what} I know here.",
    )
    actor = snapshot.actors.exact(name) if what == "place" else None
    if actor is not None:  # `in X`, where X is an actor that only reacted
        other = snapshot.actors.name(actor)
        note = line(*note.spans, " It is an actor here: ", untrusted(f"/reactions {other}", strong=True), ".")
    return replace(reply, sections=[Section(None, [note]), *reply.sections])
