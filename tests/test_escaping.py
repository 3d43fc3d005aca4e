"""The escapers for text from people and sources: Discord markdown, Slack mrkdwn and plain one-line text.

Properties over arbitrary text: the escaped form never holds a live mention, link, formatting marker, line
break or direction control, and reading it back (dropping the escapes) gives the text as it was written."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.discord_chat import render as discord_render
from bot.discord_chat.escape import guard_line_start
from bot.discord_chat.escape import inert as discord_inert
from bot.slack_chat import blocks as slack_blocks
from bot.slack_chat.escape import LOOKALIKES
from bot.slack_chat.escape import inert as slack_inert
from briefings.render_text import render as render_text
from briefings.reply import Line, Reply, Section, Span
from briefings.untrusted import BIDI_CONTROLS, LINE_BREAKS, one_line
from tests.test_untrusted_slack import mrkdwn_objects

ZWSP = "\u200b"
HOSTILE = [
    "[docs](https://evil.example)",
    "[a](http://a.example) and [b](<https://b.example>)",
    "https://evil.example/x_y",
    "www.evil.example",
    "<@123456789012345678>",
    "<@!123456789012345678>",
    "<@&987654321098765432>",
    "<#111111111111111111>",
    "</toll:222222222222222222>",
    "<t:1741334400:R>",
    "<:skull:333333333333333333>",
    "<a:party:444444444444444444>",
    "@everyone",
    "@here",
    "<!here>",
    "<!channel>",
    "<@U0ADMIN>",
    "<#C0GENERAL|general>",
    "<https://evil.example|click>",
    "# Heading",
    "-# small print",
    "- item",
    "* item",
    "1. item",
    "> quote",
    ">>> quote",
    "||spoiler||",
    "**bold**",
    "*bold*",
    "_italic_",
    "__underline__",
    "~~strike~~",
    "~strike~",
    "`code`",
    "```fence```",
    "\\",
    "&amp;",
    "\n",
    "\r\n",
    "\u2028",
    "\u202e",
    "\u2066",
    "\u200f",
    "\x1b[2J",
    "\x00",
    "]",
    "(",
    "://",
    ".",
    "a",
    " ",
]
hostile_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=5)), max_size=12).map("".join),
)
PROPERTY = settings(max_examples=400, deadline=None)

# ---- what "live" means on each platform


def discord_unescaped(text: str) -> str:
    """`text` with Discord's backslash escapes taken out: what its markdown parser sees as markup."""
    return re.sub(r"\\.", "", text)


def discord_shown(text: str) -> str:
    """What a person reads: escapes resolved, zero-width spaces gone."""
    return re.sub(r"\\(.)", r"\1", text).replace(ZWSP, "")


def check_discord_inert(escaped: str) -> None:
    assert not any(char in escaped for char in LINE_BREAKS), escaped
    assert not BIDI_CONTROLS & set(escaped), escaped
    bare = discord_unescaped(escaped)
    assert not re.search(r"[*_~|`]", bare), escaped  # bold, italic, underline, strike, spoiler, code
    assert not re.search(r"<(?!\u200b)", escaped), escaped  # <@id> <@&id> <#id> </cmd:id> <t:…> <:emoji:id>
    assert not re.search(r"@(everyone|here)", escaped, re.IGNORECASE), escaped
    assert "://" not in escaped, escaped  # no bare URL for Discord to link
    assert "](" not in escaped, escaped  # no masked link
    assert not re.match(r"\s*([#>+-]|\d+[.)])", escaped), escaped  # no heading, quote or list at a line start


def slack_shown(text: str) -> str:
    """What a person reads, with look-alike characters read as the characters they stand for."""
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return read_alike(text)


def read_alike(text: str) -> str:
    back = {value: key for key, value in LOOKALIKES.items()}
    return "".join(back.get(char, char) for char in text.replace(ZWSP, ""))


