"""The Slack adapter end to end on 127.0.0.1: a real Bolt app behind real HTTP (and a Socket Mode websocket),
requests signed exactly as Slack signs them, and every outbound call caught by a fake Slack Web API."""

from __future__ import annotations

import json
import time
import urllib.parse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from slack_sdk.signature import SignatureVerifier

from bot.adapter import PostError
from bot.slack_chat.adapter import SlackAdapter, SlackSetupError
from briefings.reply import Reply
from briefings.service import Briefings
from tests.fakes.slack import SECRET, FakeSlack, bot_settings

MODERATOR = "U0MOD"
READER = "U0READER"
CHANNEL = "C0TEST"


def signed(body: bytes, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Headers exactly as Slack signs a request."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": str(signature)}


def shown(data: dict[str, Any]) -> str:
    """All the text a person would see in a message or a response: `text` and every block's text."""
    parts = [str(data.get("text") or "")]
    for block in data.get("blocks") or []:
        text = block.get("text")
        if isinstance(text, dict):
            parts.append(text.get("text", ""))
        for element in block.get("elements") or []:
            if isinstance(element, dict) and isinstance(element.get("text"), str):
                parts.append(element["text"])
    return "\n".join(parts)


def toll_state(**values: str) -> dict[str, Any]:
    """The `view.state.values` Slack sends for the toll form."""
    state: dict[str, Any] = {}
    for option, value in values.items():
        if option == "qualifier":
            state[option] = {"value": {"type": "static_select", "selected_option": {"value": value}}}
        else:
            state[option] = {"value": {"type": "plain_text_input", "value": value}}
    return state


