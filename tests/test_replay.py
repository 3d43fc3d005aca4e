"""A replayed day of moderation, as a desk would run it, ends in answers an editor can sign off."""

from __future__ import annotations

from briefings.access import Caller
from briefings.reply import Outcome
from tests.conftest import Ask

ANA = Caller("console", "mod", "console", "Ana")

UPDATES = [
    "/update toll killed=130 security=50 insurgents=45 civilians=35 source=SOHR as_of=2025-03-07T20:00",
    '/add source name="Syrian Network for Human Rights" kind=rights-group aliases="SNHR"',
    "/update toll civilians=125 qualifier=“at least” source=SNHR as_of=2025-03-08",
    "/update toll killed=311 source=SOHR as_of=2025-03-08T09:00",
    '/add source name="Syrian Ministry of Defence" kind=government-body aliases="MoD, Defence Ministry"',
    '/update toll killed=120 security=120 source=MoD as_of=2025-03-08 note="Security forces only"',
    "/update toll killed=1018 civilians=745 security=125 insurgents=148 source=SOHR as_of=2025-03-09",
    '/add place name=Baniyas province=Tartous kind=city aliases="Banias"',
    "/add event date=2025-03-08 place=Banias text=“Killings reported in Baniyas neighbourhoods” source=SOHR",
    '/add reaction actor=Saudi stance=condemns summary="Condemns attacks on security forces" date=2025-03-08 '
    'source="Saudi Foreign Ministry"',
    '/correct t5 civilians=152 reason="SNHR report says 152; 125 was a typo"',
    '/retract t3 reason="Kidnapping figure not confirmed by any other source"',
]


async def test_a_day_of_updates(ask: Ask) -> None:
    for text in UPDATES:
        reply, rendered = await ask(text, ANA)
        assert reply.ok, f"{text}\n{rendered}"

    typo, text = await ask("/update toll killed=108 source=SOHR as_of=2025-03-09T12:00", ANA)
    assert typo.outcome is Outcome.invalid
    assert "killed=108 is lower than SOHR's 1,018" in text

    toll, text = await ask("/toll")
    assert toll.ok
    lines = text.splitlines()
    # The headline shows the disagreement between totals; SNHR's civilians-only count is not one of them.
    assert lines[2].startswith(
        "• Between 120 and 1,018 killed, depending on the source: SOHR 1,018 (as of Sun 9 Mar 2025)"
    )
    assert "SOHR: 1,018 killed: 125 security forces, 148 insurgents, 745 civilians (as of Sun 9 Mar 2025) [t8]" in text
    assert "Syrian Ministry of Defence: 120 killed: 120 security forces (as of Sat 8 Mar 2025) [t7]" in text
    assert "SNHR: at least 152 civilians killed (as of Sat 8 Mar 2025) [t5]" in text
    assert "Syrian Ministry of Defence 120 (as of Sat 8 Mar 2025); dates 1 day apart." in lines[2]
    assert "Civilians killed: at least 152 to 745 — SOHR 745" in text
    assert "Security forces only" in text
    # Superseded SOHR totals are not shown as if current; the retracted kidnapping figure is gone.
    assert "[t4]" not in text and "[t6]" not in text and "311" not in text
    assert "[t3]" not in text and "Qardaha" not in text

    changed, text = await ask("/whatchanged since=1h")
    assert changed.ok
    # all of it was recorded in the last hour, for days long past: back-filled, each source's tolls as one line
    assert "Recorded late, for earlier days" in text
    assert "SOHR: killed at least 70 → 1,018 (+948)" in text and "3 reports · back-filled (recorded late) [t8]" in text
    assert "Back-filled · Sat 8 Mar: Killings reported in Baniyas neighbourhoods" in text
    assert "t3 toll retracted by Ana (console:mod): Kidnapping figure not confirmed by any other source" in text
    changed, text = await ask("/whatchanged since=2025-03-08T12:00")
    assert changed.ok
    assert "SOHR: killed 311 → 1,018 (+707)" in text
    assert "SNHR: at least 152 civilians killed · as of Sat 8 Mar · first from this source [t5]" in text
    assert "Condemns attacks on security forces" in text

    history, text = await ask("/history t5")
    assert history.ok
    assert "#1" in text and "#2" in text
    assert "civilians 125 → 152" in text
    assert "corrected by Ana (console:mod) · why: SNHR report says 152; 125 was a typo" in text

    history, text = await ask("/history t3")
    assert "retracted by Ana" in text and "status reported → retracted" in text
