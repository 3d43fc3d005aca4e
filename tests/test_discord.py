"""The Discord adapter end to end: the real discord.py client against a fake Discord on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import discord
import pytest

from bot.adapter import PostError
from bot.discord_chat import render
from bot.discord_chat.adapter import DiscordAdapter, DiscordSetupError
from bot.settings import Settings
from briefings.commands.table import COMMANDS
from briefings.facts import Toll
from briefings.reply import Reply, Section, line, untrusted
from briefings.service import Briefings
from tests.conftest import SEEDS
from tests.fakes_discord import APP_ID, CHANNEL_ID, GUILD_ID, MOD_ROLE, FakeDiscord

Json = dict[str, Any]
EPHEMERAL = 64
MODERATOR: Json = {"user_id": "111"}
MODERATOR_BY_ROLE: Json = {"user_id": "333", "roles": [MOD_ROLE]}
MEMBER: Json = {"user_id": "222"}


def settings_for(database_url: str, **extra: Any) -> Settings:
    return Settings(
        **{
            "database_url": database_url,
            "seeds": SEEDS,
            "moderators": "discord:user:111,discord:role:999",
            "discord_token": "test-token",
            "discord_guild_ids": GUILD_ID,
            **extra,
        }
    )


@dataclass
class Running:
    fake: FakeDiscord
    adapter: DiscordAdapter
    briefings: Briefings

    async def ask(self, name: str, options: Json | None = None, **who: Any) -> Json:
        """Runs a slash command; returns the callback body."""
        return await self.fake.interact(self.fake.command(name, options, **(who or MEMBER)))

    async def toll_count(self) -> int:
        slug = await self.briefings.situation_for(f"discord:{CHANNEL_ID}")
        return len((await self.briefings.store.snapshot(slug)).all(Toll))


def inputs_of(form: Json) -> dict[str, Json]:
    """The modal's text inputs by custom id, in order."""
    return {row["components"][0]["custom_id"]: row["components"][0] for row in form["data"]["components"]}


def embed_text(body: Json) -> str:
    """Everything shown in a callback's or message's embeds."""
    data = body.get("data", body)
    out = []
    for embed in data.get("embeds") or []:
        out += [embed.get("title") or "", embed.get("description") or "", (embed.get("footer") or {}).get("text", "")]
        out += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
    return "\n".join(out)


def content_bodies(fake: FakeDiscord) -> list[Json]:
    """Every recorded body that posts or edits a message with content or embeds."""
    found = []
    for call in fake.calls:
        if not isinstance(call.body, dict):
            continue
        body = call.body.get("data") if call.path.endswith("/callback") else call.body
        if isinstance(body, dict) and (body.get("content") or body.get("embeds")):
            found.append(body)
    return found


def assert_no_pings(fake: FakeDiscord) -> None:
    bodies = content_bodies(fake)
    assert bodies
    for body in bodies:
        assert body.get("allowed_mentions") == {"parse": []}, body


@pytest.fixture
def fake(fake_discord: FakeDiscord) -> FakeDiscord:
    return fake_discord


async def running(fake: FakeDiscord, database_url: str, **extra: Any) -> AsyncIterator[Running]:
    settings = settings_for(database_url, **extra)
    briefings = await Briefings.start(settings)
    adapter = DiscordAdapter(briefings, settings, ready_timeout=5, guild_ready_timeout=0.01)
    try:
        await adapter.start()
        yield Running(fake, adapter, briefings)
        assert_no_pings(fake) if content_bodies(fake) else None
    finally:
        await adapter.stop()
        await briefings.close()


@pytest.fixture
async def bot(fake: FakeDiscord, sqlite_url: str) -> AsyncIterator[Running]:
    async for value in running(fake, sqlite_url):
        yield value


