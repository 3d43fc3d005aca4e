"""Questions in plain words -> the command that answers them, deterministically and offline.

`interpret("how many were killed in Springfeld?", snapshot)` is `/toll Springfield`, "how many displaced in
Springfeld?" `/toll displaced Springfield`. Places and actors are found by any spelling the situation knows (and
close misspellings), days by the timeline's own reader, "since" by /whatchanged's. When the words do not say
clearly enough, `not_understood` says so and suggests commands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from briefings.answers.timeline import DayError, items, parse_day
from briefings.commands.parse import Request
from briefings.commands.question_categories import asked_category
from briefings.examples import filled
from briefings.names import NameIndex, normalize
from briefings.reply import Outcome, Reply, Section, line, untrusted
from briefings.snapshot import Snapshot


def _set(words: str) -> frozenset[str]:
    return frozenset(words.split())


QUESTION_WORDS = _set(
    "how what whats who whos when where which why did does do is are was were has have had any anything "
    "tell show give can could please"
)
AUXILIARIES = _set("is are was were did do does has have had can could")
STOP = _set(
    "a an the of in on at to for from by about since and or is are was were be been has have had did does do "
    "how many much what whats who whom when where which why any anything new there their they it its this "
    "that these those me us we you i my our please tell show give can could would will so far yet now "
    "today yesterday morning evening night last past hours hour days day week killed died dead death deaths "
    "toll say said says people civilians chart graph happen happened happening event events"
)
TOLL_WORDS = _set(
    "killed kill dead died die death deaths toll casualties casualty victims wounded injured fatalities lives "
    "bodies slain massacre massacred"
)
SAY_WORDS = _set(
    "say said says saying react reacted reacting reaction reactions respond responded response statement "
    "statements stance position think thinks condemn condemned comment commented commenting reply replied "
    "warn warned"
)
CHART_WORDS = _set("chart graph plot trend trends")
NEW_WORDS = _set("new changed change changes updates updated developments latest since recently")
WHEN_WORDS = _set("happen happened happening timeline events event chronology occurred")
SOURCE_WORDS = _set("source sources")
BRIEF_WORDS = _set("summary summarise summarize overview brief briefing situation status")
HELP_PHRASES = ("help", "what can you do", "how do i", "how does this work", "commands")
QUESTION_EXAMPLES = ("how many were killed in {place}?", "what did {actor} say?", "what happened on {weekday}?")
"""Questions `not_understood` suggests, in the channel's own situation."""
MAX_GRAM = 5
FUZZY_CUTOFF = 84.0
_MONTHS = _set("jan feb mar apr may jun jul aug sep sept oct nov dec")
_WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@dataclass
class Found:
    """What the words of a question name."""

    words: list[str]
    place: str | None = None
    actor: str | None = None
    day: str | None = None
    since: str | None = None
    used: set[int] = field(default_factory=set)
    typed: dict[str, str] = field(default_factory=dict)
    """The words that named each kind of entry (`actor` -> `ministries`)."""


def looks_like_question(text: str) -> bool:
    """Ends with `?` or starts like a question (`where` only as `where is/did …`: `where PLACE` is a command)."""
    words = normalize(text).split()
    if text.rstrip().endswith("?"):
        return True
    if not words or words[0] not in QUESTION_WORDS:
        return False
    return words[0] != "where" or (len(words) > 1 and words[1] in AUXILIARIES)


def _grams(words: list[str], used: set[int]) -> list[tuple[int, int]]:
    """Spans of up to MAX_GRAM unused words, longest first."""
    spans = []
    for size in range(min(MAX_GRAM, len(words)), 0, -1):
        for start in range(len(words) - size + 1):
            if not used & set(range(start, start + size)):
                spans.append((start, start + size))
    return spans


