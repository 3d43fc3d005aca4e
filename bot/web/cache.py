"""Answers kept per situation version: a page is made once per change of the situation and served again from
memory, with an ETag and Last-Modified so clients that have it get 304 Not Modified."""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime

from aiohttp import web

KEPT = 512
"""Answers kept at most (pages, charts, feeds and exports of recent versions)."""


@dataclass(frozen=True)
class Rendered:
    body: bytes
    content_type: str
    modified: datetime
    status: int = 200
    filename: str | None = None
    """Offered as a download under this name (exports)."""

    @functools.cached_property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'

    @functools.cached_property
    def last_modified(self) -> str:
        return format_datetime(self.modified, usegmt=True)

    @functools.cached_property
    def _headers(self) -> dict[bool, dict[str, str]]:
        """The same for every request for this answer: worked out once, for public and for secret links."""
        return {public: self.headers(public) for public in (True, False)}

    def headers(self, public: bool) -> dict[str, str]:
        headers = {
            "ETag": self.etag,
            "Last-Modified": self.last_modified,
            # a secret link's answers are for its holder only: no shared cache may keep them
            "Cache-Control": "public, no-cache" if public else "private, no-cache",
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
            "Referrer-Policy": "no-referrer",
        }
        if self.filename:
            headers["Content-Disposition"] = f'attachment; filename="{self.filename}"'
        binary = self.content_type.startswith("image/")
        headers["Content-Type"] = self.content_type + ("" if binary else "; charset=utf-8")
        return headers

    def response(self, request: web.Request, public: bool) -> web.Response:
        """200 with the body, or 304 when the client's copy (If-None-Match, else If-Modified-Since) is current."""
        headers = dict(self._headers[public])
        if self.status == 200 and _fresh(request, self):
            return web.Response(status=304, headers=headers)
        return web.Response(body=self.body, status=self.status, headers=headers)


def _fresh(request: web.Request, rendered: Rendered) -> bool:
    tags = request.headers.get("If-None-Match")
    if tags is not None:
        offered = {tag.strip().removeprefix("W/") for tag in tags.split(",")}
        return "*" in offered or rendered.etag in offered
    since = request.if_modified_since
    return since is not None and rendered.modified.replace(microsecond=0) <= since


class VersionCache:
    """Rendered answers by (situation, version, what, link): a new version is a new key, so nothing is stale."""

    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self._answers: OrderedDict[Hashable, Rendered] = OrderedDict()

    def get(self, key: Hashable) -> Rendered | None:
        found = self._answers.get(key)
        if found is not None:
            self._answers.move_to_end(key)
        return found

    def put(self, key: Hashable, rendered: Rendered) -> None:
        self._answers[key] = rendered
        while len(self._answers) > self.kept:
            self._answers.popitem(last=False)
