"""Every read command answers from the seed, on SQLite and PostgreSQL."""

from __future__ import annotations

from briefings.reply import Outcome
from tests.conftest import Ask


async def test_toll_gives_figure_breakdown_source_and_as_of(ask: Ask) -> None:
    reply, text = await ask("/toll")
    assert reply.ok
    assert "At least 70 killed, according to SOHR (as of Fri 7 Mar 2025, morning)" in text
    assert "35 security forces, 32 insurgents, 4 civilians; dozens wounded" in text
    assert "breakdown adds up to 71, not the 70 total" in text
    assert "SOHR: 48 killed (as of Fri 7 Mar 2025, morning) [t2]" in text
    assert "authorities have not disclosed an estimated death toll" in text


async def test_toll_for_a_place_by_another_spelling(ask: Ask) -> None:
    reply, text = await ask("/toll Jabla")
    assert reply.ok
    assert reply.title.endswith(": Jableh")
    assert "48 killed" in text and "[t2]" in text


async def test_unknown_place_suggests_the_nearest(ask: Ask) -> None:
    reply, text = await ask("/toll Jablah")  # close enough to be understood
    assert reply.ok and "Jableh" in reply.title
    reply, text = await ask("/toll Atlantis")
    assert reply.outcome is Outcome.invalid
    assert "Atlantis" in text and "Did you mean" in text