def check_slack_inert(escaped: str) -> None:
    assert not any(char in escaped for char in LINE_BREAKS), escaped
    assert not BIDI_CONTROLS & set(escaped), escaped
    assert not re.search(r"[<>*_~`]", escaped), escaped  # no mention, link, or formatting marker
    assert not re.search(r"&(?!amp;|lt;|gt;)", escaped), escaped
    assert not re.search(r"@(here|channel|everyone)", escaped, re.IGNORECASE), escaped
    assert "://" not in escaped, escaped  # no URL
    dots = [i for i in range(1, len(escaped) - 1) if escaped[i] == "."]
    assert not [i for i in dots if escaped[i - 1].isalnum() and escaped[i + 1].isalpha()], escaped  # no domain


# ---- properties


@PROPERTY
@given(hostile_text)
def test_discord_escaped_text_is_inert_and_reads_as_written(text: str) -> None:
    escaped = discord_inert(text)
    check_discord_inert(escaped)
    assert discord_shown(escaped) == one_line(text).replace(ZWSP, "")


@PROPERTY
@given(hostile_text)
def test_slack_escaped_text_is_inert_and_reads_as_written(text: str) -> None:
    escaped = slack_inert(text)
    check_slack_inert(escaped)
    assert slack_shown(escaped) == read_alike(one_line(text))


@PROPERTY
@given(hostile_text, hostile_text)
def test_escaped_text_stays_inert_next_to_other_escaped_text_and_in_bold(left: str, right: str) -> None:
    """Spans are joined on one line: no pair of escaped texts may complete a link or a mention between them."""
    check_discord_inert(discord_inert(left) + discord_inert(right))
    check_discord_inert(discord_inert(left + right))
    assert not re.search(r"[*_~|`]", discord_unescaped(f"**{discord_inert(left)}**")[2:-2])
    check_slack_inert(slack_inert(left) + slack_inert(right))


@PROPERTY
@given(hostile_text)
def test_one_line_has_no_breaks_controls_or_direction_marks(text: str) -> None:
    flat = one_line(text)
    assert not any(char in flat for char in LINE_BREAKS)
    assert not BIDI_CONTROLS & set(flat)
    kept = "\u200c\u200d" + "".join(map(chr, range(0xE0020, 0xE0080)))
    assert not [c for c in flat if unicodedata.category(c) in ("Cc", "Cf", "Cs") and c not in kept]
    assert one_line(flat) == flat


@PROPERTY
@given(hostile_text)
def test_a_cut_piece_of_escaped_text_cannot_start_line_markup(text: str) -> None:
    escaped = discord_inert("x" + text)
    for cut in range(1, len(escaped)):
        piece = guard_line_start(escaped[cut:].lstrip(ZWSP))
        assert not re.match(r"\s*([#>+-]|\d+[.)])", piece), piece


# ---- examples people will recognise


def test_every_masked_link_is_escaped_not_only_the_first() -> None:
    escaped = discord_inert("see [the report](https://a.example) and [the video](https://b.example)")
    assert escaped.count("]\\(") == 2 and "](" not in escaped
    assert escaped.count(":\u200b//") == 2


def test_discord_mentions_commands_times_and_emoji_are_broken() -> None:
    for raw in ("<@1>", "<@&2>", "<#3>", "</toll:4>", "<t:1741334400:R>", "<:e:5>", "<a:e:6>"):
        assert discord_inert(raw) == "<\u200b" + raw[1:]
    assert discord_inert("@everyone and @Here") == "@\u200beveryone and @\u200bHere"


def test_discord_line_markup_is_escaped_at_the_start() -> None:
    assert discord_inert("# Heading") == "\\# Heading"
    assert discord_inert("-# tiny") == "\\-# tiny"
    assert discord_inert("  > quoted") == "  \\> quoted"
    assert discord_inert("12. item") == "12\\. item"
    assert discord_inert("Al-Qardaha, 2.5 km") == "Al-Qardaha, 2.5 km"  # inside a line, nothing to escape


def test_discord_a_trailing_backslash_cannot_escape_the_closing_bold() -> None:
    assert discord_inert("path\\") == "path\\\\"


