"""One request's view of a situation: its version, the link's token, and the replies the chat commands give."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from briefings.access import Caller
from briefings.commands.context import Context
from briefings.commands.parse import parse
from briefings.commands.table import COMMANDS
from briefings.reply import Reply
from briefings.service import Briefings
from briefings.snapshot import Snapshot

READER = "reader"
"""Whoever reads the web page: never a moderator, so only what members of a channel may see is shown."""


@dataclass(frozen=True)
class View:
    briefings: Briefings
    slug: str
    version: int
    token: str | None = None
    public: bool = False
    origin: str = ""
    """`scheme://host[:port]` the request came to, for the absolute links feeds need (aiohttp takes
    `X-Forwarded-*` into account only if the deployment's proxy set-up tells it to)."""

    def link(self, path: str = "", **query: str) -> str:
        """A link inside this situation's pages, carrying the secret link's token when there is one."""
        if self.token:
            query = {**query, "k": self.token}
        suffix = f"?{urlencode(query)}" if query else ""
        return f"/s/{quote(self.slug)}" + (f"/{path}" if path else "") + suffix

    def absolute(self, link: str) -> str:
        return self.origin + link

    def history_link(self, key: str) -> str:
        return self.link(f"history/{key}")

    async def snapshot(self) -> Snapshot:
        return await self.briefings.store.snapshot(self.slug, self.version)

    async def ask(self, text: str) -> Reply:
        """What the chat command `text` answers for this situation, as a member of a channel would see it."""
        request = parse(text)
        caller = Caller("web", READER, f"web:{self.slug}", READER)
        context = Context(self.briefings.store, caller, self.slug, self.briefings.clock(), False, version=self.version)
        return await COMMANDS[request.name].run(context, request)


def modified(snapshot: Snapshot) -> datetime:
    """When the situation last changed (what Last-Modified and a feed's `updated` say)."""
    times = [*snapshot.revised_at.values(), *snapshot.recorded_at.values()]
    return max(times) if times else datetime(1970, 1, 1, tzinfo=UTC)
