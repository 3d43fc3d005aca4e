"""Discord markdown escaping for text from people and sources: shown literally, it cannot mention, link,
format or start a line of markup. A scanner over the text, one decision per character (see `inert`)."""

from __future__ import annotations

import re

from briefings.untrusted import one_line

ZWSP = "\u200b"
"""Zero-width space: breaks `<@1>` or `@everyone` or `https://` apart without changing what people read."""
MARKUP = frozenset("\\*_~|`")
"""Escaped with a backslash anywhere: bold, italic, underline, strike, spoiler, code and the escape itself."""
LINE_MARKUP = frozenset("#>-+")
"""Markup only at the start of a line: headings (`#`, `-#`), block quotes, list markers."""
BROADCASTS = ("everyone", "here")
_ORDERED = re.compile(r"\d+[.)]")


def line_start_markup(text: str) -> int | None:
    """Where `text`, put at the start of a line, would begin line markup (`# `, `> `, `- `, `1. `): the index of
    the character to escape, or None."""
    start = len(text) - len(text.lstrip())
    if start < len(text) and text[start] in LINE_MARKUP:
        return start
    ordered = _ORDERED.match(text, start)
    return ordered.end() - 1 if ordered else None


def _piece(text: str, i: int) -> str:
    """The escaped form of `text[i]`, given its neighbours."""
    char = text[i]
    if char in MARKUP:
        return "\\" + char
    if char == "<":  # <@id> <@&id> <#id> </cmd:id> <t:…> <:emoji:id> <a:…> <https://…>
        return "<" + ZWSP
    if char == "@" and (i == len(text) - 1 or text[i + 1 : i + 9].lower().startswith(BROADCASTS)):
        return "@" + ZWSP
    if char == "(" and (i == 0 or text[i - 1] == "]"):  # [text](url), also when `[text]` ends the text before
        return "\\("
    if char == ":" and text.startswith("/", i + 1):  # a bare URL, which Discord would make a link
        return ":" + ZWSP
    if char == "/" and i == 0 and text.startswith("//"):  # the rest of a URL whose scheme ends the text before
        return ZWSP + "/"
    return char


def inert(text: str) -> str:
    """`text` for Discord markdown (message content, embed titles and descriptions), shown literally: one line,
    no mentions, no links, no formatting; safe at the start of a line and inside `**…**`."""
    text = one_line(text)
    lead = line_start_markup(text)
    return "".join("\\" + text[i] if i == lead else _piece(text, i) for i in range(len(text)))


def guard_line_start(line: str) -> str:
    """A piece of an escaped line that now starts a line of its own (a long line cut in two) with any markup
    at its start escaped."""
    lead = line_start_markup(line)
    return line if lead is None else line[:lead] + "\\" + line[lead:]
