"""A feed's entries (RSS, Atom, JSON Feed) read with feedparser: each entry's key, link, title, summary, date."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

SUMMARY_LONGEST = 40_000
_TAG = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"[ \t\r\f\v]+")


@dataclass(frozen=True)
class FeedEntry:
    key: str
    """A hash of the entry's id (else its link, else its title and summary): the same entry, the same key."""
    link: str | None
    title: str | None
    summary: str | None
    published: datetime | None

    def row(self) -> dict[str, Any]:
        return {"link": self.link, "title": self.title, "summary": self.summary, "published": self.published}


class NotAFeed(ValueError):
    """The body is not a feed that can be read."""


def read_feed(body: bytes, newest: int) -> list[FeedEntry]:
    """The feed's `newest` entries, newest first; NotAFeed when it has none to read and is broken or not a feed."""
    import feedparser

    parsed = feedparser.parse(body)
    found = [entry for entry in map(_entry, parsed.entries) if entry is not None]
    if not found:
        if not parsed.get("version"):
            raise NotAFeed("not a feed (no RSS, Atom or JSON Feed found)")
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            raise NotAFeed(f"not a readable feed ({_shorten(str(problem) or 'malformed', 120)})")
        return []
    found.sort(key=lambda e: e.published or datetime.min.replace(tzinfo=UTC), reverse=True)
    return found[:newest]


def _entry(item: Any) -> FeedEntry | None:
    link = str(item.get("link") or "").strip() or None
    title = _plain(item.get("title"))
    summary = _plain(item.get("summary"))
    if summary is None and item.get("content"):
        summary = _plain(" ".join(str(part.get("value", "")) for part in item["content"]))
    ident = str(item.get("id") or "").strip() or link or ((title or "") + "\n" + (summary or "")).strip()
    if not ident:
        return None
    key = hashlib.sha256(ident.encode("utf-8")).hexdigest()
    stamp = item.get("published_parsed") or item.get("updated_parsed")
    published = datetime(stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], stamp[5], tzinfo=UTC) if stamp else None
    link = link[:2000] if link else None
    return FeedEntry(key, link, _shorten(title, 500), _shorten(summary, SUMMARY_LONGEST), published)


def _plain(value: object) -> str | None:
    """Text without markup: feedparser has already removed what is unsafe; tags go, entities are decoded."""
    if not value:
        return None
    import html

    text = html.unescape(_TAG.sub(" ", str(value)))
    lines = [_SPACE.sub(" ", line).strip() for line in text.splitlines()]
    plain = "\n".join(line for line in lines if line)
    return plain or None


def _shorten(text: str | None, limit: int) -> str | None:
    return text if text is None or len(text) <= limit else text[: limit - 1] + "…"
