"""The Discord adapter's pure parts: embeds within limits, inert untrusted text, command text, name matching."""

from __future__ import annotations

import discord
import pytest

from bot.discord_chat import render
from bot.discord_chat.escape import inert
from bot.discord_chat.text import command_text, quoted
from briefings.commands.parse import parse
from briefings.names import NameIndex
from briefings.reply import Line, Reply, Section, line, strong, untrusted
from briefings.suggest import commands as complete_commands
from briefings.suggest import matches

PLACES = [
    ("p1", "Latakia", ["Lattakia", "Al-Ladhiqiyah"]),
    ("p2", "Latakia province", ["Lattakia province"]),
    ("p5", "Jableh", ["Jabla", "Jeble"]),
    ("p6", "Qardaha", ["Al-Qardaha", "Kardaha"]),
    ("p7", "Beit Anan", []),
]


def check_limits(messages: list[list[discord.Embed]]) -> None:
    assert messages
    for embeds in messages:
        assert 1 <= len(embeds) <= render.EMBEDS_PER_MESSAGE
        assert render.embeds_size(embeds) <= render.MESSAGE_LIMIT
        for embed in embeds:
            assert len(embed.title or "") <= render.TITLE_LIMIT
            assert len(embed.description or "") <= render.DESCRIPTION_LIMIT
            assert len(embed.footer.text or "") <= render.FOOTER_LIMIT
            assert len(embed.fields) <= 25


def shown(messages: list[list[discord.Embed]]) -> str:
    return "\n".join(embed.description or "" for embeds in messages for embed in embeds)


@pytest.mark.parametrize(
    "reply",
    [
        Reply("Short", [Section(None, [line("one line")])]),
        Reply("T" * 400, [Section("H" * 300, [line("x" * 9000)])], line("f" * 3000)),
        Reply("Many", [Section(f"Section {n}", [line(untrusted("y" * 200)) for _ in range(10)]) for n in range(30)]),
        Reply("Empty"),
    ],
    ids=["short", "oversized", "many-sections", "empty"],
)
def test_every_reply_fits_discord_limits(reply: Reply) -> None:
    check_limits(render.render(reply, render.run_marker("d1-2503080800")))


def test_long_replies_split_at_line_boundaries_and_keep_every_line() -> None:
    lines = [line(f"Line {n:03d} ", untrusted("z" * 150)) for n in range(200)]
    reply = Reply("Timeline", [Section("Day one", lines[:100]), Section("Day two", lines[100:])], line("Sources: SOHR"))
    messages = render.render(reply, render.run_marker("u3-abc"))
    check_limits(messages)
    assert len(messages) > 1
    text = shown(messages)
    for n in range(200):
        assert text.count(f"Line {n:03d} ") == 1
    for embeds in messages:
        for embed in embeds:
            assert all(row.startswith(("•", "**Day")) for row in (embed.description or "").split("\n") if row)
        assert embeds[-1].footer.text == "Sources: SOHR · ref u3-abc"
    assert messages[0][0].title == "Timeline" and messages[1][0].title == "Timeline (continued)"
    packed = sum(render.embeds_size(embeds) for embeds in messages) / len(messages)
    assert packed > 4500  # messages are filled, not one small embed each


def test_untrusted_text_is_inert_and_strong_text_bold() -> None:
    reply = Reply(
        "Reactions",
        [
            Section(
                "Statements",
                [line(strong("Turkey"), ": ", untrusted("@everyone <@123> <@&999> **loud** @here\n# big"))],
            )
        ],
    )
    description = render.render(reply)[0][0].description or ""
    assert description.startswith("**Statements**\n• **Turkey**: ")
    assert "@everyone" not in description and "@here" not in description
    assert "<@123>" not in description and "<@&999>" not in description
    assert "\\*\\*loud\\*\\*" in description and "\n#" not in description
    assert inert("<#42> and <@!1234567890123456789>") == "<\u200b#42> and <\u200b@!1234567890123456789>"


def test_refusals_are_plain_escaped_words() -> None:
    reply = Reply("There is no fact “@everyone”.", [Section(None, [line("Ids look like t1.")])])
    text = render.content(reply)
    assert text.startswith("**There is no fact “@\u200beveryone”.**") and len(text) <= render.CONTENT_LIMIT
    assert len(render.content(Reply("x", [Section(None, [line("y" * 5000)])]))) == render.CONTENT_LIMIT


def test_command_text_reads_back_as_the_same_options() -> None:
    text = command_text(
        "update",
        ["toll"],
        {"killed": 5, "place": "Beit Anan", "source": 'the "SOHR"', "note": None, "confirm": True, "low": 0},
    )
    assert text == '/update toll killed=5 place="Beit Anan" source="the \'SOHR\'" confirm=yes low=0'
    request = parse(text)
    assert request.words == ["toll"]
    assert request.options == {
        "killed": "5",
        "place": "Beit Anan",
        "source": "the 'SOHR'",
        "confirm": "yes",
        "low": "0",
    }
    assert parse(command_text("toll", ["Beit Anan"])).rest == "Beit Anan"
    assert command_text("toll", [None]) == "/toll"
    assert command_text("add", ["event"], raw=' text="a b" ') == '/add event text="a b"'
    assert quoted("  spaced   out ") == '"spaced out"'


def test_name_matching_for_autocomplete() -> None:
    index = NameIndex.build("place", PLACES)
    assert matches(index, PLACES, "Jab")[0] == "Jableh"
    assert matches(index, PLACES, "Lattakia")[:2] == ["Latakia", "Latakia province"]
    assert matches(index, PLACES, "qardah")[0] == "Qardaha"
    assert matches(index, PLACES, "anan")[0] == "Beit Anan"
    assert matches(index, PLACES, "") == [name for _, name, _ in PLACES]
    assert matches(index, PLACES, "zzzzzz") == []
    assert complete_commands("/to") == ["toll"]


def test_lines_render_with_bullets() -> None:
    assert render.line_markdown(Line((untrusted("detail"),), 1)) == "\u2003– detail"
