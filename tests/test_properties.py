"""Property tests: arbitrary text through the parser, `Briefings.handle` and every renderer.

Whatever a person types, the core answers with a `Reply` (never an exception, never the "went wrong on my side"
fallback), garbage is `invalid` or `refused`, and every rendering fits its platform's limits and cannot ping."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import discord
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.discord_chat import render as discord_render
from bot.slack_chat import blocks as slack_blocks
from briefings.access import Caller
from briefings.commands.parse import MAX_LENGTH, ParseError, Request, parse, tokens
from briefings.commands.table import COMMANDS
from briefings.control_chars import control_problem
from briefings.render_text import render as render_text
from briefings.reply import Line, Outcome, Reply, Section, Span
from briefings.service import Briefings
from briefings.settings import CoreSettings
from briefings.untrusted import one_line
from tests.conftest import SEEDS

EXAMPLES = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SORRY = "Something went wrong on my side"

# ---- strategies

PINGS = ["<!channel>", "<!here>", "<!everyone>", "<@U0ADMIN>", "<@&123456789>", "<@!123456789>", "@everyone", "@here"]
NASTY = [*PINGS, "<#C123|general>", "<https://evil.example|click>", "&lt;!channel&gt;", "*bold*", "_x_", "`code`"]
NASTY += ["```", "> quote", "||spoiler||", "\u200b", "\u202e", "\n", "\r\n", "\t", "“", "”", "«", "»", "＂", '"', "="]
word = st.one_of(
    st.sampled_from(NASTY),
    st.text(min_size=1, max_size=30),
    st.text(alphabet=st.characters(codec="ascii"), min_size=1, max_size=30),
    st.integers(-(10**12), 10**12).map(str),
)
KEYS = ["killed", "civilians", "security", "insurgents", "wounded", "kidnapped", "qualifier", "low", "high"]
KEYS += ["place", "source", "via", "as_of", "note", "confirm", "text", "when", "actor", "quote", "summary", "name"]
KEYS += ["kind", "type", "aliases", "province", "reason", "since", "stance", "by", "urgent", "topic", "sources"]
option = st.builds(
    lambda key, value, quoted: f'{key}="{value}"' if quoted else f"{key}={value}",
    st.sampled_from(KEYS),
    st.one_of(word, st.text(max_size=200).filter(lambda s: '"' not in s)),
    st.booleans(),
)
command_name = st.one_of(st.sampled_from(sorted(COMMANDS)), st.sampled_from(["digest", "Toll", "TOLL", "nope"]))
structured = st.builds(
    lambda name, slash, parts: ("/" if slash else "") + " ".join([name, *parts]),
    command_name,
    st.booleans(),
    st.lists(
        st.one_of(word, option, st.sampled_from(["toll", "event", "source", "t1", "e1", "subscribe"])), max_size=8
    ),
)
anything = st.one_of(st.text(max_size=300), structured, st.text(min_size=MAX_LENGTH - 5, max_size=MAX_LENGTH + 50))


@st.composite
def replies(draw: st.DrawFn) -> Reply:
    """Reply documents of any shape and size, full of untrusted text (as facts people typed would make)."""
    text = st.one_of(word, st.text(max_size=600), st.text(min_size=2500, max_size=7000))
    span = st.builds(Span, text, st.booleans(), st.just(True))
    own = st.builds(Span, st.text(alphabet="abc .,-()0123456789", max_size=80))
    lines = st.lists(st.builds(Line, st.lists(st.one_of(span, own), max_size=4).map(tuple), st.sampled_from([0, 1])))
    sections = st.lists(st.builds(Section, st.one_of(st.none(), text), lines), max_size=6)
    return Reply(
        draw(text.filter(str.strip)),  # the core never titles a reply with nothing
        draw(sections),
        draw(st.one_of(st.none(), st.builds(Line, st.lists(span, max_size=3).map(tuple)))),
        draw(st.sampled_from(list(Outcome))),
    )


# ---- the service, started once for the module on SQLite


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[asyncio.Runner, Briefings]]:
    db = Path(tmp_path_factory.mktemp("props")) / "props.db"
    settings_ = CoreSettings(database_url=f"sqlite:///{db}", seeds=SEEDS, moderators="console:mod")
    with asyncio.Runner() as runner:
        briefings = runner.run(Briefings.start(settings_))
        try:
            yield runner, briefings
        finally:
            runner.run(briefings.close())


READER = Caller("console", "reader", "console")
MODERATOR = Caller("console", "mod", "console")

# ---- checks


SLACK_PING = re.compile(r"<[!@#]")
DISCORD_PING = re.compile(r"<@[!&]?\d|<#\d|@(everyone|here)")


def slack_texts(value: object) -> Iterator[str]:
    """Every `text` string anywhere in a Block Kit structure."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "text" and isinstance(item, str):
                yield item
            else:
                yield from slack_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from slack_texts(item)


def check_slack(reply: Reply) -> None:
    pages = slack_blocks.messages(reply, share="/toll")
    assert pages
    for page in pages:
        assert len(page.blocks) <= slack_blocks.MESSAGE_BLOCKS
        assert len(page.text) <= slack_blocks.TEXT_CHARS
        assert not SLACK_PING.search(page.text), page.text[:200]
        for block in page.blocks:
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= slack_blocks.HEADER_CHARS
                assert block["text"]["type"] == "plain_text"
            elif block["type"] == "section":
                assert len(block["text"]["text"]) <= slack_blocks.SECTION_CHARS
            for text in slack_texts(block):
                if block["type"] != "header":  # plain_text is never parsed for mentions
                    assert not SLACK_PING.search(text), text[:200]
    plain = slack_blocks.plain_text(reply)
    assert len(plain) <= slack_blocks.TEXT_CHARS and not SLACK_PING.search(plain)
    home = slack_blocks.home_view(reply)
    assert len(home["blocks"]) <= slack_blocks.HOME_BLOCKS


