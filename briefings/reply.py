"""Platform-neutral reply documents. Adapters render them; text from people or sources is marked
untrusted so every renderer can escape it."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    answered = "answered"
    invalid = "invalid"
    """The request could not be understood or failed validation; nothing changed."""
    refused = "refused"
    """The caller may not do this; nothing changed."""


@dataclass(frozen=True)
class Span:
    text: str
    strong: bool = False
    untrusted: bool = False
    """Came from a moderator or a source: shown literally, never as markup or a mention."""


@dataclass(frozen=True)
class Line:
    spans: tuple[Span, ...]
    level: int = 0
    """0 for a bullet, 1 for a detail under the bullet above."""

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    def indented(self) -> Line:
        return Line(self.spans, 1)


@dataclass(frozen=True)
class Action:
    """A button under a section: `command` is the text it stands for, run as whoever clicks (or types it)."""

    label: str
    command: str
    style: str = ""
    """"primary", "danger" or "" (platforms that colour buttons use it)."""


@dataclass
class Section:
    heading: str | None
    """Headings (like titles) may hold names people typed: renderers always treat them as untrusted."""
    lines: list[Line] = field(default_factory=list)
    actions: tuple[Action, ...] = ()
    """What can be done about this section (a review card's Accept, Edit, Reject); text shows the commands."""


@dataclass(frozen=True)
class Image:
    """A picture that goes with a reply (a chart): PNG bytes, alt text for people who cannot see it, a file name."""

    png: bytes
    alt: str
    filename: str = "chart.png"


@dataclass
class Reply:
    title: str
    """May hold names people typed: renderers always treat the title as untrusted text."""
    sections: list[Section] = field(default_factory=list)
    footer: Line | None = None
    outcome: Outcome = Outcome.answered
    at_fault: str | None = None
    """For invalid input: the option at fault (`killed`, `source`), so forms can show the error beside it."""
    image: Image | None = None
    """A chart to show with the text; every renderer also says in words what it shows."""
    written: tuple[str, ...] = ()
    """The ids of the facts the command wrote (for a request seen again: "already recorded: t12")."""
    renderings: dict[Hashable, Any] = field(default_factory=dict, compare=False, repr=False)
    """What renderers made of this reply, kept for the next time the same answer is given (a reply is not
    changed once made: the core gives the same one again until the situation changes)."""

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.answered


Part = str | Span


def untrusted(text: str, strong: bool = False) -> Span:
    """Untrusted text: a name, quote or note that a person or a source wrote."""
    return Span(text, strong=strong, untrusted=True)


def strong(text: str) -> Span:
    """The bot's own words, emphasised."""
    return Span(text, strong=True)


def line(*parts: Part, level: int = 0) -> Line:
    """`line("Toll: ", strong("70"), " per ", untrusted(source_name))`: plain strings are the bot's own words."""
    return Line(tuple(part if isinstance(part, Span) else Span(part) for part in parts if part != ""), level)


def problem(title: str, *details: str | Line, outcome: Outcome = Outcome.invalid) -> Reply:
    """A refusal or an error in plain words."""
    lines = [d if isinstance(d, Line) else line(d) for d in details]
    return Reply(title, [Section(None, lines)] if lines else [], outcome=outcome)
