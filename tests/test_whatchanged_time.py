"""What changed, in the time a reader means: by when each figure was reported (as of), among what was recorded
since; late entries for earlier days are back-filled, not a rise or a fall; one line per source's tolls."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from briefings.access import Caller
from briefings.reply import Outcome
from briefings.service import Briefings
from briefings.store import store as store_module
from tests.conftest import Ask

DESK = Caller("console", "mod", "console", "Desk")

# The coast's tolls as they were reported in March 2025, entered by a desk replaying them today.
REPLAY = [
    '/add source name="Syrian Network for Human Rights" kind=rights-group aliases="SNHR"',
    '/add source name="UN Human Rights Office" kind=international-body aliases="OHCHR"',
    "/update toll killed=1018 civilians=745 source=SOHR as_of=2025-03-08T20:00",
    "/update toll killed=1311 source=SOHR as_of=2025-03-09T20:00",
    "/update toll killed=803 qualifier=“at least” source=SNHR as_of=2025-03-10",
    "/update toll civilians=111 source=OHCHR as_of=2025-03-11 note=“Verified so far”",
    "/update toll civilians=1476 source=SOHR as_of=2025-03-13 confirm=yes",
]


def travel(briefings: Briefings, monkeypatch: pytest.MonkeyPatch, days: float) -> None:
    """From now on, revisions are recorded and commands run `days` after the real time."""

    def later() -> datetime:
        return datetime.now(UTC) + timedelta(days=days)

    monkeypatch.setattr(store_module, "now", later)
    briefings.clock = later


async def replay(ask: Ask) -> None:
    for command in REPLAY:
        reply, text = await ask(command, DESK)
        assert reply.ok, (command, text)


async def test_since_is_reported_time_in_a_replay(ask: Ask) -> None:
    await replay(ask)
    lists = {}
    for since in ("2025-03-09", "2025-03-11", "2025-03-12"):
        reply, lists[since] = await ask(f"/whatchanged since={since}")
        assert reply.ok, lists[since]
    assert len(set(lists.values())) == 3  # each start gives its own list
    assert "SOHR: killed 1,018 → 1,311 (+293); civilians killed 745 → 1,476 (+731)" in lists["2025-03-09"]
    assert "SNHR: at least 803 killed · as of Mon 10 Mar · first from this source" in lists["2025-03-09"]
    assert "OHCHR: 111 civilians killed · as of Tue 11 Mar · first from this source" in lists["2025-03-11"]
    assert "SNHR: at least 803 killed" not in lists["2025-03-11"].split("Recorded late")[0]
    news = lists["2025-03-12"].split("Recorded late")[0]
    assert "SOHR: civilians killed 745 → 1,476 (+731) · as of Thu 13 Mar" in news
    assert "OHCHR" not in news and "1,311" not in news
    assert "by reported time (as of), of what was recorded since" in lists["2025-03-12"]


async def test_a_late_entry_for_an_earlier_day_is_back_filled_not_a_fall(
    briefings: Briefings, ask: Ask, monkeypatch: pytest.MonkeyPatch
) -> None:
    reply, text = await ask("/update toll killed=1311 source=SOHR as_of=2025-03-09T20:00", DESK)
    assert reply.ok, text
    travel(briefings, monkeypatch, days=2)
    reply, text = await ask("/update toll killed=1018 source=SOHR as_of=2025-03-08T20:00 confirm=yes", DESK)
    assert reply.ok, text
    reply, text = await ask("/whatchanged")
    assert reply.ok
    assert "1,311 → 1,018" not in text and "-293" not in text
    assert "SOHR: 1,018 killed as of Sat 8 Mar 20:00; its latest stays 1,311 (Sun 9 Mar 20:00) — back-filled" in text


async def test_one_sources_revisions_are_one_net_change_newest_first(
    briefings: Briefings, ask: Ask, monkeypatch: pytest.MonkeyPatch
) -> None:
    travel(briefings, monkeypatch, days=1)
    for killed, day in ((311, 8), (1018, 9), (1311, 10)):
        reply, text = await ask(f"/update toll killed={killed} source=SOHR as_of=2025-03-{day:02d}", DESK)
        assert reply.ok, text
    reply, text = await ask('/add event date=2025-03-11 text="Funerals held in the city" source=SOHR', DESK)
    assert reply.ok, text
    reply, text = await ask("/whatchanged since=2025-03-07T12:00")
    assert reply.ok
    assert text.count("SOHR: killed") == 1
    assert "SOHR: killed at least 70 → 1,311 (+1,241) · as of Mon 10 Mar · 3 reports" in text
    assert "311 → 1,018" not in text
    news = [row for row in text.splitlines() if row.startswith("• ")]
    assert news[0].startswith("• SOHR: killed") and "Funerals held" in news[1]  # reported 11 Mar, but the
    # toll section comes first; within each section the newest first


async def test_page_must_be_a_number(ask: Ask) -> None:
    reply, text = await ask("/whatchanged page=0")
    assert reply.outcome is Outcome.invalid and "page: '0' is not a page number" in text