async def test_commands_are_synced_to_the_guild_with_moderator_commands_hidden(bot: Running) -> None:
    puts = [c for c in bot.fake.calls if c.method == "PUT"]
    assert [c.path for c in puts] == [f"/applications/{APP_ID}/guilds/{GUILD_ID}/commands"]
    commands = {command["name"]: command for command in puts[0].body}
    short = {"brief", "toll", "reactions", "timeline"}
    public = {"ask"} | {name for name, command in COMMANDS.items() if not command.moderators_only}
    moderators = {name for name, command in COMMANDS.items() if command.moderators_only}
    assert public >= short | {"where", "sources", "whatchanged", "help", "situations", "history", "digest"}
    assert moderators >= {"update", "add", "correct", "retract", "undo", "situation", "review"}
    menus = {"Propose facts"}  # on a message's context menu (tests/test_discord_review.py)
    assert set(commands) == {"briefing"} | short | moderators | menus  # one entry group; the rest out of the way
    entry = {sub["name"]: sub for sub in commands["briefing"]["options"]}
    assert set(entry) == public and all(sub["type"] == 1 for sub in entry.values())
    assert entry["where"]["options"][0]["autocomplete"] is True
    manage_messages = str(discord.Permissions(manage_messages=True).value)
    for name in moderators:
        assert str(commands[name]["default_member_permissions"]) == manage_messages, name
    for name in short | {"briefing"}:
        assert commands[name].get("default_member_permissions") is None, name
    update = {option["name"]: option for option in commands["update"]["options"]}
    assert update["killed"]["type"] == 4 and update["killed"]["min_value"] == 0
    assert update["confirm"]["type"] == 5
    assert [c["value"] for c in update["qualifier"]["choices"]] == ["at least", "about", "more than", "exactly"]
    assert update["place"]["autocomplete"] is True
    assert {o["name"] for o in commands["correct"]["options"]} == {"id", "fields", "reason"}
    assert commands["toll"]["options"][0]["autocomplete"] is True


async def test_read_commands_answer_ephemerally_from_the_seed(bot: Running) -> None:
    toll = await bot.ask("toll")
    assert toll["type"] == 4 and toll["data"]["flags"] == EPHEMERAL
    assert "At least 70 killed" in embed_text(toll) and "SOHR" in embed_text(toll)
    assert toll["data"]["components"][0]["components"][0]["label"] == "Post to channel"
    jableh = embed_text(await bot.ask("toll", {"place": "Jabla"}))
    assert "Death toll" in jableh and "Jableh" in jableh and "48 killed" in jableh
    assert "Turkey" in embed_text(await bot.ask("reactions", {"actor": "turkey"}))
    assert "Thu 6 Mar 2025" in embed_text(await bot.ask("timeline"))
    assert "Latakia province" in embed_text(await bot.ask("briefing where"))
    assert "Qardaha" in embed_text(await bot.ask("briefing where", {"place": "qardaha"}))
    assert "Syrian Observatory for Human Rights" in embed_text(await bot.ask("briefing sources"))
    brief = await bot.ask("brief")
    assert brief["data"]["flags"] == EPHEMERAL and "70" in embed_text(brief)
    help_ = embed_text(await bot.ask("briefing help"))
    assert "/toll" in help_ and "/update" not in help_  # members see no moderator commands
    assert "/update toll" in embed_text(await bot.ask("briefing help", {"command": "update"}))
    assert "[t1]" in embed_text(await bot.ask("briefing history", {"id": "t1"}))
    assert_no_pings(bot.fake)


async def test_ask_answers_from_everything_recorded(bot: Running) -> None:
    curfew = embed_text(await bot.ask("briefing ask", {"question": "is there a curfew?"}))
    assert "Yes — " in curfew and "[m1]" in curfew and "a search of everything recorded" in curfew
    asked = await bot.ask("briefing ask", {"question": "how many died in Homs?"})
    homs = embed_text(asked) + str(asked["data"].get("content") or "")
    assert "I don't know a place called" in homs and "Homs" in homs and "70" not in homs
    assert "[s1]" in embed_text(await bot.ask("briefing ask", {"question": "who is SOHR?"}))
    assert_no_pings(bot.fake)