@dataclass
class Bot:
    fake: FakeSlack
    adapter: SlackAdapter
    briefings: Briefings
    http: httpx.AsyncClient

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.adapter.port}/slack/events"

    async def send(self, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> httpx.Response:
        return await self.http.post(
            self.url, content=body, headers={"Content-Type": content_type, **(headers or signed(body))}
        )

    async def command(
        self, text: str, user: str = READER, channel: str = CHANNEL, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """`/toll jableh` as typed in Slack."""
        name, _, rest = text.partition(" ")
        fields = {
            "token": "legacy",
            "team_id": self.fake.team_id,
            "channel_id": channel,
            "channel_name": "test",
            "user_id": user,
            "user_name": user.lower(),
            "command": name,
            "text": rest,
            "response_url": self.fake.response_url(),
            "trigger_id": "1337.42.trigger",
            "api_app_id": "A0APP",
        }
        body = urllib.parse.urlencode(fields).encode()
        return await self.send(body, "application/x-www-form-urlencoded", headers)

    async def interact(self, payload: dict[str, Any]) -> httpx.Response:
        body = urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()
        return await self.send(body, "application/x-www-form-urlencoded")

    async def event(self, event: dict[str, Any], event_id: str = "") -> httpx.Response:
        body = json.dumps(
            {
                "token": "legacy",
                "team_id": self.fake.team_id,
                "api_app_id": "A0APP",
                "type": "event_callback",
                "event_id": event_id or f"Ev{time.monotonic_ns()}",
                "event_time": int(time.time()),
                "event": event,
            }
        ).encode()
        return await self.send(body, "application/json")

    async def submit_toll(self, user: str = MODERATOR, **values: str) -> httpx.Response:
        view = {
            "id": "V0VIEW",
            "type": "modal",
            "callback_id": "update_toll",
            "private_metadata": json.dumps({"channel": CHANNEL}),
            "state": {"values": toll_state(**values)},
        }
        return await self.interact(
            {
                "type": "view_submission",
                "team": {"id": self.fake.team_id},
                "user": {"id": user, "name": "mod"},
                "view": view,
            }
        )


@asynccontextmanager
async def running(database_url: str, fake_slack: FakeSlack, **extra: Any) -> AsyncIterator[Bot]:
    settings = bot_settings(database_url, fake_slack, **{"moderators": "slack:U0MOD,slack:S0MODS", **extra})
    briefings = await Briefings.start(settings)
    adapter = SlackAdapter(briefings, settings)
    try:
        await adapter.start()
        async with httpx.AsyncClient(timeout=10) as http:
            yield Bot(fake_slack, adapter, briefings, http)
    finally:
        await adapter.stop()
        await briefings.close()


@pytest.fixture
async def bot(sqlite_url: str, fake_slack: FakeSlack) -> AsyncIterator[Bot]:
    async with running(sqlite_url, fake_slack) as started:
        yield started


@pytest.fixture
async def bot_on_each_store(database_url: str, fake_slack: FakeSlack) -> AsyncIterator[Bot]:
    """The bot on SQLite and on PostgreSQL, for tests that write."""
    async with running(database_url, fake_slack) as started:
        yield started


# ---- slash commands


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/toll", ["At least 70 killed", "SOHR"]),
        ("/toll Jabla", ["Jableh", "48 killed"]),
        ("/reactions turkey", ["Turkey", "Warns that targeting the security forces"]),
        ("/timeline", ["Timeline", "Bashar al-Assad is ousted"]),
        ("/where", ["Latakia province", "Jableh (city)"]),
        ("/sources", ["Syrian Observatory for Human Rights", "Reuters"]),
        ("/brief", ["Clashes on Syria's coast", "At least 70 killed"]),
        ("/help", ["Commands", "/toll [category] [place]"]),
        ("/situations", ["syria-coast-2025-03"]),
        ("/history t1", ["History of t1", "loaded by seed"]),
        ("/whatchanged", ["50 facts loaded"]),
        ("/digest list", ["No digest in this channel yet"]),
    ],
)
async def test_each_command_answers_from_the_seed(bot: Bot, text: str, expected: list[str]) -> None:
    response = await bot.command(text)
    assert response.status_code == 200
    data = response.json()
    assert data["response_type"] == "ephemeral"
    assert data["blocks"][0]["type"] == "header"
    seen = shown(data)
    for words in expected:
        assert words in seen, (words, seen[:500])
    assert "Post to channel" in json.dumps(data["blocks"][-1])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/ask is there a curfew?", ["Yes — ", "24-hour curfew", "[m1]"]),
        ("/ask who is SOHR", ["Syrian Observatory for Human Rights", "[t2]"]),
        ("/ask how many died in jabla", ["Read as", "48 killed"]),
        ("/ask how many died in Homs?", ["I don't know a place called", "Homs"]),
        ("/ask", ["Commands"]),
    ],
)
async def test_ask_answers_a_question_in_plain_words(bot: Bot, text: str, expected: list[str]) -> None:
    response = await bot.command(text)
    assert response.status_code == 200
    seen = shown(response.json())
    for words in expected:
        assert words in seen, (words, seen[:500])


async def test_health_and_unknown_paths(bot: Bot) -> None:
    health = await bot.http.get(f"http://127.0.0.1:{bot.adapter.port}/healthz")
    assert health.status_code == 200 and health.json()["ok"] is True


async def test_refusal_is_plain_ephemeral_words(bot: Bot, fake_slack: FakeSlack) -> None:
    response = await bot.command('/update toll killed=500 source="SOHR"')
    data = response.json()
    assert data == {"text": data["text"], "response_type": "ephemeral"}
    assert "Sorry, /update is for moderators" in data["text"]
    assert "Traceback" not in data["text"]
    assert not fake_slack.called("views.open")


async def test_forged_and_stale_signatures_are_refused_and_change_nothing(bot: Bot, fake_slack: FakeSlack) -> None:
    before = len(fake_slack.calls)
    update = '/update toll killed=999 source="SOHR"'
    forged = await bot.command(update, user=MODERATOR, headers=signed(b"another body"))
    other_secret = await bot.command(update, user=MODERATOR, headers=signed(b"", secret="not the secret"))
    body = urllib.parse.urlencode({"command": "/update", "text": update[8:], "user_id": MODERATOR}).encode()
    stale = await bot.send(body, "application/x-www-form-urlencoded", signed(body, timestamp=int(time.time()) - 301))
    unsigned = await bot.http.post(bot.url, content=body)
    assert [r.status_code for r in (forged, other_secret, stale, unsigned)] == [401, 401, 401, 401]
    assert fake_slack.calls[before:] == []
    assert "999" not in shown((await bot.command("/toll")).json())
    genuine = await bot.send(body, "application/x-www-form-urlencoded", signed(body))
    assert genuine.status_code == 200 and "Recorded" in shown(genuine.json())