def test_slack_formatting_becomes_look_alikes_and_lines_are_joined() -> None:
    note = "Revised.\n• SOHR: *9999 killed* [t1]\u202e ~gone~ `x` _y_"
    assert (
        slack_inert(note)
        == "Revised. • SOHR: \u22179999 killed\u2217 [t1] \u223cgone\u223c \u02cbx\u02cb \u02cdy\u02cd"
    )


def test_slack_links_mentions_and_domains_are_broken() -> None:
    assert slack_inert("<https://evil.example|click> <!here> @channel") == (
        "&lt;https:\u200b//evil.\u200bexample|click&gt; &lt;!here&gt; @\u200bchannel"
    )
    assert slack_inert("> not a quote").startswith("\u200b&gt;")
    assert slack_inert("Jableh, 2.5 km.") == "Jableh, 2.5 km.\u200b"


def test_one_line_joins_lines_and_drops_controls() -> None:
    assert one_line("a\r\n\n  b\u2028c\x1b[2Jd\u202ee\tf") == "a b c[2Jde f"
    assert one_line("جبلة\u200c") == "جبلة\u200c"


# ---- whole replies through each platform's renderer


@st.composite
def hostile_replies(draw: st.DrawFn) -> Reply:
    """Replies whose untrusted text is hostile, some of it long enough to be cut between lines or messages."""
    long = st.text(alphabet="#>-*_`|[]()<@:/1. \nab", min_size=1, max_size=60).map(lambda s: (s * 80)[:4300])
    text = st.one_of(hostile_text, long)
    untrusted = st.builds(Span, text, st.booleans(), st.just(True))
    own = st.builds(Span, st.sampled_from(["Toll: ", " (", ") [t1]", " — ", "Read as ", "70 killed"]), st.booleans())
    spans = st.lists(st.one_of(untrusted, own), min_size=1, max_size=4).map(tuple)
    lines = st.lists(st.builds(Line, spans, st.sampled_from([0, 1])), max_size=6)
    sections = st.lists(st.builds(Section, st.one_of(st.none(), hostile_text), lines), max_size=4)
    footer = st.one_of(st.none(), st.builds(Line, st.lists(untrusted, max_size=3).map(tuple)))
    return Reply(draw(hostile_text.filter(str.strip)), draw(sections), draw(footer))


def check_discord_row(row: str) -> None:
    assert not re.match(r"\s*([#>+-]|\d+[.)])", row), row[:200]
    assert "://" not in row and "](" not in row, row[:200]
    assert not re.search(r"<(?!\u200b)|@(everyone|here)", row, re.IGNORECASE), row[:200]
    assert not re.search(r"[_~|`]", discord_unescaped(row)), row[:200]


def check_slack_row(row: str) -> None:
    assert not re.match(r"\s*(>|&gt;)", row), row[:200]
    assert not re.search(r"[<>_~`]|://|@(here|channel|everyone)", row, re.IGNORECASE), row[:200]


@settings(max_examples=120, deadline=None)
@given(hostile_replies())
def test_rendered_replies_never_hold_live_markup_from_untrusted_text(reply: Reply) -> None:
    for embeds in discord_render.render(reply):
        for embed in embeds:
            for row in [embed.title or "", *(embed.description or "").split("\n")]:
                check_discord_row(row)
            assert not any(char in (embed.footer.text or "") for char in LINE_BREAKS)
    for row in discord_render.content(reply).split("\n"):
        check_discord_row(row)
    for page in slack_blocks.messages(reply):
        for obj in mrkdwn_objects(page.blocks):
            assert obj["verbatim"] is True
            for row in obj["text"].split("\n"):
                check_slack_row(row)
        for row in page.text.split("\n"):
            check_slack_row(row)
    for row in slack_blocks.plain_text(reply).split("\n"):
        check_slack_row(row)
    rows = 1 + sum(1 + bool(section.heading) + len(section.lines) for section in reply.sections)
    assert len(render_text(reply).split("\n")) == rows + (2 if reply.footer else 0)  # no line of untrusted text
