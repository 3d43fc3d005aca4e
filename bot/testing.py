"""A chat platform in memory that keeps the adapter contract (`bot/adapter.py`) without a network: for tests of
what the bot answers and posts, beside the wire-level fakes (`tests/fakes`) that drive the real Slack and
Discord libraries.

`ask` is a person typing: a caller is built, the core is asked once for its plan, a moderator's form opens
instead of running (`Said.form`), or the reply is rendered to plain text pages, cut as a platform cuts it.
`share` is the "Post to channel" click, posting once per click. `post` and `find_posted` are the digest
runner's side, with every post kept in `posts`; `fail` makes the next posts fail, and `lose` makes them go out
but lose their answer, as a dropped connection does.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.adapter import PostError
from briefings.access import Caller
from briefings.render_text import join_within, render, split_long
from briefings.reply import Reply
from briefings.service import Briefings, Plan

PLATFORM = "memory"
MESSAGE_CHARS = 2000
"""How much text one message of this platform holds."""


def pages(reply: Reply, chars: int = MESSAGE_CHARS) -> list[str]:
    """The reply as plain text in messages of at most `chars` characters, cut at line ends."""
    lines = [piece for text in render(reply).split("\n") for piece in split_long(text, chars) or [""]]
    return join_within(lines, "\n", chars)


@dataclass
class Said:
    """What one person saw after typing a text."""

    plan: Plan
    reply: Reply | None
    """None when a form opened instead."""
    pages: list[str] = field(default_factory=list)

    @property
    def form(self) -> str | None:
        return (self.reply is None and self.plan.opens_form) or None

    @property
    def text(self) -> str:
        return "\n\n".join(self.pages)

    @property
    def ok(self) -> bool:
        return self.reply is not None and self.reply.ok


@dataclass
class Posted:
    """A message in a channel, for everyone."""

    channel: str
    text: str
    run_key: str
    message_id: str
    reply: Reply


@dataclass
class MemoryAdapter:
    """A platform whose channels and people are names; channel keys are `memory:CHANNEL`."""

    briefings: Briefings
    platform: str = PLATFORM
    message_chars: int = MESSAGE_CHARS
    posts: list[Posted] = field(default_factory=list)
    fail: list[PostError] = field(default_factory=list)
    """Raised by the next posts, one each, before anything goes out."""
    lose: int = 0
    """The next posts go out, then fail as if their answer was lost."""
    lookups: int = 0
    running: bool = False

    async def start(self) -> None:
        self.running = True

    async def stop(self) -> None:
        self.running = False

    def caller(self, user: str, channel: str = "general", name: str = "") -> Caller:
        return Caller(self.platform, user, f"{self.platform}:{channel}", name or user)

    def _count(self, reply: Reply) -> int:
        return len(pages(reply, self.message_chars))

    async def ask(self, text: str, user: str = "reader", channel: str = "general", request_id: str = "") -> Said:
        """`text` typed by `user` in `channel`, answered as the contract says (plan once, form or answer)."""
        caller = self.caller(user, channel)
        plan = self.briefings.plan(text, caller)
        if plan.opens_form is not None:
            return Said(plan, None)
        reply = await self.briefings.handle(plan.text, caller, request_id)
        if reply.ok:
            reply = plan.cut(reply, self._count)
        return Said(plan, reply, pages(reply, self.message_chars))

    async def share(self, said: Said, user: str = "reader", channel: str = "general", click: str = "") -> str:
        """The "Post to channel" click on `said`; `click` names the click (a click delivered again has the same
        name). Returns what the person who clicked is told."""
        caller = self.caller(user, channel)
        plan = self.briefings.plan(said.plan.text, caller)
        if not plan.shareable:
            return "That answer can't be posted to the channel."
        if click and not await self.briefings.claim_request(f"{self.platform}:click:{click}", caller):
            return "That answer was posted to the channel already."
        reply = plan.cut(await self.briefings.handle(plan.text, caller), self._count)
        if not reply.ok:
            return render(reply)
        text = "\n\n".join([*pages(reply, self.message_chars), f"Shared by {caller.name} · {plan.shared_as}"])
        self.posts.append(Posted(channel, text, "", self._next_id(), reply))
        return "Posted."

    def _next_id(self) -> str:
        return f"m{len(self.posts) + 1}"

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        if self.fail:
            raise self.fail.pop(0)
        posted = Posted(channel, "\n\n".join(pages(reply, self.message_chars)), run_key, self._next_id(), reply)
        self.posts.append(posted)
        if self.lose > 0:
            self.lose -= 1
            raise PostError(f"the answer to the post in {channel} was lost")
        return posted.message_id

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        self.lookups += 1
        found = [p.message_id for p in self.posts if p.channel == channel and p.run_key == run_key]
        return found[0] if found else None

    def to(self, channel: str) -> list[Posted]:
        """The posts in one channel, oldest first."""
        return [p for p in self.posts if p.channel == channel]