def check_discord(reply: Reply) -> None:
    messages = discord_render.render(reply, marker="ref d1-2503080800")
    assert messages
    for embeds in messages:
        assert 1 <= len(embeds) <= discord_render.EMBEDS_PER_MESSAGE
        assert discord_render.embeds_size(embeds) <= discord_render.MESSAGE_LIMIT
        for embed in embeds:
            assert len(embed.title or "") <= discord_render.TITLE_LIMIT
            assert len(embed.description or "") <= discord_render.DESCRIPTION_LIMIT
            assert len(embed.footer.text or "") <= discord_render.FOOTER_LIMIT
            # Titles and section headings are checked in test_discord_titles_and_headings_escape_mentions.
            for shown in (embed.description or "").split("\n"):
                if shown.startswith(discord_render.BULLETS):
                    assert not DISCORD_PING.search(shown), shown[:200]
    content = discord_render.content(reply)
    assert len(content) <= discord_render.CONTENT_LIMIT
    assert not DISCORD_PING.search(content), content[:200]


# ---- the parser


@EXAMPLES
@given(anything)
def test_parse_raises_only_parse_error(text: str) -> None:
    try:
        request = parse(text)
    except ParseError as exc:
        assert str(exc)
        return
    assert isinstance(request, Request)
    assert request.name == request.name.lower()
    assert all(key == key.lower() and "-" not in key for key in request.options)


@EXAMPLES
@given(
    st.lists(st.text(alphabet=st.characters(exclude_categories=["Z", "C"], exclude_characters='"“”„«»＂'), min_size=1))
)
def test_tokens_split_plain_words_back(words: list[str]) -> None:
    assert tokens(" ".join(words)) == words


@EXAMPLES
@given(st.text(max_size=200).filter(lambda s: not any(q in s for q in '"“”„«»＂') and control_problem(s) is None))
def test_a_quoted_value_is_kept_whole(value: str) -> None:
    request = parse(f'/add event text="{value}" when=2025-03-08')
    assert request.options["text"] == value.strip()
    assert request.options["when"] == "2025-03-08"


@EXAMPLES
@given(st.text(max_size=50), st.characters(codec="utf-8", categories=["Cc"]).filter(lambda c: not c.isspace()))
def test_a_value_with_a_control_character_is_refused_by_name(value: str, control: str) -> None:
    clean = "".join(c for c in value if c not in '"“”„«»＂' and control_problem(c) is None)
    with pytest.raises(ParseError, match=r"^text: contains the control character"):
        parse(f'/add event text="{clean}{control}" when=2025-03-08')


# ---- the service: anything typed gets a Reply


@EXAMPLES
@given(anything, st.sampled_from([READER, MODERATOR]))
def test_handle_answers_anything_with_a_reply(
    service: tuple[asyncio.Runner, Briefings], text: str, who: Caller
) -> None:
    runner, briefings = service
    reply = runner.run(briefings.handle(text, who))
    assert isinstance(reply, Reply)
    assert reply.outcome in (Outcome.answered, Outcome.invalid, Outcome.refused)
    rendered = render_text(reply)
    assert SORRY not in rendered, (text, rendered)
    try:
        name = parse(text).name
    except ParseError:
        name = None
    # Plain words may be read as a question and answered; a slash command the bot does not know never is.
    if text.strip().startswith("/") and name not in COMMANDS:
        assert reply.outcome in (Outcome.invalid, Outcome.refused), (text, rendered)
    if who is READER and name in COMMANDS and COMMANDS[name].moderators_only and text.strip().startswith("/"):
        assert reply.outcome is Outcome.refused
    check_slack(reply)
    check_discord(reply)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(PINGS), min_size=1, max_size=3), st.sampled_from(["event", "claim"]))
def test_pings_written_into_facts_never_ping_when_read_back(
    service: tuple[asyncio.Runner, Briefings], pings: list[str], kind: str
) -> None:
    runner, briefings = service
    text = " ".join(pings)
    added = runner.run(briefings.handle(f'/add {kind} text="{text} now" date=2025-03-08 source=SOHR', MODERATOR))
    assert added.ok, render_text(added)
    for command in ("/timeline", "/whatchanged", "/brief"):
        reply = runner.run(briefings.handle(command, READER))
        check_slack(reply)
        check_discord(reply)


# ---- the renderers on any reply document


@EXAMPLES
@given(replies())
def test_renderers_fit_every_limit_and_never_ping(reply: Reply) -> None:
    assert render_text(reply).startswith(one_line(reply.title))
    check_slack(reply)
    check_discord(reply)


def test_discord_client_sends_no_mentions(service: tuple[asyncio.Runner, Briefings]) -> None:
    """The adapter's client is built with empty allowed mentions: every message it sends inherits them."""
    from bot.discord_chat.adapter import DiscordAdapter
    from bot.settings import Settings

    runner, briefings = service

    async def build() -> discord.AllowedMentions | None:
        adapter = DiscordAdapter(briefings, Settings(discord_token="t", database_url="sqlite://"))
        return adapter.client.allowed_mentions

    mentions = runner.run(build())
    assert mentions is not None
    payload: dict[str, Any] = dict(mentions.to_dict())
    assert payload == {"parse": []}


def test_discord_titles_and_headings_escape_mentions() -> None:
    reply = Reply("I don't know the command /<@123>.", [Section("<@&456> @everyone", [Line((Span("x"),))])])
    for embeds in discord_render.render(reply):
        for embed in embeds:
            assert not DISCORD_PING.search(embed.title or "")
            assert not DISCORD_PING.search(embed.description or "")
