"""A fetched page's article: its readable text, title and date (trafilatura), or why there is none to read."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from briefings.ingest.fetch import Article, Fetched, Refusal

LONGEST = 40_000
"""Characters of an article read, as for text given to /propose."""
MIN_TEXT = 120
"""Fewer characters of readable text than this is a page without an article (a list of links, a login form)."""
_LANG = re.compile(rb"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)?", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]+")
_COMMON = frozenset(
    {
        *("the", "of", "and", "to", "in", "a", "is", "was", "were", "are", "said", "on", "for", "that", "by"),
        *("with", "at", "from", "has", "have", "had", "it", "as", "an", "be", "this", "after"),
    }
)
COMMON_SHARE = 0.08
"""English prose has a quarter of its words among the commonest few; text with under this share is not English."""
LANGUAGES = {"fr": "French", "de": "German", "es": "Spanish", "ar": "Arabic", "ru": "Russian"}


def declared_language(body: bytes) -> str | None:
    """The language the page's `<html lang>` declares (`en`, `fr`), if it declares one."""
    found = _LANG.search(body[:20_000])
    return found.group(1).decode("ascii").lower() if found else None


def reads_as_english(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text[:20_000])]
    return bool(words) and sum(w in _COMMON for w in words) / len(words) >= COMMON_SHARE


def article_text(fetched: Fetched) -> Article | Refusal:
    """The article of a fetched page; a refusal when it has no readable text or is not in English."""
    import trafilatura

    language = declared_language(fetched.body)
    if language and language != "en":
        name = LANGUAGES.get(language, f"'{language}'")
        return Refusal(f"The page is in {name}; articles are read in English only. Nothing was proposed.")
    html = fetched.body.decode(fetched.charset or "utf-8", errors="replace") if fetched.charset else fetched.body
    found = trafilatura.extract(
        html, url=fetched.url, output_format="json", with_metadata=True, include_comments=False, include_tables=False
    )
    data = json.loads(found) if found else {}
    text = str(data.get("text") or "").strip()
    if len(text) < MIN_TEXT:
        return Refusal("No article found on that page (too little readable text); nothing was proposed.")
    if not language and not reads_as_english(text):
        return Refusal("The page's text does not read as English; articles are read in English only.")
    title = str(data["title"]).strip() if data.get("title") else None
    return Article(fetched.url, title, text[:LONGEST], _date(data.get("date")))


def _date(raw: object) -> datetime | None:
    if not isinstance(raw, str):
        return None
    try:
        day = datetime.strptime(raw[:10], "%Y-%m-%d")
    except ValueError:
        return None
    return day.replace(hour=12, tzinfo=UTC)
