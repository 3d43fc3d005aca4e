"""What moderators read and type: `/help add` with each kind's options, one vocabulary for chat options and
situation files, verbs that agree with collective names, no /undo offered after an undo, and digest times said
the same way everywhere in the subscription's own zone. Through the Slack endpoint (signed requests to the
real Bolt app on 127.0.0.1) and `briefing load` as a subprocess; posted digests through the runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from briefings.service import Briefings
from tests.fakes.slack import FakeSlack
from tests.test_digest_runner import SLOT, RecordingPoster, runner_for, subscribe
from tests.test_slack import MODERATOR, Bot, running, shown

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
async def slack(sqlite_url: str) -> AsyncIterator[Bot]:
    fake = await FakeSlack().start()
    try:
        async with running(sqlite_url, fake) as bot:
            yield bot
    finally:
        await fake.stop()


async def say(bot: Bot, text: str, user: str = MODERATOR) -> str:
    response = await bot.command(text, user=user)
    assert response.status_code == 200
    try:
        data: dict[str, Any] = response.json()
    except json.JSONDecodeError:
        return response.text
    return shown(data)


async def test_help_add_shows_the_options_of_each_kind(slack: Bot) -> None:
    text = await say(slack, "/help add")
    for kind in ("event", "reaction", "measure", "claim", "source", "place", "actor"):
        assert f"/add {kind}" in text
    assert "stance=condemns|supports|warns" in text
    assert "/add place name=" in text and "|village|area (default area)" in text


async def test_help_add_event_shows_that_kind_only(slack: Bot) -> None:
    text = await say(slack, "/help add event")
    assert "I don't know" not in text
    assert "/add event date=" in text and "text=" in text and "source=" in text
    assert "actors=" in text and "stance=" not in text
    assert "Also accepted: when= for date=" in text


async def test_field_names_from_files_are_accepted_as_chat_options(slack: Bot) -> None:
    text = await say(slack, '/add event when=2025-03-08 places="Jableh" text="Shops reopened" source=SOHR')
    assert "Recorded e" in text, text
    text = await say(slack, '/add actor name="Coastal elders" type=community-body')
    assert "Recorded a" in text and "community-body" in text, text
    text = await say(slack, '/add event when=2025-03-08 date=2025-03-08 text="Twice" source=SOHR')
    assert "when= and date= are the same thing" in text and "Nothing was changed" in text


SITUATION = """
situation:
  slug: harbour-fire-2024
  title: Harbour warehouse fire
  region: A port district
  timezone: Europe/Lisbon
sources:
  - name: Port authority
    kind: government-body
places:
  - name: North quay
    province: Port district
    kind: area
actors:
  - name: Dock workers
    kind: community-body
events:
  - date: 2024-08-02
    place: North quay
    text: A fire breaks out in a grain warehouse.
    source: Port authority
claims:
  - actor: Dock workers
    date: 2024-08-03
    text: Alarms did not sound.
    source: Port authority
"""


def briefing(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env["BRIEFING_DATABASE_URL"] = f"sqlite:///{cwd / 'b.db'}"
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_situation_files_take_the_chat_words(tmp_path: Path) -> None:
    (tmp_path / "harbour.yaml").write_text(SITUATION, encoding="utf-8")
    done = briefing("load", "harbour.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    done = briefing("ask", "/situation use harbour-fire-2024", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    done = briefing("ask", "/where North quay", cwd=tmp_path)
    assert "A fire breaks out in a grain warehouse" in done.stdout, done.stdout
    done = briefing("ask", "/reactions Dock workers", cwd=tmp_path)
    assert "Dock workers assert: Alarms did not sound." in done.stdout, done.stdout


def test_a_file_giving_both_words_for_one_field_is_refused_naming_them(tmp_path: Path) -> None:
    both = SITUATION.replace("  - date: 2024-08-02\n", "  - date: 2024-08-02\n    when: 2024-08-02\n")
    (tmp_path / "harbour.yaml").write_text(both, encoding="utf-8")
    done = briefing("load", "--dry-run", "harbour.yaml", cwd=tmp_path)
    assert done.returncode == 1
    assert "events[0].date: give date or when, not both" in done.stderr


async def test_collective_names_take_a_plural_verb(slack: Bot) -> None:
    text = await say(slack, "/reactions Syrian authorities")
    assert "Syrian authorities assert:" in text and "authorities asserts" not in text


async def test_an_undo_does_not_offer_to_be_undone(slack: Bot) -> None:
    text = await say(slack, "/update toll killed=75 source=SOHR as_of=2025-03-07T20:00")
    assert "/undo takes it back" in text
    text = await say(slack, "/undo")
    assert "Undone" in text and "/history t" in text
    assert "/undo takes it back" not in text


async def test_digest_times_are_said_one_way_in_the_subscriptions_zone(slack: Bot) -> None:
    subscribed = await say(slack, "/digest subscribe 07:30 Europe/London")
    listed = await say(slack, "/digest list")
    [next_subscribed] = {line.strip(" •–◦") for line in subscribed.splitlines() if "Next:" in line}
    [next_listed] = {line.strip(" •–◦") for line in listed.splitlines() if "Next:" in line}
    assert next_subscribed == next_listed, (subscribed, listed)
    assert "UTC)" in next_listed and ("GMT" in next_listed or "BST" in next_listed)
    assert "Clashes on Syria's coast" in listed and "syria-coast-2025-03" not in listed
    preview = await say(slack, "/digest preview")
    heading = preview.splitlines()[0] if preview.startswith("Digest") else preview
    assert "Digest — Clashes on Syria's coast — " in heading
    assert "UTC+03" not in preview.split("\n\n")[0] and ("GMT" in heading or "BST" in heading), heading


async def test_each_posted_digest_tells_the_time_in_its_subscriptions_zone(briefings: Briefings) -> None:
    await subscribe(briefings, "slack:C1", "08:00", "Europe/London")
    await subscribe(briefings, "discord:D1", "08:00", "Asia/Damascus")
    poster = RecordingPoster()
    runner = runner_for(briefings, poster)
    await runner.tick(SLOT + timedelta(minutes=1))  # both are due: 08:00 in London is 10:00 in Damascus
    [london] = poster.to("C1")
    [damascus] = poster.to("D1")
    assert london.reply.title.endswith("Tue 10 Jun 2025 08:01 BST"), london.reply.title
    assert damascus.reply.title.endswith("Tue 10 Jun 2025 10:01 UTC+03"), damascus.reply.title
    assert "\nSince Mon 9 Jun 2025 08:01 BST" in london.text
