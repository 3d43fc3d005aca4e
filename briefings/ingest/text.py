"""An article cut into sentences and clauses with their offsets, and the situation's names found in them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from briefings.names import NameIndex, normalize

_SENTENCE_END = re.compile(r"([.!?][\"”’']?)\s+(?=[\"“‘']?[A-Z0-9])|\n+")
_CLAUSE_BREAK = re.compile(
    r";|\s[–—-]\s|,?\s+while\s+|,\s+but\s+|,\s+(?=(?:injuring|wounding|killing|leaving)\b)"
    r"|,?\s+and\s+(?=(?:(?:have|has|had)\s+)?(?:been\s+)?(?:wounded|injured|killed|kidnapped|abducted|displaced|left"
    r"|ordered|deployed|closed|declared|imposed|called|urged|said|warned)\b)"
    r"|,\s+and\s+(?!(?:at least|about|more than|some|nearly|around|over|up to)?\s*\d)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


def sentences(article: str) -> Iterator[Span]:
    """Sentences with their offsets; a line break always ends one (a headline never joins the next line)."""
    start = 0
    for match in _SENTENCE_END.finditer(article):
        yield from _trimmed(article, start, match.end(1) if match.group(1) else match.start())
        start = match.end()
    yield from _trimmed(article, start, len(article))


def _trimmed(article: str, start: int, end: int) -> Iterator[Span]:
    piece = article[start:end]
    stripped = piece.strip()
    if stripped:
        at = start + piece.index(stripped)
        yield Span(stripped, at, at + len(stripped))


def clauses(sentence: str) -> list[str]:
    """A sentence cut where one statement ends and the next begins (`killed 70 and wounded dozens`)."""
    return [part for part in _CLAUSE_BREAK.split(sentence) if part and part.strip()]


def found_names(index: NameIndex, text: str) -> list[str]:
    """The keys of every entry whose spelling appears in `text` as whole words, longest spellings first and
    each key once, in the order they appear."""
    flat = f" {normalize(text)} "
    hits: list[tuple[int, int, str]] = []
    taken: list[tuple[int, int]] = []
    for spelling, key in sorted(index.spellings().items(), key=lambda item: -len(item[0])):
        if len(spelling) < 3 and not spelling.isupper():
            continue
        at = flat.find(f" {spelling} ")
        while at >= 0:
            span = (at, at + len(spelling) + 1)
            if not any(a < span[1] and span[0] < b for a, b in taken):
                taken.append(span)
                hits.append((at, -len(spelling), key))
                break
            at = flat.find(f" {spelling} ", at + 1)
    seen: dict[str, None] = {}
    for _, _, key in sorted(hits):
        seen.setdefault(key, None)
    return list(seen)
