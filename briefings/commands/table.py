"""The command table: each command's name, usage, summary, who may run it, examples, and where its handler lives.

Declared here as plain data, so help, the Slack manifest, the Discord tree and the parser read it without
loading any command's code; a handler ("module:function") is imported the first time its command runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from briefings.commands.context import Context
    from briefings.commands.parse import Request
    from briefings.reply import Reply

    Handler = Callable[[Context, Request], Awaitable[Reply]]


@dataclass(frozen=True)
class Command:
    name: str
    usage: str
    summary: str
    handler: str
    """Where the code that runs it lives: `module:function`."""
    moderators_only: bool = False
    examples: tuple[str, ...] = ()
    pure: bool = False
    """Its answer depends only on the situation's state, the text and whether the caller moderates: the same
    answer may be given again until the situation changes."""

    async def run(self, ctx: Context, request: Request) -> Reply:
        return await handler(self.handler)(ctx, request)


@cache
def handler(path: str) -> Handler:
    """The function at `module:function`, imported once."""
    module, _, function = path.partition(":")
    found: Handler = getattr(import_module(module), function)
    return found


ADDABLE = ("event", "reaction", "measure", "claim", "source", "place", "actor", "toll")
"""What `/add` adds, as the Discord tree offers it."""
UPDATE_USAGE = (
    "/update toll killed=N [civilians=N] [security=N] [insurgents=N] [wounded=N] [kidnapped=N] "
    '[qualifier="at least"|about|"more than"|exactly] [low=N] [high=N] [place=NAME] source="NAME" '
    '[via="NAME"] [as_of=YYYY-MM-DD or YYYY-MM-DDTHH:MM] [note="..."] [confirm=yes]'
)
DIGEST_USAGE = "/digest subscribe [HH:MM] [timezone] [days] | unsubscribe | list | preview"
PROPOSE_USAGE = (
    '/propose [published=YYYY-MM-DD] [url=URL] [title="..."] [source=NAME] TEXT OF THE ARTICLE · /propose ADDRESS'
)
REVIEW_USAGE = (
    "/review · /review show ID · /review accept ID [key=value …] [confirm=yes] · /review edit ID · /review reject ID"
)
WEBLINK_USAGE = "/weblink [public|secret|off]"
FEED_USAGE = "/feed list · /feed add ADDRESS · /feed remove ADDRESS"

_CHANGES = "briefings.commands.changes"
_DIGEST = "briefings.commands.digest"
_FEEDS = "briefings.commands.feeds"
_HELP = "briefings.commands.help"
_HISTORY = "briefings.commands.history"
_READING = "briefings.commands.reading"
_REVIEW = "briefings.commands.review"
_SHARING = "briefings.commands.sharing"
_WRITING = "briefings.commands.writing"

_TABLE = (
    Command(
        "whatchanged",
        "/whatchanged [since=24h|3d|yesterday|DATE|DATE THH:MM] [page=N]",
        "What was reported since then (by as-of date), newest first: tolls as each source's net change, events, "
        "reactions, corrections, retractions, and late entries for earlier days.",
        f"{_CHANGES}:whatchanged_command",
        examples=("/whatchanged", "/whatchanged since=yesterday", "/whatchanged since={day}T08:00 page=2"),
    ),
    Command(
        "digest",
        DIGEST_USAGE,
        "Scheduled digests in this channel: subscribe (moderators), list, preview.",
        f"{_DIGEST}:digest_command",
        examples=(
            "/digest subscribe",
            "/digest subscribe 07:30 Europe/London mon-fri",
            "/digest list",
            "/digest preview",
        ),
    ),
    Command(
        "feed",
        FEED_USAGE,
        "Feeds whose new articles are read into proposals for review: list, add, remove (moderators).",
        f"{_FEEDS}:feed_command",
        moderators_only=True,
    ),
    Command(
        "brief",
        "/brief",
        "The situation at a glance: toll, latest events, measures, reactions.",
        f"{_READING}:brief_command",
        pure=True,
    ),
    Command(
        "toll",
        "/toll [category] [place] · /toll chart [place]",
        "Deaths, injuries and other counts: each source's latest figures by place or category; a chart over time.",
        f"{_READING}:toll_command",
        examples=("/toll", "/toll {place}", "/toll {category}", "/toll chart", "/toll chart {place}"),
        pure=True,
    ),
    Command(
        "reactions",
        "/reactions [actor]",
        "What governments, officials and other bodies have said.",
        f"{_READING}:reactions_command",
        examples=("/reactions", "/reactions {actor}"),
        pure=True,
    ),
    Command(
        "timeline",
        "/timeline [day]",
        "What happened, in order, as precisely as the sources say.",
        f"{_READING}:timeline_command",
        examples=("/timeline", "/timeline {day}", "/timeline {weekday}"),
        pure=True,
    ),
    Command(
        "where",
        "/where [place]",
        "The places involved, by province, or what happened in one.",
        f"{_READING}:where_command",
        examples=("/where", "/where {place}"),
        pure=True,
    ),
    Command(
        "sources",
        "/sources",
        "Who the facts come from, and how recent each source's word is.",
        f"{_READING}:sources_command",
        pure=True,
    ),
    Command(
        "situations",
        "/situations",
        "The situations this bot follows, and which one this channel uses.",
        f"{_READING}:situations_command",
    ),
    Command(
        "situation",
        "/situation use SLUG",
        "Switch this channel to another situation (moderators).",
        f"{_READING}:situation_command",
        moderators_only=True,
        examples=("/situation use {slug}",),
    ),
    Command(
        "help",
        "/help [command]",
        "What each command does.",
        f"{_HELP}:help_command",
        examples=("/help", "/help toll"),
        pure=True,
    ),
    Command(
        "propose",
        PROPOSE_USAGE,
        "Read an article (its text, or its web address) into proposed facts for review (moderators).",
        f"{_REVIEW}:propose_command",
        moderators_only=True,
        examples=("/propose published={day} At least 12 people were killed, the ministry said.",),
    ),
    Command(
        "review",
        REVIEW_USAGE,
        "The queue of proposed facts: list, accept or reject (moderators).",
        f"{_REVIEW}:review_command",
        moderators_only=True,
    ),
    Command(
        "weblink",
        WEBLINK_USAGE,
        "Who may read this situation's web page, feeds and exports: everyone, whoever has a secret link (a new one "
        "each time: the old link stops working), or nobody outside chat (moderators).",
        f"{_SHARING}:weblink_command",
        moderators_only=True,
        examples=("/weblink", "/weblink secret", "/weblink public", "/weblink off"),
    ),
    Command(
        "update",
        UPDATE_USAGE,
        "Record a new toll claim from a source (moderators).",
        f"{_WRITING}:update_command",
        moderators_only=True,
        examples=('/update toll killed=120 civilians=60 source="{source}" as_of={next_day}T18:00',),
    ),
    Command(
        "add",
        "/add event|reaction|measure|claim|source|place|actor key=value ...",
        "Record a new fact (moderators).",
        f"{_WRITING}:add_command",
        moderators_only=True,
        examples=(
            '/add event date={day} place="{place}" text="..." source="{source}"',
            '/add reaction actor="{actor}" stance=warns quote="..." date={day} source="{source}"',
            '/add measure type=curfew date={day} place="{place}" text="..." source="{source}"',
            '/add source name="..." kind=international-body aliases="..."',
        ),
    ),
    Command(
        "correct",
        '/correct ID key=value ... reason="..."',
        "A new revision of a fact; history is kept (moderators).",
        f"{_WRITING}:correct_command",
        moderators_only=True,
        examples=('/correct t1 killed=72 reason="The source revised its count"',),
    ),
    Command(
        "retract",
        '/retract ID reason="..."',
        "Withdraw a fact: it leaves the answers, stays in history (moderators).",
        f"{_WRITING}:retract_command",
        moderators_only=True,
        examples=('/retract t3 reason="Source withdrew the figure"',),
    ),
    Command(
        "undo",
        "/undo",
        "Take back your own last change, as a new revision (moderators).",
        f"{_WRITING}:undo_command",
        moderators_only=True,
    ),
    Command(
        "history",
        "/history ID",
        "Every revision of a fact: who, when, what changed, why.",
        f"{_HISTORY}:history_command",
        examples=("/history t1",),
    ),
)
COMMANDS: dict[str, Command] = {command.name: command for command in _TABLE}
"""Every command by name, in the order /help lists them."""
