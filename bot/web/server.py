"""HTTP routes of the read-only web: `/s/{slug}` (the page), `/s/{slug}/history/{id}`, `/s/{slug}/chart.png`, the
feeds and the exports. A situation is readable only if a moderator shared it (`/weblink`): publicly, or with its
secret link's token in `?k=`. Anything else, including every other table of the database, answers 404."""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.web import pages
from bot.web.cache import Rendered, VersionCache
from bot.web.view import View
from briefings.service import Briefings
from briefings.store.errors import NotFound
from briefings.store.web_access import read_access

log = logging.getLogger(__name__)
FACT_KEY = re.compile(r"[a-z][0-9]{1,9}")
NOT_FOUND = "Not found. If you were given a link to a situation, check that it is complete."
Maker = Callable[[View], Awaitable[Rendered]]


def makers() -> dict[str, Maker]:
    """Every resource of a situation by its path under `/s/{slug}/` ('' is the page)."""
    from bot.web.downloads import EXPORTS
    from bot.web.feeds import atom, json_feed

    found: dict[str, Maker] = {"": pages.situation_page, "chart.png": pages.chart_png}
    found["feed.atom"] = atom
    found["feed.json"] = json_feed
    for name, (_, maker) in EXPORTS.items():
        found[name] = maker
    return found


class WebPages:
    def __init__(self, briefings: Briefings, cache: VersionCache | None = None) -> None:
        self.briefings = briefings
        self.cache = cache or VersionCache()
        self.makers = makers()

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get("/s/{slug}", self._resource),
            web.get("/s/{slug}/history", self._history_form),
            web.get("/s/{slug}/history/{key}", self._history),
            web.get("/s/{slug}/{name}", self._resource),
        ]

    async def _view(self, request: web.Request) -> View:
        """The situation asked for, if this request may read it; else 404 (never saying whether it exists)."""
        slug = request.match_info["slug"]
        token = request.query.get("k") or None
        try:
            access = await read_access(self.briefings.store, slug)
        except NotFound:
            raise web.HTTPNotFound(text=NOT_FOUND) from None
        if not access.allows(token):
            raise web.HTTPNotFound(text=NOT_FOUND)
        token = None if access.public else token
        return View(self.briefings, access.slug, access.version, token, access.public, str(request.url.origin()))

    async def _answer(self, request: web.Request, view: View, what: str, make: Maker) -> web.Response:
        key = (view.slug, view.version, what, view.token, view.origin if what.startswith("feed") else "")
        rendered = self.cache.get(key)
        if rendered is None:
            try:
                rendered = await make(view)
            except NotFound:
                raise web.HTTPNotFound(text=NOT_FOUND) from None
            except Exception:
                log.exception("web: %s of %s failed", what or "page", view.slug)
                raise web.HTTPInternalServerError(text="Something went wrong on our side; please try again.") from None
            self.cache.put(key, rendered)
        return rendered.response(request, view.public)

    async def _resource(self, request: web.Request) -> web.Response:
        name = request.match_info.get("name", "")
        make = self.makers.get(name)
        if make is None:
            raise web.HTTPNotFound(text=NOT_FOUND)
        return await self._answer(request, await self._view(request), name, make)

    async def _history(self, request: web.Request) -> web.Response:
        key = request.match_info["key"].lower()
        if not FACT_KEY.fullmatch(key):
            raise web.HTTPNotFound(text=NOT_FOUND)
        view = await self._view(request)

        async def make(view: View) -> Rendered:
            return await pages.history_page(view, key)

        return await self._answer(request, view, f"history/{key}", make)

    async def _history_form(self, request: web.Request) -> web.Response:
        """The page's form asks for `history?id=t1`: sent on to the fact's own page."""
        view = await self._view(request)
        key = request.query.get("id", "").strip().lower()
        if not FACT_KEY.fullmatch(key):
            raise web.HTTPNotFound(text="Fact ids look like t1, e4 or r2.")
        raise web.HTTPSeeOther(view.history_link(key))
