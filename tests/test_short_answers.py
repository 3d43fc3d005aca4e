"""Short by default: /brief in six lines and 600 characters, a digest in fifteen lines and 1,500 characters
before its pointer to the rest, for the seed and after a busy week; the rest stays one command away."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from briefings.access import Caller
from briefings.render_text import render
from briefings.reply import Reply
from briefings.service import Briefings
from tests.conftest import Ask

SLUG = "syria-coast-2025-03"
DESK = Caller("console", "mod", "console", "Desk")


def size(reply: Reply) -> tuple[int, int]:
    """(lines with text, characters) as posted, the chart left out (platforms attach it as a file)."""
    text = render(replace(reply, image=None))
    return sum(1 for row in text.splitlines() if row.strip()), len(text)


async def busy_week(ask: Ask) -> None:
    """A week of a desk's updates: two sources' tolls every day, events, statements and corrections."""
    await ask('/add source name="Syrian Network for Human Rights" kind=rights-group aliases="SNHR"', DESK)
    sohr = [(8, 311), (9, 1018), (10, 1311), (11, 1383), (12, 1420), (13, 1454), (14, 1476)]
    snhr = [(9, 125), (10, 803), (11, 840), (12, 900), (13, 1084), (14, 1084)]
    for day, killed in sohr:
        reply, text = await ask(f"/update toll killed={killed} source=SOHR as_of=2025-03-{day:02d}T20:00", DESK)
        assert reply.ok, text
    for day, killed in snhr:
        reply, text = await ask(f"/update toll killed={killed} source=SNHR as_of=2025-03-{day:02d}", DESK)
        assert reply.ok, text
    for day in range(8, 15):
        for hour in (9, 15):
            reply, text = await ask(
                f"/add event date=2025-03-{day:02d}T{hour:02d}:00 place=Jableh source=SOHR "
                f'text="Search teams report further bodies found in villages south of the city, day {day} at {hour}"',
                DESK,
            )
            assert reply.ok, text
        reply, text = await ask(
            f'/add reaction actor=Turkey stance=warns date=2025-03-{day:02d} source="news report" '
            f'summary="Urges restraint and an inquiry into the killings (statement {day})"',
            DESK,
        )
        assert reply.ok, text
    reply, text = await ask('/correct t2 killed=52 reason="The monitor revised the city count"', DESK)
    assert reply.ok, text


async def test_the_seeds_brief_is_six_short_lines(ask: Ask) -> None:
    reply, text = await ask("/brief")
    assert reply.ok
    assert size(reply) <= (6, 600), text
    assert "Toll: At least 70 killed, according to SOHR (as of Fri 7 Mar 2025, morning)." in text
    assert "Alawite heartland" not in text  # the situation's description is for /where and the file, not every brief
    assert "(News report of" not in text
    for command in ("/toll", "/timeline", "/reactions"):
        assert command in text.splitlines()[-1]


async def test_the_seeds_digest_fits(briefings: Briefings) -> None:
    now = datetime.now(UTC)
    reply = await briefings.digest(SLUG, now - timedelta(days=1), now)
    lines, characters = size(reply)
    assert lines <= 15 and characters <= 1500, render(reply)
    assert "by when reported (as of)" in render(reply)


async def test_after_a_busy_week_brief_and_digest_stay_short_and_keep_the_newest(
    briefings: Briefings, ask: Ask
) -> None:
    start = datetime.now(UTC)
    await busy_week(ask)
    reply, text = await ask("/brief")
    assert size(reply) <= (6, 600), text
    assert "Fri 14 Mar 15:00: Search teams report further bodies" in text  # the three most recent developments
    now = datetime.now(UTC)
    digest = await briefings.digest(SLUG, datetime(2025, 3, 7, 12, tzinfo=UTC), now)
    text = render(replace(digest, image=None))
    lines, characters = size(digest)
    assert lines <= 15 and characters <= 1500, text
    assert "more changes: /whatchanged since=2025-03-07T15:00" in text.splitlines()[-1]
    # each source's tolls as one net change; the newest of everything first
    assert text.count("SOHR: killed") == 1 and "SOHR: killed at least 70 → 1,476 (+1,406)" in text
    assert "7 reports" in text
    assert "day 14 at 15" in text
    assert text.index("day 14 at 15") < text.index("day 14 at 9")
    # the same digest for the last hour: all of it was recorded then, for days long past
    recent = render(await briefings.digest(SLUG, start - timedelta(minutes=1), now))
    assert "back-filled (recorded late)" in recent
