"""Bad values in chat commands: a named, human error and nothing written, on SQLite and PostgreSQL.

One rule for text: control characters other than tab and line breaks are refused wherever they are typed. Dates
before 1900 are refused as typos. Counts are digits (of any script) and nothing else."""

from __future__ import annotations

import pytest

from briefings.access import Caller
from briefings.reply import Outcome
from briefings.service import Briefings
from briefings.snapshot import Snapshot
from tests.conftest import Ask

SORRY = "went wrong on my side"


@pytest.fixture
def mod(briefings: Briefings, moderator: Caller) -> Ask:
    return Ask(briefings, moderator)


async def state(briefings: Briefings) -> tuple[int, Snapshot]:
    slug, version = await briefings.locate("console")
    return version, await briefings.store.snapshot(slug)


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/whatchanged since=0001-01-01", "since: 0001-01-01 is before 1900"),
        ("/whatchanged since=0001-01-01T08:00", "since: 0001-01-01 is before 1900"),
        ("/whatchanged since=99999999999d", "since: '99999999999d' reaches back before 1900"),
        ("/whatchanged 1066-10-14", "since: 1066-10-14 is before 1900"),
        ("/update toll killed=² source=SOHR", "killed: '²' is not a whole number"),
        ("/update toll killed=--5 source=SOHR", "killed: '--5' is not a whole number"),
        (f"/update toll killed={'9' * 3000} source=SOHR", "killed: 999"),
        ("/update toll killed=90 source=SOHR as_of=0001-01-01", "as_of: 0001-01-01 is before 1900"),
        ("/add event text=Shelling date=1899-12-31 source=SOHR", "date: 1899-12-31 is before 1900"),
        ('/retract t3 reason="withdrawn\x00 by the source"', "reason: contains the control character U+0000"),
        ('/correct t1 killed=71 reason="\x1b[2J recount"', "reason: contains the control character U+001B"),
        ('/add event text="Shelling\x00 at night" date=2025-03-07 source=SOHR', "text: contains the control"),
        ('/add source name="Bell\x07 Agency" kind=news-agency', "name: contains the control character U+0007"),
        ("/update toll killed=90 source=SOHR note=\x7f", "note: contains the control character U+007F"),
        ("/update toll killed=90\x1csource=SOHR", "contains the control character U+001C"),
    ],
)
async def test_a_bad_value_gets_a_named_error_and_changes_nothing(
    briefings: Briefings, mod: Ask, command: str, expected: str
) -> None:
    version, before = await state(briefings)
    reply, text = await mod(command)
    assert reply.outcome in (Outcome.invalid, Outcome.refused), text
    assert expected in text, text
    assert SORRY not in text and "int()" not in text and "Traceback" not in text
    after_version, after = await state(briefings)
    assert after_version == version
    assert after.facts == before.facts


async def test_digits_of_other_scripts_are_counts(briefings: Briefings, mod: Ask) -> None:
    """Arabic-Indic digits are read as the number they are (a documented acceptance, not an accident)."""
    reply, text = await mod("/update toll killed=٧٥ source=SOHR as_of=2025-03-08")
    assert reply.ok, text
    assert "75 killed" in text


async def test_line_breaks_and_tabs_in_a_quoted_value_are_not_control_characters(
    briefings: Briefings, mod: Ask
) -> None:
    reply, text = await mod('/add event text="Shelling\tnear the port\nat night" date=2025-03-07 source=SOHR')
    assert reply.ok, text


async def test_1900_is_the_earliest_date(briefings: Briefings, mod: Ask) -> None:
    reply, text = await mod("/whatchanged since=1900-01-01")
    assert reply.ok, text
    reply, text = await mod("/add event text=Founding date=1900-01-01 source=SOHR")
    assert reply.ok, text