async def test_slow_answers_ack_at_once_and_follow_up_via_response_url(bot: Bot, fake_slack: FakeSlack) -> None:
    bot.adapter.ack_within = 0
    response = await bot.command("/toll")
    assert response.json()["text"] == "Working on it…"
    [follow_up] = await fake_slack.wait_for("response_url")
    assert "At least 70 killed" in shown(follow_up.params)
    assert follow_up.params["response_type"] == "ephemeral"
    assert follow_up.params["replace_original"] is True


# ---- sharing, mentions, App Home


async def test_post_to_channel_button_posts_the_answer_for_everyone(bot: Bot, fake_slack: FakeSlack) -> None:
    answer = (await bot.command("/toll jableh")).json()
    button = answer["blocks"][-1]["elements"][0]
    assert button["action_id"] == "share"
    payload = {
        "type": "block_actions",
        "team": {"id": fake_slack.team_id},
        "user": {"id": READER, "name": "rania"},
        "channel": {"id": CHANNEL, "name": "test"},
        "container": {"type": "message", "is_ephemeral": True, "channel_id": CHANNEL},
        "response_url": fake_slack.response_url("share"),
        "trigger_id": "1.2.3",
        "actions": [{"action_id": "share", "block_id": "share", "type": "button", "value": button["value"]}],
    }
    assert (await bot.interact(payload)).status_code == 200
    [posted] = await fake_slack.wait_for("chat.postMessage")
    assert posted.params["channel"] == CHANNEL
    seen = shown(posted.params)
    assert "48 killed" in seen and "Shared by rania" in seen
    assert "Post to channel" not in json.dumps(posted.params["blocks"])


async def test_share_where_the_bot_is_not_a_member_explains(bot: Bot, fake_slack: FakeSlack) -> None:
    fake_slack.errors["chat.postMessage"] = "not_in_channel"
    payload = {
        "type": "block_actions",
        "user": {"id": READER, "name": "rania"},
        "channel": {"id": "G0PRIVATE"},
        "response_url": fake_slack.response_url("share"),
        "actions": [{"action_id": "share", "block_id": "share", "type": "button", "value": "/toll"}],
    }
    await bot.interact(payload)
    [told] = await fake_slack.wait_for("response_url")
    assert "Invite me" in told.params["text"]


async def test_a_mention_is_answered_in_the_thread(bot: Bot, fake_slack: FakeSlack) -> None:
    event = {
        "type": "app_mention",
        "user": READER,
        "text": "<@UBOT> toll jableh",
        "ts": "1700000123.000100",
        "channel": CHANNEL,
        "event_ts": "1700000123.000100",
    }
    assert (await bot.event(event, event_id="Ev1")).status_code == 200
    assert (await bot.event(event, event_id="Ev1")).status_code == 200  # Slack's retry of the same event
    [answer] = await fake_slack.wait_for("chat.postMessage")
    assert answer.params["thread_ts"] == "1700000123.000100"
    assert answer.params["channel"] == CHANNEL
    assert "48 killed" in shown(answer.params)
    await bot.adapter.stop()  # lets work in flight finish: a second answer would be posted by now
    assert len(fake_slack.called("chat.postMessage")) == 1


async def test_app_home_shows_the_brief(bot: Bot, fake_slack: FakeSlack) -> None:
    event = {"type": "app_home_opened", "user": READER, "channel": "D0HOME", "tab": "home", "event_ts": "1.2"}
    assert (await bot.event(event)).status_code == 200
    [published] = await fake_slack.wait_for("views.publish")
    assert published.params["user_id"] == READER
    view = published.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert view["type"] == "home"
    assert "At least 70 killed" in shown(view)


# ---- moderator forms


