"""Plain-text rendering of replies (console, `briefing ask`, and platforms' fallback text)."""

from __future__ import annotations

import re

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


def split_long(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` characters: a line that fits stays whole; a longer one is cut at sentence
    ends, then (only for a single giant sentence) at spaces, and only a word longer than `limit` is cut."""
    if len(text) <= limit:
        return [text]
    pieces: list[str] = []
    current = ""
    for sentence in _SENTENCE_END.split(text):
        for part in _words_within(sentence, limit):
            joined = f"{current} {part}" if current else part
            if len(joined) <= limit:
                current = joined
            else:
                pieces.append(current)
                current = part
    if current:
        pieces.append(current)
    return pieces


def _words_within(sentence: str, limit: int) -> list[str]:
    if len(sentence) <= limit:
        return [sentence]
    parts: list[str] = []
    current = ""
    for word in sentence.split(" "):
        while len(word) > limit:  # no space at all: a hard cut is the only way
            if current:
                parts.append(current)
                current = ""
            parts.append(word[:limit])
            word = word[limit:]
        joined = f"{current} {word}" if current else word
        if len(joined) <= limit:
            current = joined
        else:
            parts.append(current)
            current = word
    if current:
        parts.append(current)
    return parts
