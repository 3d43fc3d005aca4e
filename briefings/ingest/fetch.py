"""Fetching an article or a feed by its address: a timeout for the whole fetch, a size cap (the body is read in
pieces and reading stops at the cap), the bot's name as User-Agent, and only addresses the settings allow.
Whatever goes wrong comes back as a `Refusal` saying why, never as an exception."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

import httpx

from briefings.ingest.fetch_settings import FetchSettings
from briefings.ingest.guarded import BlockedAddress, UnknownHost, client

log = logging.getLogger(__name__)
PAGE_TYPES = ("text/html", "application/xhtml+xml")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/rdf+xml",
    "application/xml",
    "text/xml",
    "application/feed+json",
)
FEED_ACCEPT = (*FEED_TYPES, "text/html", "text/plain", "")
"""What a feed's address may answer: feeds are often served as HTML or plain text; feedparser decides."""


@dataclass(frozen=True)
class Refusal:
    """Why nothing was read from an address, in words for the person who gave it."""

    reason: str


@dataclass(frozen=True)
class Fetched:
    url: str
    """The address the body came from, after redirects."""
    content_type: str
    body: bytes
    charset: str | None


@dataclass(frozen=True)
class Article:
    """An article's readable text and what its page says about it."""

    url: str
    title: str | None
    text: str
    published: datetime | None


def is_address(text: str) -> bool:
    """Whether text is one web address and nothing else (what `/propose URL` is given)."""
    return bool(re.fullmatch(r"<?https?://[^\s<>]+>?", text.strip(), re.IGNORECASE))


def checked_url(url: str) -> str | Refusal:
    """The address if it is one the bot may fetch: http or https, with a host."""
    url = url.strip().strip("<>").split("|")[0]  # Slack sends links as <https://…|label>
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return Refusal(f"'{url[:200]}' is not a web address; give one starting with https:// or http://.")
    if parts.username or parts.password:
        return Refusal("Addresses with a user name or password are not fetched.")
    return url


async def fetch(
    url: str, settings: FetchSettings | None = None, accept: tuple[str, ...] = PAGE_TYPES
) -> Fetched | Refusal:
    """The body at `url` if its content type is one of `accept` and it fits the size cap."""
    settings = settings or FetchSettings()
    checked = checked_url(url)
    if isinstance(checked, Refusal):
        return checked
    try:
        async with asyncio.timeout(settings.fetch_timeout):
            return await _fetch(checked, settings, accept)
    except TimeoutError:
        return Refusal(f"The page took longer than {settings.fetch_timeout:g} seconds to arrive; nothing was read.")
    except BlockedAddress as exc:
        return Refusal(f"Not fetched: {exc}. Only public addresses are fetched.")
    except UnknownHost as exc:
        return Refusal(f"Not fetched: {exc}.")
    except httpx.TooManyRedirects:
        return Refusal("The address redirects too many times; nothing was read.")
    except httpx.UnsupportedProtocol:
        return Refusal("The address redirects to something that is not a web page; nothing was read.")
    except (httpx.HTTPError, OSError) as exc:
        return Refusal(f"The page could not be reached ({type(exc).__name__}); check the address or try later.")


async def _fetch(url: str, settings: FetchSettings, accept: tuple[str, ...]) -> Fetched | Refusal:
    cap = settings.fetch_max_bytes
    async with client(settings, settings.fetch_timeout) as http, http.stream("GET", url) as response:
        if response.status_code >= 400:
            return Refusal(f"The site answered {response.status_code} ({response.reason_phrase}); nothing was read.")
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        refusal = _unwanted(content_type, accept)
        if refusal:
            return refusal
        length = response.headers.get("content-length", "")
        if length.isdigit() and int(length) > cap:
            return _too_large(cap)
        pieces: list[bytes] = []
        size = 0
        async for piece in response.aiter_bytes():
            size += len(piece)
            if size > cap:
                return _too_large(cap)
            pieces.append(piece)
        return Fetched(str(response.url), content_type, b"".join(pieces), response.charset_encoding)


def _unwanted(content_type: str, accept: tuple[str, ...]) -> Refusal | None:
    if content_type in accept:
        return None
    if content_type == "application/pdf":
        return Refusal("That address is a PDF; only web pages are read. Paste the article's text instead.")
    wanted = "a web page" if accept == PAGE_TYPES else "a feed (RSS or Atom)"
    shown = content_type or "none given"
    return Refusal(f"That address is not {wanted} (its content type is {shown[:80]}); nothing was read.")


def _too_large(cap: int) -> Refusal:
    return Refusal(f"The page is larger than {cap / 1_000_000:g} MB; nothing was read.")


async def fetch_article(url: str, settings: FetchSettings | None = None) -> Article | Refusal:
    """The article at `url`: its text (without menus, ads and comments), title and publication date."""
    fetched = await fetch(url, settings)
    if isinstance(fetched, Refusal):
        return fetched
    from briefings.ingest.page_text import article_text

    try:
        return await asyncio.to_thread(article_text, fetched)
    except Exception:
        log.exception("reading the page at %s failed", fetched.url[:300])
        return Refusal("The page could not be read as an article; nothing was proposed.")
