"""Plain-text rendering of replies (console, `briefing ask`, and platforms' fallback text)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from briefings.reply import Line, Reply, Span
from briefings.untrusted import one_line

BULLETS = ("• ", "  – ")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def plain_span(span: Span) -> str:
    """Untrusted text on one line, without control or direction characters; the bot's own words as they are."""
    return one_line(span.text) if span.untrusted else span.text


def render_line(line: Line, span: Callable[[Span], str] = plain_span) -> str:
    return BULLETS[min(line.level, 1)] + "".join(span(part) for part in line.spans)


def render(reply: Reply, span: Callable[[Span], str] = plain_span, loose: Callable[[str], str] = one_line) -> str:
    """Text shown as typed, except that untrusted text (spans, and the title, headings and image text `loose`
    shows) cannot start a line or reorder what follows. Platforms pass their own escaping."""
    out = [loose(reply.title)]
    for section in reply.sections:
        out.append("")
        if section.heading:
            out.append(loose(section.heading))
        out += [render_line(line, span) for line in section.lines]
        if section.actions:
            out.append(BULLETS[1] + " · ".join(f"{a.label}: {a.command}" for a in section.actions))
    if reply.image:
        out += ["", f"[Image {loose(reply.image.filename)}: {loose(reply.image.alt)}]"]
    if reply.footer:
        out += ["", "".join(span(part) for part in reply.footer.spans)]
    return "\n".join(out)


def join_within(parts: Iterable[str], sep: str, limit: int) -> list[str]:
    """Greedily joins `parts` with `sep` into chunks of at most `limit` characters (each part must fit)."""
    chunks: list[str] = []
    current = ""
    for part in parts:
        joined = f"{current}{sep}{part}" if current else part
        if len(joined) <= limit:
            current = joined
        else:
            if current:
                chunks.append(current)
            current = part
    if current:
        chunks.append(current)
    return chunks


def split_long(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters: a line that fits stays whole; a longer one is cut at sentence
    ends, then (only for a single giant sentence) at spaces, and only a word longer than `limit` is cut."""
    if len(text) <= limit:
        return [text]
    parts = [part for sentence in _SENTENCE_END.split(text) for part in _words_within(sentence, limit)]
    return join_within(parts, " ", limit)


def _words_within(sentence: str, limit: int) -> list[str]:
    if len(sentence) <= limit:
        return [sentence]
    words = [w[i : i + limit] for w in sentence.split(" ") for i in range(0, max(len(w), 1), limit)]
    return join_within(words, " ", limit)
