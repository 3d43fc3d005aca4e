"""Long answers cut to a few chat messages, saying what was left out and how to see it ("12 more: …").

An adapter renders a reply into messages its platform can carry; `fit` keeps the longest run of whole entries
(a bullet with its details) whose rendering fits in `limit` messages, and ends it with a line that counts the
entries left out, names the sections they are in, and gives the command that asks for one at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from briefings.commands.parse import ParseError, parse
from briefings.commands.table import COMMANDS
from briefings.reply import Line, Reply, Section, Span, line, strong, untrusted

MAX_MESSAGES = 3
"""Messages one answer may take in a chat thread or a private answer."""
NAMED = 5
"""Sections named in the "more" line; past that, "and N others"."""


def entry_count(reply: Reply) -> int:
    """Entries in the reply: top-level lines (a detail line belongs to the entry above it)."""
    return sum(1 for section in reply.sections for number, ln in enumerate(section.lines) if _starts(ln, number))


def _starts(ln: Line, number: int) -> bool:
    return ln.level == 0 or number == 0


def narrower(text: str) -> str | None:
    """The form of the command in `text` that asks for less (`/reactions [actor]`), if it has one."""
    try:
        name = parse(text).name
    except ParseError:
        return None
    found = COMMANDS.get(name)
    if found is None:
        return None
    form = found.usage.split(" · ")[0].split(" | ")[0]
    return form if form.startswith(f"/{found.name} [") else None


def more_line(count: int, names: list[str], text: str) -> Line:
    """`12 more: Town A, Town B and 3 others — ask for one at a time: /toll [place]`."""
    parts: list[str | Span] = [strong(f"{count} more")]
    if names:
        parts.append(": ")
        for number, name in enumerate(names[:NAMED]):
            parts += [", " if number else "", untrusted(name)]
        if len(names) > NAMED:
            parts.append(f" and {len(names) - NAMED} others")
    else:
        parts.append(" not shown")
    hint = narrower(text)
    parts.append(f" — ask for one at a time: {hint}" if hint else " — too long to show here in full")
    return line(*parts)


def head(reply: Reply, keep: int, text: str) -> Reply:
    """The reply's first `keep` entries, then the line saying how many more there are and how to see them."""
    sections: list[Section] = []
    names: list[str] = []
    seen = dropped = 0
    for section in reply.sections:
        kept: list[Line] = []
        left = False
        for number, ln in enumerate(section.lines):
            if _starts(ln, number):
                seen += 1
                if seen > keep:
                    dropped += 1
            if seen <= keep:
                kept.append(ln)
            else:
                left = True
        if kept:
            sections.append(Section(section.heading, kept))
        if left and section.heading:
            names.append(section.heading)
    sections.append(Section(None, [more_line(dropped, names, text)]))
    return replace(reply, sections=sections, renderings={})


def fit(reply: Reply, messages: Callable[[Reply], int], text: str, limit: int = MAX_MESSAGES) -> Reply:
    """`reply` if `messages(reply)` (how many messages it renders to) is within `limit`; else the longest head of
    it that is, ending with "N more: …". `text` is the command asked (for the hint)."""
    if messages(reply) <= limit:
        return reply
    low, high = 0, entry_count(reply) - 1  # `low` entries always fit (an empty head is one message)
    while low < high:
        middle = (low + high + 1) // 2
        if messages(head(reply, middle, text)) <= limit:
            low = middle
        else:
            high = middle - 1
    return head(reply, low, text)
