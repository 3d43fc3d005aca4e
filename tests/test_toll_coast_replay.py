"""The coast situation's tolls from March to July 2025, typed as moderators would, answered as an editor
needs: ranges between sources only, qualifiers kept, superseded figures marked, a source's own figures
checked against each other, and places within places."""

from __future__ import annotations

from briefings.access import Caller
from briefings.reply import Outcome
from tests.conftest import Ask

ANA = Caller("console", "mod", "console", "Ana")

SETUP = [
    '/add source name="Syrian Network for Human Rights" kind=rights-group aliases="SNHR"',
    '/add source name="UN Human Rights Office" kind=international-body aliases="OHCHR, UN OHCHR"',
    '/add source name="National fact-finding committee" kind=government-body aliases="national committee"',
    '/update toll killed=1018 civilians=745 security=125 insurgents=148 source=SOHR as_of="2025-03-08 evening"',
    '/update toll killed=1311 qualifier="more than" source=SOHR as_of=2025-03-09',
    '/update toll killed=803 qualifier="at least" source=SNHR as_of=2025-03-10',
    '/update toll civilians=111 source=OHCHR as_of=2025-03-11 note="Verified one by one; likely far higher"',
]
CIVILIANS = "/update toll civilians=1476 source=SOHR as_of=2025-03-13"
LATER = [
    "/update toll killed=1084 source=SNHR as_of=2025-03-14",
    '/update toll killed=1426 source="national committee" as_of=2025-07-22 note="Named victims of the violations"',
]


async def replay(ask: Ask) -> None:
    for text in SETUP:
        reply, rendered = await ask(text, ANA)
        assert reply.ok, f"{text}\n{rendered}"
    held, text = await ask(CIVILIANS, ANA)
    assert held.outcome is Outcome.invalid and held.at_fault == "civilians"
    assert "civilians=1,476 is above SOHR's latest total, more than 1,311 killed" in text
    assert "confirm=yes" in text
    reply, _ = await ask(CIVILIANS + " confirm=yes", ANA)
    assert reply.ok
    for text in LATER:
        reply, rendered = await ask(text, ANA)
        assert reply.ok, f"{text}\n{rendered}"


async def test_the_headline_ranges_latest_figures_of_different_sources(ask: Ask) -> None:
    await replay(ask)
    _, text = await ask("/toll")
    headline = text.splitlines()[2]
    assert headline.startswith("• Between 1,084 and 1,426 killed, depending on the source: ")
    assert "SOHR more than 1,311 (as of Sun 9 Mar 2025)" in headline  # the qualifier is kept
    assert "National fact-finding committee 1,426 (as of Tue 22 Jul 2025)" in headline
    assert "dates 135 days apart" in headline
    assert "1,018" not in headline and "803" not in headline  # a source's own older figures are not compared
    # SOHR's newer civilians-only count is above its own latest total: said beside it, not hidden.
    assert "SOHR's newer count of civilians killed alone, 1,476 (as of Thu 13 Mar 2025)" in headline
    _, brief = await ask("/brief")  # short: the lowest and the highest, each with its source and as-of
    assert (
        "Toll: Between 1,084 (SNHR, as of Fri 14 Mar) and 1,426 killed (National fact-finding committee, "
        "as of Tue 22 Jul); 3 sources."
    ) in brief


async def test_one_line_per_comparable_figure(ask: Ask) -> None:
    await replay(ask)
    _, text = await ask("/toll")
    civilians = next(ln for ln in text.splitlines() if ln.startswith("• Civilians killed: "))
    assert civilians.startswith("• Civilians killed: 111 to 1,476 — SOHR 1,476 (as of Thu 13 Mar 2025)")
    assert "OHCHR 111 (as of Tue 11 Mar 2025)" in civilians and "dates 2 days apart" in civilians
    assert "745" not in civilians


async def test_superseded_figures_are_marked(ask: Ask) -> None:
    await replay(ask)
    _, text = await ask("/toll")
    lines = text.splitlines()
    assert not any(ln.startswith("• SOHR: at least 70 killed") for ln in lines)
    older = next(ln for ln in lines if "Its latest figures of other kinds are older" in ln)
    assert "more than 1,311 killed (as of Sun 9 Mar 2025)" in older
    assert "dozens wounded (as of Fri 7 Mar 2025, morning) [t1]" in older and "superseded" in older
    assert "⚠ Above SOHR's latest total, more than 1,311 killed (as of Sun 9 Mar 2025)" in text
    claim = lines.index(next(ln for ln in lines if "[c5]" in ln))
    assert (
        lines[claim + 1]
        .strip()
        .startswith(
            "– Superseded: an official figure has since been given — National fact-finding committee: 1,426 killed"
        )
    )


async def test_an_extra_digit_is_held_and_then_flagged(ask: Ask) -> None:
    await replay(ask)
    held, text = await ask("/update toll killed=13110 source=SOHR as_of=2025-03-15", ANA)
    assert held.outcome is Outcome.invalid and held.at_fault == "killed"
    assert "killed=13,110 is ten times or more SOHR's 1,311" in text
    reply, _ = await ask("/update toll killed=13110 source=SOHR as_of=2025-03-15 confirm=yes", ANA)
    assert reply.ok
    _, text = await ask("/toll")
    assert "⚠ 13,110 killed is 10 times SOHR's previous 1,311" in text


async def test_a_province_includes_the_places_inside_it(ask: Ask) -> None:
    _, text = await ask("/toll Latakia")
    assert "No toll has been reported for Latakia specifically" in text
    assert "48 killed in Latakia province, according to SOHR (its figure for Jableh" in text
    assert "Inside Latakia province: Jableh" in text
    _, text = await ask("/toll Latakia province")
    assert "SOHR: 48 killed (as of Fri 7 Mar 2025, morning) [t2]" in text
    assert "At least 70 killed" in text.split("Whole situation")[1]  # the whole situation, apart, not added


async def test_where_shows_what_happened_across_a_province(ask: Ask) -> None:
    reply, _ = await ask("/where")
    latakia = next(s for s in reply.sections if s.heading == "Latakia province")
    ids = " ".join(span.text for ln in latakia.lines for span in ln.spans)
    assert "[m1]" in ids and "[e2]" in ids  # the curfew and the first day's clashes