async def test_autocomplete_matches_names_aliases_and_spellings(bot: Running) -> None:
    async def complete(command: str, option: str, value: str) -> list[str]:
        body = await bot.fake.interact(bot.fake.autocomplete(command, option, value, **MEMBER))
        assert body["type"] == 8
        choices = body["data"]["choices"]
        assert len(choices) <= 25
        return [choice["value"] for choice in choices]

    assert (await complete("toll", "place", "Jab"))[0] == "Jableh"
    assert (await complete("briefing where", "place", "Lattakia"))[0] == "Latakia"
    assert (await complete("toll", "place", "qardah"))[0] == "Qardaha"
    assert "Jableh" in await complete("update", "place", "Jebla")
    assert "Turkey" in await complete("reactions", "actor", "turk")
    assert len(await complete("toll", "place", "")) >= 5


async def test_a_member_cannot_update(bot: Running) -> None:
    before = await bot.toll_count()
    refused = await bot.ask("update", {"killed": 500, "source": "SOHR"}, **MEMBER)
    assert refused["type"] == 4 and refused["data"]["flags"] == EPHEMERAL
    assert "for moderators" in refused["data"]["content"] and not refused["data"].get("embeds")
    no_form = await bot.ask("update", **MEMBER)
    assert no_form["type"] == 4 and "for moderators" in no_form["data"]["content"]
    assert await bot.toll_count() == before


@pytest.mark.parametrize("who", [MODERATOR, MODERATOR_BY_ROLE], ids=["user", "role"])
async def test_a_moderator_updates_through_the_form(discord_bot: Running, who: Json) -> None:
    bot = discord_bot
    form = await bot.ask("update", **who)
    assert form["type"] == 9
    inputs = [row["components"][0] for row in form["data"]["components"]]
    ids = {i["custom_id"].split(":")[-1]: i["custom_id"] for i in inputs}
    assert list(ids) == ["killed", "civilians", "source", "as_of", "note"]
    values = {ids["killed"]: "120", ids["civilians"]: "60", ids["source"]: "SOHR"}
    values |= {ids["as_of"]: "2025-03-08T18:00", ids["note"]: "Revised upward"}
    done = await bot.fake.interact(bot.fake.modal_submit(form["data"]["custom_id"], values, **who))
    assert done["type"] == 4 and done["data"]["flags"] == EPHEMERAL
    assert "Recorded" in embed_text(done) and "120" in embed_text(done)
    assert "120 killed**, according to SOHR" in embed_text(await bot.ask("toll"))

    again = await bot.ask("update", **who)
    values = {ids["killed"]: "-5", ids["source"]: "SOHR"}
    invalid = await bot.fake.interact(bot.fake.modal_submit(again["data"]["custom_id"], values, **who))
    content = invalid["data"]["content"]
    assert invalid["data"]["flags"] == EPHEMERAL and "killed" in content and "Killed (total)" in content
    assert "Traceback" not in content


async def test_a_moderator_updates_with_typed_options(bot: Running) -> None:
    options = {"killed": 130, "qualifier": "about", "place": "Jabla", "source": "SOHR", "as_of": "2025-03-08"}
    done = await bot.ask("update", options, **MODERATOR)
    assert "Recorded" in embed_text(done)
    assert "about 130 killed" in embed_text(await bot.ask("toll", {"place": "Jableh"}))


def share_id(answer: Json) -> str | None:
    """The custom id of the answer's "Post to channel" button, if it has one."""
    buttons = [b for row in answer["data"].get("components") or [] for b in row["components"]]
    return next((b["custom_id"] for b in buttons if b.get("label") == "Post to channel"), None)


async def test_the_share_button_posts_the_answer_to_the_channel(bot: Running) -> None:
    answer = await bot.ask("briefing sources", **MEMBER)
    assert share_id(answer) == "briefing:share:/sources"
    message = bot.fake.message_for(answer)
    click = bot.fake.button(message, "briefing:share:/sources", **MEMBER)
    clicked = await bot.fake.interact(click)
    assert clicked["type"] == 7 and clicked["data"]["components"] == []
    posted = bot.fake.messages[CHANNEL_ID]
    assert len(posted) == 1 and posted[0]["content"] == "Shared by user222 · /sources"
    assert embed_text(posted[0]) == embed_text(answer)
    sent = [c for c in bot.fake.calls if c.method == "POST" and c.path == f"/channels/{CHANNEL_ID}/messages"]
    assert sent[0].body["allowed_mentions"] == {"parse": []}
    assert_no_pings(bot.fake)


