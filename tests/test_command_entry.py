"""One entry command for everything (`/briefing toll …`, name configurable), the read commands still installable
on their own, `briefing manifest` printing the Slack manifest from the command table, and Discord's command tree
from the same table."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml

from bot.discord_chat.adapter import DiscordAdapter
from briefings.service import Briefings
from tests.fakes.slack import FakeSlack
from tests.fakes_discord import FakeDiscord
from tests.test_discord import embed_text, settings_for
from tests.test_slack import MODERATOR, Bot, running, shown

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / "bot" / "slack_chat" / "manifest.yaml"


def briefing_manifest(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", "SLACK_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", "manifest", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_the_checked_in_manifest_is_the_generated_one() -> None:
    done = briefing_manifest()
    assert done.returncode == 0, done.stderr
    assert done.stdout == MANIFEST.read_text(encoding="utf-8"), "run: briefing manifest > bot/slack_chat/manifest.yaml"


def test_manifest_options_name_the_host_the_entry_and_socket_mode() -> None:
    done = briefing_manifest("--host", "bot.example.org", "--command", "brf", "--entry-only", "--socket-mode")
    assert done.returncode == 0, done.stderr
    manifest = yaml.safe_load(done.stdout)
    [entry] = manifest["features"]["slash_commands"]
    assert entry["command"] == "/brf" and entry["url"] == "https://bot.example.org/slack/events"
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert "request_url" not in manifest["settings"]["event_subscriptions"]
    assert "request_url" not in manifest["settings"]["interactivity"]


def test_a_bad_entry_name_is_refused_naming_it() -> None:
    done = briefing_manifest("--command", "Brief Me")
    assert done.returncode == 2 and "'Brief Me' cannot be a slash command" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.fixture
async def bot(sqlite_url: str, fake_slack: FakeSlack) -> AsyncIterator[Bot]:
    async with running(sqlite_url, fake_slack) as started:
        yield started


async def answer(bot: Bot, text: str, user: str = "U0READER") -> str:
    response = await bot.command(text, user=user)
    assert response.status_code == 200, response.text
    try:
        return shown(response.json())
    except json.JSONDecodeError:
        return response.text


async def test_the_entry_command_answers_every_command(bot: Bot) -> None:
    assert "Jableh" in await answer(bot, "/briefing toll Jabla")
    listed = await answer(bot, "/briefing")
    assert "Commands" in listed and "type each command after /briefing: /briefing where" in listed
    assert "type each command after" not in await answer(bot, "/help")  # typed on its own, it needs no note
    assert "Turkey" in await answer(bot, "/briefing reactions turkey")
    assert "Recorded t" in await answer(bot, "/briefing update toll killed=75 source=SOHR", MODERATOR)
    assert "for moderators" in await answer(bot, "/briefing undo")
    assert "48 killed" in await answer(bot, "/briefing ask how many died in jabla")


async def test_the_entry_opens_the_moderators_form_as_the_short_command_did(bot: Bot, fake_slack: FakeSlack) -> None:
    await bot.command("/briefing update", user=MODERATOR)
    [opened] = await fake_slack.wait_for("views.open")
    assert "update_toll" in json.dumps(opened.params)


async def test_the_short_read_commands_still_answer(bot: Bot) -> None:
    assert "At least 70 killed" in await answer(bot, "/toll")
    assert "Timeline" in await answer(bot, "/timeline")


async def test_the_entry_name_is_a_setting(sqlite_url: str, fake_slack: FakeSlack) -> None:
    async with running(sqlite_url, fake_slack, command="brf") as bot:
        assert "Jableh" in await answer(bot, "/brf toll Jabla")


# ---- Discord: the same table makes the command tree


async def test_discord_has_the_entry_group_under_its_configured_name(
    fake_discord: FakeDiscord, sqlite_url: str
) -> None:
    settings = settings_for(sqlite_url).model_copy(update={"command": "brf"})
    briefings = await Briefings.start(settings)
    adapter = DiscordAdapter(briefings, settings, ready_timeout=5, guild_ready_timeout=0.01)
    try:
        await adapter.start()
        [put] = [c for c in fake_discord.calls if c.method == "PUT"]
        names = {command["name"] for command in put.body}
        assert "brf" in names and "briefing" not in names and "where" not in names and "toll" in names
        shown = embed_text(await fake_discord.interact(fake_discord.command("brf where", {"place": "qardaha"})))
        assert "Qardaha" in shown
        assert "Jableh" in embed_text(await fake_discord.interact(fake_discord.command("toll", {"place": "Jabla"})))
    finally:
        await adapter.stop()
        await briefings.close()


async def test_the_entry_command_takes_a_toll_category(bot: Bot) -> None:
    civilians = await answer(bot, "/briefing toll civilians")
    assert "Civilians killed" in civilians and "4 civilians killed" in civilians and "48 killed" not in civilians
    assert "No source has given a figure for displaced" in await answer(bot, "/briefing toll displaced")
