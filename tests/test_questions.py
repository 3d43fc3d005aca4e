"""Questions in plain words map to the right command and arguments: deterministic, offline, on the seed."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefings.commands.parse import Request
from briefings.commands.questions import interpret, looks_like_question, reading
from briefings.reply import Outcome
from briefings.service import load_seeds
from briefings.snapshot import Snapshot
from briefings.store import Store
from tests.conftest import SEEDS, Ask

SLUG = "syria-coast-2025-03"
NOW = datetime(2025, 3, 8, 10, 0, tzinfo=UTC)
"""Saturday 8 March 2025, 12:00 in Damascus: "yesterday" is Friday 7 March, the seed's latest day."""


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    async def build() -> Snapshot:
        store = await Store.open(f"sqlite:///{tmp_path_factory.mktemp('questions') / 'q.db'}")
        try:
            await load_seeds(store, SEEDS)
            return await store.snapshot(SLUG)
        finally:
            await store.close()

    return asyncio.run(build())


def cmd(name: str, *words: str, **options: str) -> Request:
    return Request(name, list(words), dict(options))


TABLE: list[tuple[str, Request]] = [
    # the toll, by any spelling of a place
    ("how many were killed in Jableh?", cmd("toll", "Jableh")),
    ("how many died in Jabla?", cmd("toll", "Jableh")),
    ("How many people died in Jablah", cmd("toll", "Jableh")),
    ("Jableh: how many dead?", cmd("toll", "Jableh")),
    ("in jebleh how many were killed", cmd("toll", "Jableh")),
    ("death toll in Lattakia province?", cmd("toll", "Latakia province")),
    ("casualties in Tartus?", cmd("toll", "Tartous")),
    ("how many people died in Kardaha", cmd("toll", "Qardaha")),
    ("what's the death toll?", cmd("toll")),
    ("how many civilians were killed?", cmd("toll", "civilians")),
    ("How many dead so far", cmd("toll")),
    ("any victims in Beit Anan?", cmd("toll", "Beit Anan")),
    ("number of wounded in Al-Qardaha", cmd("toll", "wounded", "Qardaha")),
    ("how many security forces were kidnapped in Qardaha?", cmd("toll", "kidnapped", "Qardaha")),
    ("how many injuries in Jableh?", cmd("toll", "wounded", "Jableh")),  # the seed counts wounded, not injured
    # who said what, by any name of an actor
    ("what did Turkey say?", cmd("reactions", "Turkey")),
    ("what did Ankara say about the clashes?", cmd("reactions", "Turkey")),
    ("how did Türkiye react?", cmd("reactions", "Turkey")),
    ("what did the Saudis say?", cmd("reactions", "Saudi Arabia")),
    ("what did Riyadh say", cmd("reactions", "Saudi Arabia")),
    ("what has Kneifati said?", cmd("reactions", "Mustafa Kneifati")),
    ("what did Kneifatti say?", cmd("reactions", "Mustafa Kneifati")),
    ("what did the Alawite council say?", cmd("reactions", "Alawite Islamic Council in Syria")),
    ("what did the UN Security Council say", cmd("reactions", "UN Security Council")),
    ("has the Syrian government responded?", cmd("reactions", "Syrian authorities")),
    ("Turkish reaction?", cmd("reactions", "Turkey")),
    ("who said what?", cmd("reactions")),
    ("any statements?", cmd("reactions")),
    # what happened when: weekdays, dates, relative days
    ("what happened on Thursday?", cmd("timeline", "2025-03-06")),
    ("what happened on thu", cmd("timeline", "2025-03-06")),
    ("what happened on 6 March?", cmd("timeline", "2025-03-06")),
    ("what happened on March 7th?", cmd("timeline", "2025-03-07")),
    ("events on 2025-03-06", cmd("timeline", "2025-03-06")),
    ("what happened yesterday?", cmd("timeline", "2025-03-07")),
    ("timeline for friday?", cmd("timeline", "2025-03-07")),
    ("what happened?", cmd("timeline")),
    ("when did it start?", cmd("timeline")),
    # what changed since
    ("anything new since this morning?", cmd("whatchanged", since="today")),
    ("what's new?", cmd("whatchanged")),
    ("what changed since yesterday?", cmd("whatchanged", since="yesterday")),
    ("any updates in the last 6 hours?", cmd("whatchanged", since="6h")),
    ("anything new since Thursday?", cmd("whatchanged", since="2025-03-06")),
    ("what has changed in the past 2 days", cmd("whatchanged", since="2d")),
    # places
    ("where is Beit Anan?", cmd("where", "Beit Anan")),
    ("what happened in Qardaha?", cmd("where", "Qardaha")),
    ("where did the fighting happen?", cmd("where")),
    # sources, the brief, charts, help
    ("who are the sources?", cmd("sources")),
    ("where does this information come from?", cmd("sources")),
    ("give me a summary", cmd("brief")),
    ("what's going on?", cmd("brief")),
    ("show me a chart of the toll", cmd("toll", "chart")),
    ("how has the toll changed over time in Jableh?", cmd("toll", "chart", "Jableh")),
    ("graph of deaths in Jabla", cmd("toll", "chart", "Jableh")),
    ("what can you do?", cmd("help")),
]