def _close(index: NameIndex, gram: str) -> str | None:
    """A close spelling of one of the index's names (only for words that are not everyday English)."""
    if len(gram) < 5 or all(word in STOP for word in gram.split()):
        return None
    spellings = index.spellings()
    from rapidfuzz import fuzz, process  # loaded only when a spelling is not exact

    best = process.extractOne(gram, list(spellings), scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
    return spellings[best[0]] if best else None


def _find_name(found: Found, index: NameIndex) -> str | None:
    """The first name of `index` in the unused words: exact spellings first (longest), then close ones."""
    for fuzzy in (False, True):
        for start, end in _grams(found.words, found.used):
            gram = " ".join(found.words[start:end])
            if gram in STOP:
                continue
            key = _close(index, gram) if fuzzy else index.exact(gram)
            if key is None and not fuzzy and gram.endswith("s") and len(gram) > 4:
                key = index.exact(gram[:-1])
            if key is not None:
                found.used |= set(range(start, end))
                found.typed[index.what] = gram
                return key
    return None


def _day_phrases(words: list[str]) -> list[tuple[int, int, str]]:
    """Candidate day phrases: `thursday`, `6 march`, `march 6th`, `2025-03-06`, `yesterday`, `today`."""
    out = []
    for i, word in enumerate(words):
        weekday = len(word) >= 3 and any(d.startswith(word) for d in _WEEKDAYS)
        named = weekday or word in ("yesterday", "today", "tonight")
        # `sat`, `sun` and `mon` are days only where a day is expected ("on sat", "since mon", at the end)
        if named and (word not in ("mon", "sun", "sat") or i == len(words) - 1 or words[i - 1] in ("on", "since")):
            out.append((i, i + 1, word))
        if re.fullmatch(r"\d{4} \d{2} \d{2}", " ".join(words[i : i + 3])):
            out.append((i, i + 3, "-".join(words[i : i + 3])))
        if re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", word):
            if i + 1 < len(words) and words[i + 1][:3] in _MONTHS:
                out.append((i, i + 2, f"{word} {words[i + 1]}"))
            elif i > 0 and words[i - 1][:3] in _MONTHS:
                out.append((i - 1, i + 1, f"{words[i - 1]} {word}"))
    return out


def _latest_day(snapshot: Snapshot) -> date | None:
    """The latest day of the timeline (worked out once per snapshot: questions ask for it often)."""
    return max((f.when.day for _, f in items(snapshot)), default=None)


def _find_day(found: Found, snapshot: Snapshot, now: datetime) -> None:
    """A day (for /timeline) or a starting point (`since ...`, for /whatchanged)."""
    words = found.words
    local = now.astimezone(snapshot.situation.zone).date()
    latest = snapshot.derived("latest_day", _latest_day) or local
    text = " ".join(words)
    hours = re.search(r"\b(?:last|past) (\d+|few|couple of) (hour|hours|day|days)\b", text)
    if hours:
        amount = {"few": "3", "couple of": "2"}.get(hours.group(1), hours.group(1))
        found.since = f"{amount}{hours.group(2)[0]}"
    elif re.search(r"\bthis morning\b|\bsince this\b", text):
        found.since = "today"
    elif re.search(r"\blast night\b", text):
        found.since = "yesterday"
    for start, end, phrase in _day_phrases(words):
        if phrase in ("yesterday", "today", "tonight"):
            day = local - timedelta(days=1 if phrase == "yesterday" else 0)
        else:
            try:
                day = parse_day(phrase, latest)
            except DayError:
                continue
        since = start > 0 and words[start - 1] == "since"
        if since and found.since is None:
            found.since = phrase if phrase in ("yesterday", "today") else day.isoformat()
        elif found.day is None:
            found.day = day.isoformat()
        found.used |= set(range(start, end))


def _toll(place_name: str | None, category_name: str | None) -> Request:
    """`/toll [category] [place]`."""
    return Request("toll", [w for w in (category_name, place_name) if w])


def _has(words: set[str], vocabulary: frozenset[str]) -> bool:
    return bool(words & vocabulary)


def interpret(text: str, snapshot: Snapshot, now: datetime | None = None) -> Request | None:
    """The command that answers a question in plain words, or None when the words do not say clearly."""
    flat = normalize(text.replace("’", "'"))
    if not flat:
        return None
    if any(flat == phrase or flat.startswith(phrase + " ") for phrase in HELP_PHRASES):
        return Request("help")
    found = Found(flat.split())
    _find_day(found, snapshot, now or datetime.now(snapshot.situation.zone))
    words = set(found.words)
    place = _find_name(found, snapshot.places)
    actor = _find_name(found, snapshot.actors)
    place_name = snapshot.places.name(place) if place else None
    actor_name = snapshot.actors.name(actor) if actor else None
    asked = asked_category([" ".join(found.words[a:b]) for a, b in _grams(found.words, found.used)], snapshot)
    if actor and len(snapshot.actors.matching(found.typed["actor"], close=False)) > 1:
        actor_name = found.typed["actor"]  # the words fit several actors: /reactions shows them all and says so
    if _has(words, CHART_WORDS) or "over time" in flat:
        return Request("toll", ["chart", *([place_name] if place_name else [])])
    new = bool(words & (NEW_WORDS - {"since"})) or found.since is not None  # "since Assad fell" is not a time
    if new and found.since is None and words & {"latest", "updated"} and _has(words, TOLL_WORDS):
        return _toll(place_name, asked)  # "the latest death toll"
    if new and place_name:  # what is new about one place: that place
        return (
            _toll(place_name, asked)
            if _has(words, TOLL_WORDS) or "how many" in flat
            else Request("where", [place_name])
        )
    if new:
        return Request("whatchanged", options={"since": found.since} if found.since else {})
    if _has(words, SAY_WORDS):
        return Request("reactions", [actor_name] if actor_name else [])
    if _has(words, TOLL_WORDS) or "how many" in flat:
        return _toll(place_name, asked)
    if _has(words, SOURCE_WORDS) or "come from" in flat or "who reports" in flat:
        return Request("sources")
    if found.day:
        return Request("timeline", [found.day])
    if "where" in words and not place_name:
        return Request("where")
    about = _has(words, WHEN_WORDS) or bool(words & {"where", "about", "news"}) or "going on" in flat
    if place_name and (about or len(found.words) <= 3):
        return Request("where", [place_name])
    if _has(words, WHEN_WORDS) or "when" in words:
        return Request("timeline")
    if actor_name and not topic_left(found):  # "what about X?", not "who kidnapped X?"
        return Request("reactions", [actor_name])
    if _has(words, BRIEF_WORDS) or "going on" in flat or "what is happening" in flat or "up to date" in flat:
        return Request("brief")
    return None


KEYWORDS = QUESTION_WORDS | TOLL_WORDS | SAY_WORDS | CHART_WORDS | NEW_WORDS | WHEN_WORDS | SOURCE_WORDS | BRIEF_WORDS


def topic_left(found: Found) -> list[str]:
    """Words of the question no name, day or keyword accounts for: what it is about, beyond the name."""
    return [w for i, w in enumerate(found.words) if i not in found.used and w not in STOP and w not in KEYWORDS]


def reading(request: Request) -> str:
    """The command as one would type it: `/toll PLACE`, `/whatchanged since=yesterday`."""
    parts = [f"/{request.name}", *request.words, *(f"{k}={v}" for k, v in request.options.items())]
    return " ".join(parts)


def not_understood(text: str, snapshot: Snapshot) -> Reply:
    """'I can't tell' with the commands that might help, using any place or actor the words name."""
    found = Found(normalize(text).split())
    place = _find_name(found, snapshot.places)
    actor = _find_name(found, snapshot.actors)
    suggestions = []
    if place:
        name = snapshot.places.name(place)
        suggestions += [f"/toll {name}", f"/where {name}"]
    if actor:
        suggestions.append(f"/reactions {snapshot.actors.name(actor)}")
    suggestions += ["/brief", "/toll", "/reactions", "/timeline", "/whatchanged", "/help"]
    lines = [
        line(
            "I can answer questions about the toll, who said what, what happened when, the places, the sources "
            "and what changed — but I couldn't tell which one you mean."
        ),
        line("Try one of: ", *[part for s in dict.fromkeys(suggestions) for part in (untrusted(s, strong=True), " ")]),
    ]
    examples = filled(QUESTION_EXAMPLES, snapshot)
    if examples:
        lines.append(line("For example: ", untrusted(", ".join(f"“{e}”" for e in examples))))
    return Reply("I couldn't tell what you are asking.", [Section(None, lines)], outcome=Outcome.invalid)
