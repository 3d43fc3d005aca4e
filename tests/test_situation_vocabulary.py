"""Words belong to the situation: kinds of measure, people's names for states, and the examples help gives."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefings.access import Caller
from briefings.loader import SituationFileError, load_file, load_text
from briefings.service import Briefings
from tests.conftest import Ask
from tests.test_situation_neutral import seed_names

QUAKE = Path(__file__).parent / "situations" / "morocco-quake-2023-09.yaml"
DESK = Caller("console", "desk", "console:quake")
EDITOR = Caller("console", "mod", "console:quake")

STATE_OF_EMERGENCY = """
situation: {slug: turkey-quake-2023-02, title: Earthquakes in southern Turkey, region: South-east Turkey,
            timezone: Europe/Istanbul}
sources: [{id: s1, name: Turkish Presidency, type: government-body}]
measures:
  - {type: state of emergency, when: 2023-02-07, source: s1,
     text: A three-month state of emergency is declared in the ten provinces hit.}
"""


@pytest.fixture
async def quake(briefings: Briefings) -> Briefings:
    """The seed, and the Morocco earthquake followed in the channel `console:quake`."""
    await briefings.store.import_situation(load_file(QUAKE), "test")
    await briefings.store.set_channel_situation(DESK.channel, "morocco-quake-2023-09", "test")
    return briefings


async def test_a_state_of_emergency_is_named_as_such(briefings: Briefings, ask: Ask) -> None:
    await briefings.store.import_situation(load_text(STATE_OF_EMERGENCY, "test"), "test")
    await briefings.store.set_channel_situation(DESK.channel, "turkey-quake-2023-02", "test")
    _, text = await ask("/timeline", DESK)
    assert "State of emergency: A three-month state of emergency is declared" in text
    assert "Other:" not in text


async def test_a_situations_own_kinds_of_measure_carry_its_labels(quake: Briefings, ask: Ask) -> None:
    _, text = await ask("/timeline 2023-09-09", DESK)
    assert "National mourning: Three days of national mourning declared." in text
    _, text = await ask("/timeline 2023-09-10", DESK)
    assert "Aid access: Search-and-rescue teams" in text
    reply, text = await ask(
        '/add measure type="National mourning" date=2023-09-11 text="Flags at half-mast." source=MOI', EDITOR
    )
    assert reply.ok, text
    reply, text = await ask('/add measure type="lockdown" date=2023-09-11 text="x" source=MOI', EDITOR)
    assert reply.ok, text  # a common kind, known to every situation
    reply, text = await ask('/add measure type=picnic date=2023-09-11 text="x" source=MOI', EDITOR)
    assert not reply.ok and "type: 'picnic' is not a kind of measure this situation knows" in text
    assert "national-mourning" in text and "state-of-emergency" in text
    # the seed knows no national mourning: kinds of one situation are not another's
    reply, text = await ask(
        '/add measure type=national-mourning date=2025-03-08 text="x" source=SOHR',
        Caller("console", "mod", "console"),
    )
    assert not reply.ok and "type:" in text


def test_a_file_with_an_undeclared_kind_of_measure_is_refused() -> None:
    text = STATE_OF_EMERGENCY.replace("state of emergency", "road block")
    with pytest.raises(SituationFileError) as refused:
        load_text(text, "file.yaml")
    assert "measures[0].type: 'road-block' is not a kind of measure this situation knows" in str(refused.value)


async def test_demonyms_come_from_the_situation_file(quake: Briefings, ask: Ask) -> None:
    reply, text = await ask("what did the Spanish say?", DESK)
    assert reply.ok and "Read as /reactions Spain" in text
    reply, text = await ask("what did the Turkish say?")  # the seed's own alias
    assert reply.ok and "Read as /reactions Turkey" in text


async def test_help_and_suggestions_use_the_channels_situation(quake: Briefings, ask: Ask) -> None:
    seed = {n.lower() for n in seed_names()}
    for question in ("/help toll", "/help where", "/help reactions", "/help timeline", "/help add", "/help update"):
        reply, text = await ask(question, EDITOR)
        assert reply.ok, text
        assert not [n for n in seed if re.search(rf"\b{re.escape(n)}\b", text.lower())], (question, text)
    _, text = await ask("/help toll", DESK)
    assert "Example: /toll Al Haouz province" in text
    _, text = await ask("/help reactions", DESK)
    assert "Example: /reactions Spain" in text
    _, text = await ask("/help timeline", DESK)
    assert "Example: /timeline 2023-09-10" in text and "Example: /timeline sunday" in text
    reply, text = await ask("purple monkey dishwasher", DESK)
    assert not reply.ok and "I couldn't tell" in reply.title
    assert "how many were killed in Al Haouz province?" in text and "what did Spain say?" in text
    assert not [n for n in seed if n in text.lower()], text
    _, text = await ask("purple monkey dishwasher")
    assert "how many were killed in Jableh?" in text