async def test_only_answers_the_core_calls_shareable_offer_the_share_button(bot: Running) -> None:
    assert share_id(await bot.ask("toll", {"place": "Jableh"})) == "briefing:share:/toll"
    assert share_id(await bot.ask("briefing digest", {"args": "list"}, **MODERATOR)) == "briefing:share:/digest"
    options = {"killed": 140, "source": "SOHR", "as_of": "2025-03-09"}
    recorded = await bot.ask("update", options, **MODERATOR)
    assert "Recorded" in embed_text(recorded) and share_id(recorded) is None  # a moderator's change
    subscribed = await bot.ask("briefing digest", {"args": "subscribe 08:00 UTC"}, **MODERATOR)
    assert "subscribe" in embed_text(subscribed).lower() and share_id(subscribed) is None  # changes the channel


async def test_a_share_button_from_before_still_posts(bot: Running) -> None:
    answer = await bot.ask("briefing sources", **MEMBER)
    message = bot.fake.message_for(answer)
    [[button]] = [row["components"] for row in message["components"]]
    button["custom_id"] = "briefing:share"  # as answers carried it before the button said which command
    await bot.fake.interact(bot.fake.button(message, "briefing:share", **MEMBER))
    [posted] = bot.fake.messages[CHANNEL_ID]
    assert posted["content"] == "Shared by user222" and embed_text(posted) == embed_text(answer)


async def test_mentions_in_facts_are_escaped_and_cannot_ping(bot: Running) -> None:
    text = "@everyone <@123> <@&999> gather at the port"
    fields = f'date=2025-03-07 place=Jableh text="{text}" source=SOHR'
    added = await bot.ask("add", {"kind": "event", "fields": fields}, **MODERATOR)
    assert "Recorded" in embed_text(added)
    timeline = embed_text(await bot.ask("timeline"))
    for shown in (embed_text(added), timeline):
        assert "gather at the port" in shown
        assert "@everyone" not in shown and "<@123>" not in shown and "<@&999>" not in shown
        assert "@\u200beveryone" in shown
    assert_no_pings(bot.fake)


async def test_answers_are_deferred_when_slow(bot: Running) -> None:
    bot.adapter.defer_after = 0
    interaction = bot.fake.command("brief", **MEMBER)
    deferred = await bot.fake.interact(interaction)
    assert deferred["type"] == 5 and deferred["data"]["flags"] == EPHEMERAL
    follow = await bot.fake.wait_for(lambda: bot.fake.followups(interaction))
    assert "70" in embed_text(follow[0].body) and follow[0].body["allowed_mentions"] == {"parse": []}


async def test_the_bot_keeps_answering_after_a_resumed_disconnect(bot: Running) -> None:
    await bot.fake.drop(4000)
    resume = await bot.fake.wait_for(lambda: [op for op in bot.fake.gateway_ops if op.get("op") == 6])
    assert resume[0]["d"]["session_id"] == "fake-session" and resume[0]["d"]["token"] == "test-token"
    assert bot.fake.gateway_paths == ["/gateway", "/resume"]
    assert "At least 70 killed" in embed_text(await bot.ask("toll"))