async def test_update_form_opens_for_a_moderator_and_records_the_toll(
    bot_on_each_store: Bot, fake_slack: FakeSlack
) -> None:
    bot = bot_on_each_store
    opened = await bot.command("/update", user=MODERATOR)
    assert opened.status_code == 200
    [call] = fake_slack.called("views.open")
    assert call.params["trigger_id"] == "1337.42.trigger"
    blocks = {b["block_id"] for b in call.params["view"]["blocks"]}
    assert {"killed", "civilians", "security", "insurgents", "wounded", "kidnapped", "qualifier"} <= blocks
    assert {"place", "source", "as_of", "note"} <= blocks

    response = await bot.submit_toll(
        killed="120",
        civilians="60",
        qualifier="at least",
        source="SOHR",
        as_of="2025-03-08",
        note='Says "more" to come',
    )
    assert response.json()["response_action"] == "errors"  # double quotes can't travel in the command text
    assert set(response.json()["errors"]) == {"note"}

    response = await bot.submit_toll(
        killed="120", civilians="60", qualifier="at least", source="SOHR", as_of="2025-03-08"
    )
    assert response.status_code == 200
    assert response.text == ""  # an empty 200 closes the modal
    [told] = await fake_slack.wait_for("chat.postEphemeral")
    assert told.params["user"] == MODERATOR and "Recorded" in shown(told.params)
    toll = shown((await bot.command("/toll")).json())
    assert "At least 120 killed" in toll
    revisions = await bot.briefings.store.history(await bot.briefings.situation_for("slack:C0TEST"), "t4")
    assert revisions[-1].author == "slack:U0MOD"


async def test_form_errors_are_shown_beside_the_field_at_fault(bot: Bot, fake_slack: FakeSlack) -> None:
    response = await bot.submit_toll(killed="-5", source="SOHR")
    data = response.json()
    assert data["response_action"] == "errors"
    assert list(data["errors"]) == ["killed"]
    assert "negative" in data["errors"]["killed"]
    unknown = (await bot.submit_toll(killed="5", source="Nobody Knows")).json()
    assert list(unknown["errors"]) == ["source"]
    assert "At least 70 killed" in shown((await bot.command("/toll")).json())


async def test_non_moderators_get_a_refusal_not_a_form(bot: Bot, fake_slack: FakeSlack) -> None:
    response = await bot.command("/update")
    assert "for moderators" in response.json()["text"]
    assert not fake_slack.called("views.open")
    submitted = (await bot.submit_toll(user=READER, killed="1", source="SOHR")).json()
    assert submitted["response_action"] == "errors" and "for moderators" in next(iter(submitted["errors"].values()))


async def test_a_member_of_a_moderator_user_group_is_a_moderator(bot: Bot, fake_slack: FakeSlack) -> None:
    fake_slack.usergroups["S0MODS"] = ["U0GROUPIE"]
    await bot.command("/add event", user="U0GROUPIE")
    [opened] = fake_slack.called("views.open")
    assert opened.params["view"]["callback_id"] == "add_event"
    assert fake_slack.called("usergroups.users.list")[0].params["usergroup"] == "S0MODS"
    await bot.command("/update", user="U0OTHER")
    assert len(fake_slack.called("views.open")) == 1


# ---- safety


async def test_mentions_in_facts_reach_slack_escaped(bot_on_each_store: Bot, fake_slack: FakeSlack) -> None:
    bot = bot_on_each_store
    added = await bot.command(
        '/add event date=2025-03-07 place=Jableh text="Alert <!channel> and <@U123> & co" source="SOHR"',
        user=MODERATOR,
    )
    assert "&lt;!channel&gt; and &lt;@U123&gt; &amp; co" in shown(added.json())
    # Slack sends what people type with & < > as entities: stored as typed, escaped once on the way out
    typed = await bot.command(
        '/add event date=2025-03-07 text="Tom &amp; Jerry &lt;3 &lt;!here&gt;" source="SOHR"', user=MODERATOR
    )
    assert "Tom &amp; Jerry &lt;3 &lt;!here&gt;" in shown(typed.json()) and "&amp;amp;" not in shown(typed.json())
    event = {"type": "app_mention", "user": READER, "text": "<@UBOT> timeline", "ts": "5.5", "channel": CHANNEL}
    await bot.event(event)
    [posted] = await fake_slack.wait_for("chat.postMessage")
    blocks_text = json.dumps(posted.params["blocks"])
    for raw, escaped in (("<!channel>", "&lt;!channel&gt;"), ("<@U123>", "&lt;@U123&gt;")):
        assert raw not in blocks_text and raw not in posted.params["text"]
        assert escaped in blocks_text and escaped in posted.params["text"]


