"""One command grammar for every platform: `/name words key=value key="quoted value"`."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from briefings.control_chars import control_problem

# Chat clients turn " into curly quotes; all of these open or close a quoted value.
_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "＂": '"'})
_KEY = re.compile(r"^([a-z_][a-z0-9_-]*)=(.*)$", re.IGNORECASE | re.DOTALL)
MAX_LENGTH = 4000
ARTICLE_LENGTH = 40_000
"""The longest text a command of RAW takes: an article of several thousand words."""
RAW = frozenset({"propose"})
"""Commands whose text is kept as typed (an article, quotes and line breaks included) after leading options."""
_LEADING_OPTION = re.compile(r"\s*([a-z_][a-z0-9_]*)=(\"[^\"“”]*\"|“[^\"“”]*”|\S+)", re.IGNORECASE)


class ParseError(ValueError):
    """The text could not be read as a command."""


@dataclass
class Request:
    name: str
    words: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)

    @property
    def rest(self) -> str:
        """The words after the command name, as one string (`/toll New Town` -> `New Town`)."""
        return " ".join(self.words)


def tokens(text: str) -> list[str]:
    """Splits on spaces; double quotes (straight or curly) group; apostrophes are plain letters."""
    out: list[str] = []
    current: list[str] = []
    quoted = False
    started = False
    for char in text.translate(_QUOTES):
        if char == '"':
            quoted = not quoted
            started = True
        elif char.isspace() and not quoted:
            if started:
                out.append("".join(current))
            current, started = [], False
        else:
            current.append(char)
            started = True
    if quoted:
        raise ParseError('a quote is not closed: end the value with " (for example text="...")')
    if started:
        out.append("".join(current))
    return out


def parse(text: str) -> Request:
    text = text.strip()
    if not text:
        raise ParseError("empty command; try /help")
    limit = ARTICLE_LENGTH if text.split(None, 1)[0].lstrip("/").lower() in RAW else MAX_LENGTH
    if len(text) > limit:
        raise ParseError(f"the command is {len(text)} characters long; the limit is {limit}")
    if text.split(None, 1)[0].lstrip("/").lower() in RAW:
        return _raw(text)
    parts = tokens(text)
    for part in parts:
        if found := control_problem(part):
            match = _KEY.match(part)
            raise ParseError(f"{match.group(1).lower()}: {found}" if match else f"'{part[:30]}…' {found}")
    if found := control_problem(text):  # in the spaces between words
        raise ParseError(f"the command {found}")
    name = parts[0].lstrip("/").lower()
    request = Request(name)
    for part in parts[1:]:
        match = _KEY.match(part)
        if match:
            key = match.group(1).lower().replace("-", "_")
            if key in request.options:
                raise ParseError(f"'{key}' is given twice")
            request.options[key] = match.group(2).strip()
        else:
            request.words.append(part)
    return request


def _raw(text: str) -> Request:
    """`/propose url=X title="Y" The article's text...`: options up front, then the text exactly as given."""
    if found := control_problem(text):
        raise ParseError(f"the text {found}")
    name = text.split(None, 1)[0]
    rest = text[len(name) :]
    request = Request(name.lstrip("/").lower())
    while match := _LEADING_OPTION.match(rest):
        request.options[match.group(1).lower()] = match.group(2).strip('"“”').strip()
        rest = rest[match.end() :]
    if rest.strip():
        request.words.append(rest.strip())
    return request
