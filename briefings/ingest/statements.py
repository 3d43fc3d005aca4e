"""What people said (quotes and stated positions, as reactions), measures taken, and dated events."""

from __future__ import annotations

import re

from briefings.facts import Situation
from briefings.vocabulary import measure_kinds

QUOTE = re.compile(r"[“\"](?P<q>[^”\"]{3,400})[”\"]")
STANCES = [
    ("condemns", r"condemn\w*|denounc\w*"),
    ("warns", r"warn\w*"),
    ("calls-for", r"call(?:s|ed)?\s+(?:on|for)|urg\w*|appeal\w*"),
    ("accuses", r"accus\w*|blam\w*|(?<!been )described (?:the \w+ )?as"),
    ("denies", r"den(?:y|ied|ies)|reject\w*"),
    ("supports", r"support(?:s|ed)\b|welcom\w*|backed\b"),
]
MEASURES = [
    ("curfew", r"curfew"),
    ("state-of-emergency", r"state of emergency|emergency rule"),
    ("reinforcement", r"reinforcements?|deploy\w*"),
    ("evacuation-order", r"evacuat\w*"),
    ("border-closure", r"(?:closed|shut|closure of)\s+(?:\w+\s+){0,3}border|border\s+(?:\w+\s+)?(?:closed|closure)"),
    ("school-closure", r"schools?\s+(?:\w+\s+){0,2}(?:closed|shut)|clos\w+\s+(?:\w+\s+){0,2}schools"),
    ("communications-shutdown", r"internet|communications?\s+(?:\w+\s+)?(?:cut|shut)"),
    ("ceasefire", r"ceasefire|truce"),
    ("lockdown", r"lockdown"),
]
_MEASURE_VERB = re.compile(
    r"\b(?:ordered|imposed|declared|announced|deployed|sent|closed|shut|issued|extended|lifted|launched|embarked|undertaken|undertook)\b",
    re.I,
)
_EVENT_VERB = re.compile(
    r"\b(?:broke out|erupted|struck|hit|began|started|attacked|ambushed|fought|clashed|seized|captured|"
    r"collapsed|burst|flooded|swept|continued|continuing|took place|taking place|were fighting|witnessed)\b",
    re.I,
)


def quotes(sentence: str) -> list[str]:
    """The quoted words of a sentence, in order."""
    return [m.group("q").strip() for m in QUOTE.finditer(sentence)]


def stance(sentence: str) -> str | None:
    """The position a sentence reports someone taking, or None when it reports none."""
    found = [(m.start(), name) for name, words in STANCES if (m := re.search(rf"\b(?:{words})", sentence, re.I))]
    return min(found)[1] if found else None


def measure_kind(clause: str, situation: Situation) -> str | None:
    """The kind of measure a clause reports taking (a curfew ordered, troops deployed), or None."""
    known = measure_kinds(situation)
    for kind, label in known.items():
        named = kind not in dict(MEASURES) and kind != "other" and re.search(rf"\b{re.escape(label)}\b", clause, re.I)
        if named and _MEASURE_VERB.search(clause):
            return kind
    for kind, words in MEASURES:
        if kind in known and re.search(rf"\b(?:{words})", clause, re.I) and _MEASURE_VERB.search(clause):
            return kind
    return None


def is_event(sentence: str) -> bool:
    """Whether a sentence tells something that happened (fighting broke out, the dam burst)."""
    return bool(_EVENT_VERB.search(sentence))


def ongoing(text: str) -> bool:
    """Whether a sentence tells of something going on as it is written (`clashes are taking place`)."""
    return bool(re.search(r"\b(?:is|are)\s+(?:still\s+)?\w+ing\b", text, re.IGNORECASE))


def short(text: str, limit: int = 400) -> str:
    """Text cut to a fact's length on a word boundary, one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + "…"
