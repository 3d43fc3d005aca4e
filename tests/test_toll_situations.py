"""Two more real situations: an earthquake across two countries whose official counts rose daily, and floods
that displaced tens of thousands. Headlines come from the top level with figures, ranges only between
different sources, roll-ups say what they add, and a situation's own categories are understood."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefings.access import Caller
from briefings.loader import SituationFileError, load_file, load_text
from briefings.reply import Outcome
from briefings.service import Briefings
from tests.conftest import Ask

FIXTURES = Path(__file__).resolve().parent / "situations"
QUAKE = "quake-2023-02.yaml"
FLOODS = "libya-floods-2023-09.yaml"


async def use(briefings: Briefings, ask: Ask, moderator: Caller, name: str) -> None:
    file = load_file(FIXTURES / name)
    assert await briefings.store.import_situation(file, "test")
    reply, text = await ask(f"/situation use {file.situation.slug}", moderator)
    assert reply.ok, text


# --- the earthquake -----------------------------------------------------------------------------------


async def test_quake_headline_is_per_country_with_source_and_as_of(
    briefings: Briefings, ask: Ask, moderator: Caller
) -> None:
    await use(briefings, ask, moderator, QUAKE)
    _, text = await ask("/brief")
    assert "No death toll" not in text and "No toll" not in text
    assert (
        "Toll: By country: 35,418 killed in Turkey, according to Turkish President (as of Tue 14 Feb 2023); "
        "between at least 3,688 (AP) and more than 5,500 killed in Syria (OCHA), as of Tue 14 Feb."
    ) in text
    _, text = await ask("/toll")
    toll = text.splitlines()[2]
    assert toll.startswith("• No figure for the whole situation; by country, not added together: ")
    assert "35,418 killed in Turkey, according to Turkish President (as of Tue 14 Feb 2023)" in toll
    assert "between at least 3,688 and more than 5,500 killed in Syria, depending on the source" in toll
    assert "OCHA more than 5,500 (as of Tue 14 Feb 2023); AP at least 3,688 (as of Tue 14 Feb 2023); same day" in toll
    assert "40," not in toll and "39," not in toll  # the two countries' figures are never added up


async def test_quake_one_authoritys_series_is_not_a_disagreement(
    briefings: Briefings, ask: Ask, moderator: Caller
) -> None:
    await use(briefings, ask, moderator, QUAKE)
    _, text = await ask("/toll Türkiye")
    assert "Sources differ" not in text and "between" not in text.lower().split("whole situation")[0]
    assert "3,419" not in text and "20,213" not in text  # the vice president's and minister's earlier figures
    assert "Turkish President: 35,418 killed; 105,505 injured (as of Tue 14 Feb 2023) [t4]" in text


async def test_quake_roll_ups_say_what_they_add_and_never_mix_sources(
    briefings: Briefings, ask: Ask, moderator: Caller
) -> None:
    await use(briefings, ask, moderator, QUAKE)
    _, text = await ask("/toll Syria")
    inside = next(ln for ln in text.splitlines() if "from figures for places inside it (each source on its own)" in ln)
    assert (
        "Syrian provincial officials 896 (adding its figures for Aleppo governorate and Latakia governorate" in inside
    )
    assert "Syria Civil Defence 2,274 (its figure for Opposition-held north-west, as of Mon 13 Feb 2023)" in inside
    assert "Syrian Ministry of Health 1,414 (its figure for Government-held areas" in inside
    assert "3,688" not in inside  # the ministry's and the civil defence's counts are not added together
    assert "Inside Syria: Government-held areas" in text


async def test_quake_older_figures_of_one_source_are_superseded(
    briefings: Briefings, ask: Ask, moderator: Caller
) -> None:
    await use(briefings, ask, moderator, QUAKE)
    _, text = await ask("/toll Government-held areas")
    assert "Syrian Ministry of Health: 1,414 killed (as of Sun 12 Feb 2023) [t8]" in text
    assert "Its latest figures of other kinds are older: 2,326 injured (as of Thu 9 Feb 2023) [t7]" in text
    assert "1,387 killed" not in text and "812" not in text


async def test_quake_where_has_a_country_level(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    await use(briefings, ask, moderator, QUAKE)
    reply, _ = await ask("/where")
    headings = [s.heading for s in reply.sections]
    assert headings[:2] == ["Turkey", "Syria"]
    assert "Hatay, Turkey" in headings and "Latakia governorate, Syria" in headings
    reply, text = await ask("/where Latakia")
    assert reply.title.startswith("Latakia governorate — ")
    assert "Province in Syria" in text and "P-code SY06" in text


# --- the floods ---------------------------------------------------------------------------------------


async def test_floods_headline_ranges_the_latest_of_each_government(
    briefings: Briefings, ask: Ask, moderator: Caller
) -> None:
    await use(briefings, ask, moderator, FLOODS)
    _, text = await ask("/toll")
    lines = text.splitlines()
    assert lines[2] == (
        "• Between 3,868 and 6,000 killed, depending on the source: Tripoli government health ministry 6,000 "
        "(as of Wed 13 Sep 2023); Eastern emergency committee 3,868 (as of Sun 24 Sep 2023); dates 11 days apart."
    )
    assert "3,351" not in lines[2]  # the eastern government's own earlier figure
    assert "5,300" not in lines[2]  # a city's figure is not the whole situation's


async def test_floods_lead_with_each_category_including_the_situations_own(
    briefings: Briefings, ask: Ask, moderator: Caller
) -> None:
    await use(briefings, ask, moderator, FLOODS)
    _, text = await ask("/toll")
    assert "• Missing: IFRC about 10,000 (as of Tue 12 Sep 2023) [t1]" in text
    assert "• Displaced: IOM 43,059 (as of Thu 21 Sep 2023) [t9]" in text
    assert "• Schools damaged: Tripoli government education ministry 114 (as of Mon 18 Sep 2023) [t8]" in text


async def test_floods_roll_up_one_agencys_figures_for_places_inside(
    briefings: Briefings, ask: Ask, moderator: Caller
) -> None:
    await use(briefings, ask, moderator, FLOODS)
    _, text = await ask("/toll Libya")
    assert (
        "5,300 killed in Libya, according to Eastern government (its figure for Derna, as of Wed 13 Sep 2023)" in text
    )
    assert (
        "Displaced in Libya: IOM at least 36,085 (adding its figures for Derna, Al Bayda, Almkheley and Benghazi, "
        "as of Wed 13 Sep 2023) [t2, t3, t4, t5]"
    ) in text
    assert "No figure for Libya as a whole" in text


async def test_a_situations_own_category_from_a_moderator(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    text = (FIXTURES / FLOODS).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if "schools_damaged: 114" not in ln]
    file = load_text("\n".join(lines), "floods.yaml")
    assert await briefings.store.import_situation(file, "test")
    await ask(f"/situation use {file.situation.slug}", moderator)
    commands = [
        '/update toll schools_damaged=114 source="Tripoli government education ministry" as_of=2023-09-18',
        '/add source name="World Health Organization" kind=international-body aliases="WHO"',
        '/update toll missing=9000 qualifier="more than" source=WHO as_of=2023-09-17',
    ]
    for command in commands:
        reply, text = await ask(command, moderator)
        assert reply.ok, text
    _, text = await ask("/toll")
    assert "• Schools damaged: Tripoli government education ministry 114 (as of Mon 18 Sep 2023) [t12]" in text
    assert "• Missing: more than 9,000 to about 10,000 — IFRC about 10,000 (as of Tue 12 Sep 2023) [t1]" in text
    reply, text = await ask('/update toll evacuees=5 source="IFRC" as_of=2023-09-19', moderator)
    assert reply.outcome is Outcome.invalid and reply.at_fault == "evacuees"
    assert "has no option 'evacuees'" in text


def test_a_file_refuses_an_undeclared_category_by_name() -> None:
    text = (FIXTURES / FLOODS).read_text(encoding="utf-8").replace("schools_damaged: 114", "school_damage: 114")
    with pytest.raises(SituationFileError) as caught:
        load_text(text, "floods.yaml")
    assert "tolls[7].school_damage: unknown toll category 'school_damage'" in str(caught.value)


def test_a_file_names_a_parent_it_lists_earlier() -> None:
    text = (FIXTURES / QUAKE).read_text(encoding="utf-8")
    assert load_text(text, "quake.yaml").facts["p8"].parent == "p2"  # type: ignore[attr-defined]
    bad = text.replace("parent: Syria}", "parent: Syra}", 1)
    with pytest.raises(SituationFileError) as caught:
        load_text(bad, "quake.yaml")
    assert "places[7].parent: unknown place 'Syra'; did you mean Syria" in str(caught.value)


# --- places from a moderator ----------------------------------------------------------------------------


async def test_a_moderator_adds_places_with_codes_and_a_country_level(ask: Ask, moderator: Caller) -> None:
    for command in (
        "/add place name=Baniyas province=Tartous kind=city pcode=SY1002 lat=35.18 lon=35.95",
        "/add place name=Syria kind=country iso3=SYR",
        '/correct p2 parent=Syria reason="Provinces sit in the country"',
        '/correct p4 parent=Syria reason="Provinces sit in the country"',
    ):
        reply, text = await ask(command, moderator)
        assert reply.ok, text
    _, text = await ask("/where Baniyas")
    assert "City in Tartous province" in text and "P-code SY1002 · 35.1800, 35.9500" in text
    reply, _ = await ask("/where")
    assert [s.heading for s in reply.sections] == ["Latakia province, Syria", "Tartous province, Syria"]
    _, text = await ask("/toll Syria")
    assert "At least 70 killed" in text  # the whole situation, shown apart
    assert "48 killed in Syria, according to SOHR (its figure for Jableh" in text


@pytest.mark.parametrize(
    ("command", "field", "message"),
    [
        ("/add place name=Hama kind=city", "province", "required"),
        ("/add place name=Hama province=Hama pcode=sy05", "pcode", "should match pattern"),
        ("/add place name=Hama province=Hama lat=95 lon=36", "lat", "less than or equal to 90"),
        ("/add place name=Hama province=Hama lat=35", "", "give both lat and lon"),
        ("/add place name=Hama province=Hama parent=Atlantis", "parent", "unknown place 'Atlantis'"),
    ],
)
async def test_a_bad_place_is_refused_by_field(
    ask: Ask, moderator: Caller, command: str, field: str, message: str
) -> None:
    reply, text = await ask(command, moderator)
    assert reply.outcome is Outcome.invalid and (reply.at_fault or "") == field
    assert message in text and "Nothing was changed" in text


async def test_a_part_above_its_own_total_is_held(ask: Ask, moderator: Caller) -> None:
    reply, text = await ask("/update toll killed=120 civilians=200 source=SOHR as_of=2025-03-08", moderator)
    assert reply.outcome is Outcome.invalid and reply.at_fault == "civilians"
    assert "civilians=200 is above the killed=120 total it comes with" in text
    reply, _ = await ask("/update toll killed=120 civilians=200 source=SOHR as_of=2025-03-08 confirm=yes", moderator)
    assert reply.ok
    _, text = await ask("/toll")
    assert "⚠ Its civilians killed (200) are more than the 120 total it gives." in text


async def test_figures_for_a_retracted_place_still_head_the_brief(ask: Ask, moderator: Caller) -> None:
    for command in ('/retract t1 reason="Withdrawn"', '/retract p5 reason="Merged into another place"'):
        reply, text = await ask(command, moderator)
        assert reply.ok, text
    reply, text = await ask("/brief")
    assert reply.ok
    assert "48 killed in Jableh, according to SOHR (as of Fri 7 Mar 2025, morning)" in text


async def test_names_from_a_situation_file_stay_marked_untrusted(
    briefings: Briefings, ask: Ask, moderator: Caller
) -> None:
    text = (FIXTURES / FLOODS).read_text(encoding="utf-8")
    text = text.replace("label: schools damaged}", "label: '@everyone <!here> *schools*'}")
    text = text.replace("name: Tripoli government education ministry,", "name: '<@U123> ministry',")
    text = text.replace("source: Tripoli government education ministry,", "source: '<@U123> ministry',")
    file = load_text(text, "floods.yaml")
    assert await briefings.store.import_situation(file, "test")
    await ask(f"/situation use {file.situation.slug}", moderator)
    for command in ("/toll", "/brief", "/toll Libya", "/where"):
        reply, rendered = await ask(command, moderator)
        assert reply.ok
        spans = [span for section in reply.sections for ln in section.lines for span in ln.spans]
        risky = [s for s in spans if ("@everyone" in s.text or "<@U123>" in s.text) and not s.untrusted]
        assert risky == [], command
    _, rendered = await ask("/toll")
    assert "@everyone" in rendered  # shown, as the file gave it, but only ever as untrusted text
