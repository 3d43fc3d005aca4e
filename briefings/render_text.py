"""Plain-text rendering of replies (console, `briefing ask`, and platforms' fallback text)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from briefings.reply import Line, Reply

BULLETS = ("• ", "  – ")
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def render_line(line: Line) -> str:
    return BULLETS[min(line.level, 1)] + line.text


def render(reply: Reply) -> str:
    """Text is shown as typed: plain text has no markup that untrusted text could abuse."""
    out = [reply.title]
    for section in reply.sections:
        out.append("")
        if section.heading:
            out.append(section.heading)
        out += [render_line(line) for line in section.lines]
    if reply.image:
        out += ["", f"[Image {reply.image.filename}: {reply.image.alt}]"]
    if reply.footer:
        out += ["", reply.footer.text]
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
