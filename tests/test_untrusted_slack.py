"""Text from people and sources on Slack, through the real Bolt app with signed requests and the fake Web API:
it cannot format, start a new line, mention or auto-link in acknowledgements, answers, channel posts, App Home
and digests; no one can make the bot post their typed words for everyone."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.fakes.slack import FakeSlack
from tests.test_slack import CHANNEL, MODERATOR, READER, Bot, running, shown, toll_state

NOTE = (
    "Revised upward.\n• SOHR: *9999 killed* [t1]\r\n> _official_ ~final~ `code` ```fence``` \u202eevil\u202c "
    "<https://evil.example|click> <!here> <@U0BOSS> <#C0GENERAL> @channel www.evil.example"
)
HOSTILE = "@here *OFFICIAL: EVACUATE NOW* see https://evil.example/now"


def mrkdwn_objects(value: object) -> list[dict[str, Any]]:
    """Every mrkdwn text object in a Block Kit structure."""
    if isinstance(value, dict):
        found = [value] if value.get("type") == "mrkdwn" else []
        return found + [o for item in value.values() for o in mrkdwn_objects(item)]
    if isinstance(value, list):
        return [o for item in value for o in mrkdwn_objects(item)]
    return []


def assert_inert(data: dict[str, Any]) -> None:
    """The note is shown (on its line, with its words) but draws no line, formats nothing, links nothing."""
    blocks = data.get("blocks") or []
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    objects = mrkdwn_objects(blocks)
    assert objects and all(o.get("verbatim") is True for o in objects), objects
    for text in [str(data.get("text") or ""), *(str(o["text"]) for o in objects)]:
        assert not re.search(r"(^|\n)\s*(• SOHR: \S?9999|>|&gt;)", text), text  # no fake line, no quote
        assert "*9999" not in text and "_official_" not in text and "~final~" not in text, text
        assert "`" not in text and "\u202e" not in text, text
        assert not re.search(r"<[!@#h]|://|@(here|channel)|evil\.example", text), text
    assert "9999 killed" in shown({"text": "", "blocks": blocks}) or "9999 killed" in str(data.get("text"))


async def submit_event(bot: Bot, **values: str) -> None:
    """The "New event" form, submitted by a moderator."""
    view = {
        "id": "V0EVENT",
        "type": "modal",
        "callback_id": "add_event",
        "private_metadata": json.dumps({"channel": CHANNEL}),
        "state": {"values": toll_state(**values)},
    }
    payload = {"type": "view_submission", "team": {"id": bot.fake.team_id}, "user": {"id": MODERATOR}, "view": view}
    response = await bot.interact(payload)
    assert response.status_code == 200 and response.text == "", response.text


@pytest.fixture
async def bot(database_url: str, fake_slack: FakeSlack) -> AsyncIterator[Bot]:
    async with running(database_url, fake_slack) as started:
        yield started


async def test_a_multi_line_note_cannot_draw_a_fake_line_or_format_anywhere(bot: Bot, fake_slack: FakeSlack) -> None:
    submitted = await bot.submit_toll(killed="75", source="SOHR", as_of="2025-03-08", note=NOTE)
    assert submitted.status_code == 200 and submitted.text == ""
    await submit_event(bot, date="2025-03-09", text=NOTE, source="SOHR")
    acknowledged = await fake_slack.wait_for("chat.postEphemeral", 2)
    assert_inert(acknowledged[0].params)
    assert_inert(acknowledged[1].params)

    assert_inert((await bot.command("/toll")).json())

    mention = {"type": "app_mention", "user": READER, "text": "<@UBOT> toll", "ts": "7.1", "channel": CHANNEL}
    await bot.event(mention)
    [in_thread] = await fake_slack.wait_for("chat.postMessage")
    assert_inert(in_thread.params)

    await bot.event({"type": "app_home_opened", "user": READER, "channel": "D0HOME", "tab": "home"})
    [home] = await fake_slack.wait_for("views.publish")
    view = home.params["view"]
    assert_inert({"blocks": (json.loads(view) if isinstance(view, str) else view)["blocks"]})

    slug = await bot.briefings.situation_for(f"slack:{CHANNEL}")
    await bot.adapter.post(CHANNEL, await bot.briefings.digest(slug), "d1-2503090800")
    digest = (await fake_slack.wait_for("chat.postMessage", 2))[1]
    assert_inert(digest.params)


async def test_brief_with_typed_words_is_refused_naming_them(bot: Bot, fake_slack: FakeSlack) -> None:
    for command in (f"/brief {HOSTILE}", f"/sources {HOSTILE}", f"/situations {HOSTILE}", f"/digest list {HOSTILE}"):
        data = (await bot.command(command)).json()
        assert set(data) == {"text", "response_type"}, data  # a refusal: no blocks, so no "Post to channel"
        assert "does not take" in data["text"] and "EVACUATE NOW" in data["text"], data["text"]
        assert not re.search(r"<!|\*OFFICIAL|://", data["text"]), data["text"]
    assert not fake_slack.called("chat.postMessage")


async def test_post_to_channel_never_posts_the_typed_words(bot: Bot, fake_slack: FakeSlack) -> None:
    typed = "/where Jableh EVACUATE NOW see https://evil.example/now"
    answer = (await bot.command(typed)).json()
    button = answer["blocks"][-1]["elements"][0]
    payload = {
        "type": "block_actions",
        "team": {"id": fake_slack.team_id},
        "user": {"id": READER, "name": "<!here> *rania* https://evil.example"},
        "channel": {"id": CHANNEL, "name": "test"},
        "container": {"type": "message", "is_ephemeral": True, "channel_id": CHANNEL},
        "response_url": fake_slack.response_url("share"),
        "actions": [{"action_id": "share", "block_id": "share", "type": "button", "value": button["value"]}],
    }
    assert (await bot.interact(payload)).status_code == 200
    [posted] = await fake_slack.wait_for("chat.postMessage")
    everything = json.dumps(posted.params)
    assert "EVACUATE" not in everything and "evil" not in everything.replace("evil.\\u200bexample", "")
    assert "Shared by" in shown(posted.params) and "/where" in shown(posted.params)
    assert "<!here>" not in everything and "*rania*" not in everything


async def test_a_chart_posted_to_the_channel_does_not_carry_the_typed_words(bot: Bot, fake_slack: FakeSlack) -> None:
    await bot.command("/update toll killed=60 place=Jableh source=SOHR as_of=2025-03-08", user=MODERATOR)
    await bot.command("/toll chart Jabla EVACUATE NOW")
    [done] = await fake_slack.wait_for("files.completeUploadExternal")
    comment = str(done.params.get("initial_comment"))
    assert "/toll" in comment and "Jableh" in comment
    assert "EVACUATE" not in comment


async def test_a_form_error_shows_the_typed_value_on_one_line(bot: Bot, fake_slack: FakeSlack) -> None:
    response = await bot.submit_toll(killed="80", source="Nobody Knows\n• 9999 killed [t1]\u202e")
    assert response.status_code == 200, response.text
    errors = response.json()["errors"]
    assert list(errors) == ["source"] and "Nobody" in errors["source"], errors
    assert "\n" not in errors["source"] and "\u202e" not in errors["source"], errors
