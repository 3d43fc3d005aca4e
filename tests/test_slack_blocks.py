"""Block Kit rendering and the app manifest, without a server."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from bot.slack_chat import blocks, forms
from bot.slack_chat.commands import command_names
from bot.slack_chat.mentions import mention_words
from briefings.reply import Line, Reply, Section, line, problem, strong, untrusted
from briefings.service import Briefings

MANIFEST = Path(__file__).resolve().parent.parent / "bot" / "slack_chat" / "manifest.yaml"


def sentence(n: int) -> str:
    return f"Sentence number {n} says something about the situation that a source reported in some detail."


def long_reply(lines: int, sentences_per_line: int = 1) -> Reply:
    body = [line(" ".join(sentence(i * 100 + j) for j in range(sentences_per_line))) for i in range(lines)]
    return Reply("A long answer", [Section("Heading", body), Section(None, body[:3])], footer=line("footer"))


def section_texts(message: blocks.Message) -> list[str]:
    return [block["text"]["text"] for block in message.blocks if block["type"] == "section"]


def test_untrusted_and_own_text_are_escaped_and_strong_is_bold() -> None:
    reply = Reply(
        "Title <b> & co",
        [Section("Head <x>", [line("Said ", untrusted("<!channel> & <@U123>"), " ", strong(" 70 "), " <!here>")])],
        footer=line("See <https://x|y>"),
    )
    [message] = blocks.messages(reply)
    text = json.dumps(message.blocks)
    assert "<!channel>" not in text and "<@U123>" not in text and "<!here>" not in text and "<https" not in text
    assert section_texts(message) == [
        "*Head &lt;x&gt;*\n• Said &lt;!channel&gt; &amp; &lt;@U123&gt;  *70*  &lt;!here&gt;"
    ]
    assert message.blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Title <b> & co", "emoji": False},
    }
    assert message.blocks[-1]["type"] == "context" and "See &lt;https://x|y&gt;" in json.dumps(message.blocks[-1])
    assert message.text.startswith("Title &lt;b&gt; &amp; co") and "&lt;!channel&gt;" in message.text


def test_long_replies_split_at_line_boundaries_within_slack_limits() -> None:
    reply = long_reply(400)
    pages = blocks.messages(reply, share="/timeline")
    assert len(pages) > 1
    every_line = [sentence(i * 100) for i in range(400)]
    seen: list[str] = []
    for page in pages:
        assert len(page.blocks) <= blocks.MESSAGE_BLOCKS
        assert len(json.dumps(page.blocks)) < 16_000
        for text in section_texts(page):
            assert len(text) <= blocks.SECTION_CHARS
            seen += [t.removeprefix("• ") for t in text.split("\n") if t.startswith("• ")]
    assert seen[:400] == every_line  # every line whole, in order
    assert pages[-1].blocks[-1]["type"] == "actions" and all(p.blocks[-1]["type"] != "actions" for p in pages[:-1])
    assert pages[0].blocks[0]["type"] == "header"


def test_a_giant_line_is_cut_between_sentences() -> None:
    reply = Reply("One huge line", [Section(None, [line(" ".join(sentence(i) for i in range(80)))])])
    [message] = blocks.messages(reply)
    texts = section_texts(message)
    assert len(texts) >= 3 and all(len(t) <= blocks.SECTION_CHARS for t in texts)
    for text in texts:
        assert text.rstrip().endswith("detail.")


def test_the_header_is_cut_at_a_word_and_app_home_stays_under_100_blocks() -> None:
    assert len(blocks.header_text("word " * 100)) <= blocks.HEADER_CHARS
    view = blocks.home_view(long_reply(2000))
    assert view["type"] == "home" and len(view["blocks"]) <= blocks.HOME_BLOCKS
    assert "use /brief" in json.dumps(view["blocks"][-1])


def test_problems_are_plain_escaped_words() -> None:
    text = blocks.plain_text(problem("Not recorded — note: <oops>", "Nothing was changed."))
    assert text == "Not recorded — note: &lt;oops&gt;\n\n• Nothing was changed."


def test_forms_build_quoted_commands_and_map_errors() -> None:
    state = {
        "killed": {"value": {"type": "plain_text_input", "value": " 120 "}},
        "qualifier": {"value": {"type": "static_select", "selected_option": {"value": "more than"}}},
        "place": {"value": {"type": "plain_text_input", "value": None}},
        "source": {"value": {"type": "plain_text_input", "value": "Syrian Observatory"}},
        "confirm": {"value": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}},
    }
    assert forms.command_text(forms.TOLL, state) == (
        '/update toll killed="120" qualifier="more than" source="Syrian Observatory" confirm="yes"'
    )
    bad = problem("Not recorded — as_of: 2030-01-01 is in the future")
    bad.at_fault = "as_of"
    assert forms.field_errors(forms.TOLL, bad) == {"as_of": "2030-01-01 is in the future"}
    general = problem("Sorry, /update is for moderators.")
    assert forms.field_errors(forms.TOLL, general) == {"killed": "Sorry, /update is for moderators."}
    assert forms.NAMED["toll"] is forms.TOLL and forms.NAMED["event"] is forms.EVENT
    view = forms.view(forms.EVENT, "C1")
    assert json.loads(view["private_metadata"]) == {"channel": "C1"} and view["callback_id"] == "add_event"


def test_the_manifest_declares_every_command_scope_and_event() -> None:
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    declared = {c["command"] for c in manifest["features"]["slash_commands"]}
    assert declared == {"/briefing", "/ask", "/brief", "/toll", "/reactions", "/timeline"}
    answered = {f"/{name}" for name in command_names(Briefings.command_names(), "briefing")}
    assert declared <= answered
    for command in manifest["features"]["slash_commands"]:
        assert command["url"] == "https://YOUR-HOST/slack/events" and len(command.get("usage_hint", "")) <= 100
        assert 0 < len(command["description"]) <= 100
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "chat:write.public", "app_mentions:read", "usergroups:read", "im:write"} <= scopes
    assert "files:write" in scopes
    assert set(manifest["settings"]["event_subscriptions"]["bot_events"]) == {"app_mention", "app_home_opened"}
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_detail_lines_are_indented() -> None:
    assert blocks.mrkdwn_line(Line(line("a").spans, 1)).startswith(blocks.BULLETS[1])


def test_a_mention_asks_the_words_after_it() -> None:
    assert mention_words("<@UBOT> toll jableh", "UBOT") == "toll jableh"
    assert mention_words("hey <@UBOT|briefing>  /brief", "UBOT") == "/brief"
    assert mention_words("toll jableh <@UBOT>", "UBOT") == "toll jableh"
    assert mention_words("<@UBOT>", "UBOT") == "/help"
    assert mention_words('<@UBOT> add event text="<@U5> said"', "UBOT") == 'add event text="<@U5> said"'
    assert mention_words("<@UOTHER> toll") == "toll"