@pytest.mark.parametrize(("question", "expected"), TABLE, ids=[q for q, _ in TABLE])
def test_question_maps_to_command(snapshot: Snapshot, question: str, expected: Request) -> None:
    found = interpret(question, snapshot, NOW)
    assert found is not None, question
    assert (found.name, found.rest, found.options) == (expected.name, expected.rest, expected.options), reading(found)


def test_the_table_is_varied_and_large_enough() -> None:
    assert len(TABLE) >= 40
    assert {request.name for _, request in TABLE} >= {"toll", "reactions", "timeline", "whatchanged", "where"}


@pytest.mark.parametrize("question", ["what is the weather like?", "tell me a joke", "hello there", "???"])
def test_unclear_questions_are_not_guessed(snapshot: Snapshot, question: str) -> None:
    assert interpret(question, snapshot, NOW) is None


def test_questions_are_recognised() -> None:
    assert looks_like_question("where is Jableh?") and looks_like_question("how many died")
    assert not looks_like_question("toll jableh") and not looks_like_question("where Jableh")


# ---- through Briefings.handle, as every adapter and the console use it


async def test_a_question_is_answered_with_sources_and_says_how_it_was_read(ask: Ask) -> None:
    reply, text = await ask("how many died in Jabla?")
    assert reply.ok, text
    assert reply.title.endswith(": Jableh")
    assert "Read as /toll Jableh" in text
    assert "48 killed" in text and "SOHR" in text


async def test_a_question_about_an_actor(ask: Ask) -> None:
    reply, text = await ask("what did the Saudis say?")
    assert reply.ok and "Read as /reactions Saudi Arabia" in text and "Saudi" in reply.title


async def test_an_unclear_question_says_so_and_suggests_commands(ask: Ask) -> None:
    reply, text = await ask("what is the weather like in Jableh tomorrow, and is it nice")
    assert reply.outcome is Outcome.invalid
    assert text.startswith("I couldn't tell what you are asking.")
    assert "/toll Jableh" in text and "/help" in text


async def test_commands_still_win_and_slash_commands_are_strict(ask: Ask) -> None:
    reply, text = await ask("toll jableh")
    assert reply.ok and "Read as" not in text
    reply, text = await ask("/how many died")
    assert reply.outcome is Outcome.invalid and "I don't know the command /how" in text
    reply, text = await ask("where did it happen?")
    assert reply.ok and "Read as /where" in text


async def test_a_question_never_runs_a_moderator_command(ask: Ask) -> None:
    reply, _ = await ask("update toll killed=500 source=SOHR?")
    assert reply.outcome is Outcome.refused


def test_briefing_ask_answers_a_question(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env["BRIEFING_DATABASE_URL"] = f"sqlite:///{tmp_path / 'b.db'}"
    env["BRIEFING_SEEDS"] = str(SEEDS)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "how many died in Jabla?"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    assert "Read as /toll Jableh" in done.stdout and "48 killed" in done.stdout