async def test_post_and_find_posted(bot: Running) -> None:
    reply = Reply("Digest", [Section(None, [line("New: ", untrusted("@here figures"))])], line("Digest for today"))
    message_id = await bot.adapter.post(CHANNEL_ID, reply, "d7-2503080800")
    sent = [c for c in bot.fake.calls if c.method == "POST" and c.path == f"/channels/{CHANNEL_ID}/messages"]
    assert sent[-1].body["nonce"] == "d7-2503080800" and sent[-1].body["enforce_nonce"] is True
    assert sent[-1].body["allowed_mentions"] == {"parse": []}
    assert sent[-1].body["embeds"][0]["footer"]["text"].endswith("ref d7-2503080800")
    assert message_id == bot.fake.messages[CHANNEL_ID][-1]["id"]
    bot.fake.messages[CHANNEL_ID][-1]["nonce"] = None  # nonces are not kept in history: the footer finds it
    assert await bot.adapter.find_posted(CHANNEL_ID, "d7-2503080800") == message_id
    assert await bot.adapter.find_posted(CHANNEL_ID, "d7-2503090800") is None

    bot.fake.forbidden_channels.add(CHANNEL_ID)
    with pytest.raises(PostError) as refused:
        await bot.adapter.post(CHANNEL_ID, reply, "d7-2503090800")
    assert refused.value.permanent
    with pytest.raises(PostError) as unknown:
        await bot.adapter.post("not-a-channel", reply, "d7-2503090800")
    assert unknown.value.permanent


async def test_a_rejected_token_says_what_to_fix(fake: FakeDiscord, sqlite_url: str) -> None:
    fake.token = "the-real-token"
    settings = settings_for(sqlite_url)
    briefings = await Briefings.start(settings)
    try:
        adapter = DiscordAdapter(briefings, settings, ready_timeout=5, guild_ready_timeout=0.01)
        with pytest.raises(DiscordSetupError, match="DISCORD_TOKEN") as failed:
            await adapter.start()
        assert "Reset Token" in str(failed.value)
        assert [(c.method, c.path) for c in fake.calls] == [("GET", "/users/@me")]
    finally:
        await briefings.close()


async def test_long_answers_are_split_into_messages_within_limits(
    bot: Running, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At most three messages, each within Discord's limits; the rest is counted, never dropped in silence."""
    lines = [line(f"Event {n}: ", untrusted("x" * 300)) for n in range(60)]
    long_reply = Reply("A long answer", [Section("Everything", lines)], line("the end"))

    async def answer(text: str, caller: Any, request_id: str = "") -> Reply:
        return long_reply

    monkeypatch.setattr(bot.briefings, "handle", answer)
    interaction = bot.fake.command("timeline", **MEMBER)
    first = await bot.fake.interact(interaction)
    assert len(render.render(long_reply)) > 3
    follow = await bot.fake.wait_for(lambda: len(bot.fake.followups(interaction)) == 2)
    await asyncio.sleep(0.2)
    follow = bot.fake.followups(interaction)
    assert len(follow) == 2
    bodies = [first["data"], *(c.body for c in follow)]
    shown = "\n".join(embed_text(body) for body in bodies)
    listed = [n for n in range(60) if f"Event {n}: " in shown]
    assert listed == list(range(len(listed))) and len(listed) > 20
    [more] = [text for text in shown.splitlines() if " more" in text]
    assert f"{60 - len(listed)} more" in more and "Everything" in more and "/timeline" in more, more
    for body in bodies:
        assert body["flags"] == EPHEMERAL and len(body["embeds"]) <= 10
        assert sum(len(discord.Embed.from_dict(e)) for e in body["embeds"]) <= 6000
        assert all(len(e.get("description", "")) <= 4096 for e in body["embeds"])
        assert all(d.startswith("**") or d.startswith("•") for d in (e["description"] for e in body["embeds"]))


async def test_failures_answer_in_plain_words_and_are_logged(
    bot: Running, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(text: str, caller: Any, request_id: str = "") -> Reply:
        raise RuntimeError("database exploded")

    monkeypatch.setattr(bot.briefings, "handle", broken)
    answer = await bot.ask("toll")
    assert answer["data"]["flags"] == EPHEMERAL
    assert answer["data"]["content"].startswith("Something went wrong on my side")
    assert "exploded" not in answer["data"]["content"] and "Traceback" not in answer["data"]["content"]
    assert any("/toll failed for user 222" in r.getMessage() and r.exc_info for r in caplog.records)