# ---- digests: post and find_posted


async def test_a_429_is_waited_out_and_the_post_goes_through(bot: Bot, fake_slack: FakeSlack) -> None:
    reply = await bot.briefings.digest(await bot.briefings.situation_for("slack:C0DIGEST"))
    fake_slack.rate_limit("chat.postMessage", retry_after=1)
    started = time.monotonic()
    ts = await bot.adapter.post("C0DIGEST", reply, "run-1")
    assert time.monotonic() - started >= 1
    calls = fake_slack.called("chat.postMessage")
    assert len(calls) == 2 and ts
    assert calls[1].params["metadata"] == {"event_type": "briefing_digest", "event_payload": {"run_key": "run-1"}}
    assert await bot.adapter.find_posted("C0DIGEST", "run-1") == ts
    assert await bot.adapter.find_posted("C0DIGEST", "run-2") is None
    assert fake_slack.called("conversations.history")[0].params["include_all_metadata"] in (True, "1", "true")


@pytest.mark.parametrize(
    ("error", "permanent"), [("channel_not_found", True), ("is_archived", True), ("fatal_error", False)]
)
async def test_post_errors_say_whether_to_retry(bot: Bot, fake_slack: FakeSlack, error: str, permanent: bool) -> None:
    fake_slack.errors["chat.postMessage"] = error
    with pytest.raises(PostError) as raised:
        await bot.adapter.post("C0GONE", Reply("Digest"), "run-9")
    assert raised.value.permanent is permanent and error in str(raised.value)


# ---- Socket Mode and start-up


async def test_socket_mode_answers_the_same_command(sqlite_url: str, fake_slack: FakeSlack) -> None:
    async with running(sqlite_url, fake_slack, slack_app_token="xapp-test") as bot:
        assert bot.adapter.port is None
        [opened] = fake_slack.called("apps.connections.open")
        assert opened.token == "xapp-test"
        payload = {
            "token": "legacy",
            "team_id": fake_slack.team_id,
            "channel_id": CHANNEL,
            "user_id": READER,
            "user_name": "rania",
            "command": "/toll",
            "text": "",
            "response_url": fake_slack.response_url(),
            "trigger_id": "1.2.3",
            "api_app_id": "A0APP",
        }
        ack = await fake_slack.send_envelope("slash_commands", payload)
        assert ack["payload"]["response_type"] == "ephemeral"
        assert "At least 70 killed" in shown(ack["payload"])


async def test_bad_token_fails_at_start_saying_what_to_fix(sqlite_url: str, fake_slack: FakeSlack) -> None:
    fake_slack.errors["auth.test"] = "invalid_auth"
    with pytest.raises(SlackSetupError, match=r"SLACK_BOT_TOKEN.*invalid_auth.*Bot User OAuth Token"):
        async with running(sqlite_url, fake_slack):
            pass


async def test_missing_scopes_fail_at_start(sqlite_url: str, fake_slack: FakeSlack) -> None:
    fake_slack.scopes = "commands,chat:write"
    with pytest.raises(SlackSetupError, match=r"lacks the scopes .*app_mentions:read.*usergroups:read.*reinstall"):
        async with running(sqlite_url, fake_slack):
            pass


async def test_missing_signing_secret_and_bad_app_token(sqlite_url: str, fake_slack: FakeSlack) -> None:
    with pytest.raises(SlackSetupError, match="SLACK_SIGNING_SECRET"):
        async with running(sqlite_url, fake_slack, slack_signing_secret=""):
            pass
    fake_slack.errors["apps.connections.open"] = "invalid_auth"
    with pytest.raises(SlackSetupError, match="SLACK_APP_TOKEN"):
        async with running(sqlite_url, fake_slack, slack_app_token="xapp-bad"):
            pass
