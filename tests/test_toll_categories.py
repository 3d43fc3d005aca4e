"""`/toll CATEGORY [place]` and questions that name a category: the answer is about the category asked for (every
source's figure with its as-of and the range between sources, then each source's claims giving it per place),
says plainly when no claim gives it, and never answers with the whole toll instead."""

from __future__ import annotations

from pathlib import Path

from bot.discord_chat.options import USAGES
from briefings.access import Caller
from briefings.loader import load_file, load_text
from briefings.reply import Outcome
from briefings.service import Briefings
from briefings.suggest import Suggesting
from tests.conftest import Ask

FIXTURES = Path(__file__).resolve().parent / "situations"
DESK = Caller("console", "desk", "console:desk")


async def follow(briefings: Briefings, name: str) -> None:
    """The test situation in `name` followed in the channel `console:desk`."""
    file = load_file(FIXTURES / name)
    await briefings.store.import_situation(file, "test")
    await briefings.store.set_channel_situation(DESK.channel, file.situation.slug, "test")


# --- the seed: civilians appear only in one source's breakdown --------------------------------------------


async def test_civilians_alone_with_source_and_as_of(ask: Ask) -> None:
    reply, text = await ask("/toll civilians")
    assert reply.ok and reply.title == "Civilians killed — Clashes on Syria's coast", text
    assert "At least 4 civilians killed, according to SOHR (as of Fri 7 Mar 2025, morning)." in text
    assert "SOHR: at least 4 civilians killed (as of Fri 7 Mar 2025, morning) [t1]" in text
    assert "70 killed" not in text and "48 killed" not in text and "security forces" not in text
    assert "[t2]" not in text and "[t3]" not in text  # claims that give no civilians figure


async def test_a_category_for_a_place_without_its_own_figure(ask: Ask) -> None:
    reply, text = await ask("/toll CIVILIANS Jabla")  # any case, the place by another spelling
    assert reply.ok and reply.title == "Civilians killed — Clashes on Syria's coast: Jableh", text
    assert "No figure for civilians killed has been reported for Jableh itself." in text
    assert "Categories with figures for it: killed." in text
    assert "Figures for the whole situation:" in text
    assert "At least 4 civilians killed, according to SOHR (as of Fri 7 Mar 2025, morning)." in text
    assert "48 killed" not in text  # Jableh's figure is of the killed, not of civilians


async def test_a_category_no_claim_gives_says_so(ask: Ask) -> None:
    reply, text = await ask("/toll cases")
    assert reply.ok and reply.title.startswith("Cases — "), text
    assert "No source has given a figure for cases." in text
    assert "Categories with figures: killed, security forces, insurgents, civilians, wounded, kidnapped." in text
    assert "For the whole toll: /toll" in text
    assert "70 killed" not in text


async def test_an_unknown_word_is_neither_a_place_nor_a_category(ask: Ask) -> None:
    reply, text = await ask("/toll goats")
    assert reply.outcome is Outcome.invalid
    assert "I don't know a place called “goats”" in text
    assert "Nor is “goats” a toll category here; categories with figures: killed, security forces" in text
    reply, text = await ask("/toll wounded Atlantis")  # a category, then a place nobody knows
    assert reply.outcome is Outcome.invalid and "I don't know a place called “Atlantis”" in text


async def test_questions_that_name_a_category_are_read_as_it(ask: Ask) -> None:
    reply, text = await ask("how many civilians were killed?")
    assert reply.ok and "Read as /toll civilians — type it yourself for more." in text, text
    assert reply.title.startswith("Civilians killed — ")
    assert "4 civilians killed" in text and "70 killed" not in text
    reply, text = await ask("how many wounded in jableh?")
    assert "Read as /toll wounded Jableh" in text and reply.title.startswith("Wounded — "), text
    assert "No figure for wounded has been reported for Jableh itself." in text
    assert "Dozens wounded, according to SOHR (as of Fri 7 Mar 2025, morning)." in text
    reply, text = await ask("how many were killed in jableh?")  # no category: the whole toll, as before
    assert "Read as /toll Jableh —" in text and reply.title.startswith("Death toll — ")


async def test_chart_takes_no_category(ask: Ask) -> None:
    reply, text = await ask("/toll chart civilians")
    assert reply.outcome is Outcome.invalid
    assert "/toll chart draws every category" in text and "/toll civilians" in text


async def test_help_shows_the_category_form(ask: Ask) -> None:
    reply, text = await ask("/help toll")
    assert reply.ok and "Usage: /toll [category] [place] · /toll chart [place]" in text, text
    assert "Example: /toll wounded" in text


# --- an earthquake across two countries ------------------------------------------------------------------


async def test_injured_by_country_never_added(briefings: Briefings, ask: Ask) -> None:
    await follow(briefings, "quake-2023-02.yaml")
    reply, text = await ask("/toll injured", DESK)
    assert reply.ok and reply.title == "Injured — Earthquakes in Turkey and Syria", text
    lines = text.splitlines()
    assert lines[2].startswith("• No figure for the whole situation; by country, not added together: ")
    assert "105,505 injured in Turkey, according to Turkish President (as of Tue 14 Feb 2023)" in lines[2]
    assert "Syrian Ministry of Health 2,326 (its figure for Government-held areas, as of Thu 9 Feb 2023)" in lines[2]
    for claim in (
        "Turkish President: 105,505 injured (as of Tue 14 Feb 2023) [t4]",
        "Syrian Ministry of Health: 2,326 injured (as of Thu 9 Feb 2023) [t7]",
        "Syrian provincial officials: 792 injured (as of Wed 8 Feb 2023) [t12]",
        "Syrian provincial officials: 750 injured (as of Wed 8 Feb 2023) [t13]",
    ):
        assert claim in text
    assert "killed" not in text and "107," not in text  # the countries' figures are never added up
    _, text = await ask("/help toll", DESK)
    assert "Example: /toll injured" in text


async def test_injured_in_one_country_and_the_question_for_it(briefings: Briefings, ask: Ask) -> None:
    await follow(briefings, "quake-2023-02.yaml")
    reply, text = await ask("how many injured in syria?", DESK)
    assert "Read as /toll injured Syria" in text and reply.title.endswith(": Syria"), text
    assert "Inside Syria: Latakia governorate" in text and "[t12]" in text and "[t7]" in text
    section = text.split("Whole situation")[0]
    assert "105,505" not in section  # Turkey's figure only under the whole situation
    reply, text = await ask("how many were injured in latakia", DESK)
    assert "Read as /toll injured Latakia governorate" in text
    assert "792 injured in Latakia governorate, according to Syrian provincial officials (as of Wed 8 Feb 2023)" in text
    reply, text = await ask("/toll displaced", DESK)  # a known category this situation has no figure for
    assert reply.ok and "No source has given a figure for displaced." in text
    assert "Categories with figures: killed, injured." in text


# --- floods: the displaced, and the situation's own category ------------------------------------------------


async def test_displaced_per_place_and_the_situations_own_category(briefings: Briefings, ask: Ask) -> None:
    await follow(briefings, "libya-floods-2023-09.yaml")
    reply, text = await ask("/toll Displaced", DESK)
    assert reply.ok and reply.title == "Displaced — Floods in north-eastern Libya", text
    assert "43,059 displaced, according to IOM (as of Thu 21 Sep 2023)." in text
    assert "IOM: at least 30,000 displaced (as of Wed 13 Sep 2023) [t2]" in text
    assert "IOM: 2,085 displaced (as of Wed 13 Sep 2023) [t5]" in text
    assert "killed" not in text and "missing" not in text
    reply, text = await ask("how many displaced in albayda", DESK)
    assert "Read as /toll displaced Al Bayda" in text and "[t3]" in text, text
    assert "43,059 displaced, according to IOM" in text  # the whole situation's, after the place's
    reply, text = await ask("/toll schools damaged", DESK)  # declared by the situation: by its label
    assert reply.ok and reply.title.startswith("Schools damaged — "), text
    assert "Tripoli government education ministry: 114 schools damaged (as of Mon 18 Sep 2023) [t8]" in text
    reply, text = await ask("how many schools damaged?", DESK)
    assert "Read as /toll schools_damaged" in text and "[t8]" in text, text
    reply, text = await ask("/toll missing Benghazi", DESK)
    assert "No figure for missing has been reported for Benghazi itself." in text
    assert "Categories with figures for it: displaced." in text
    assert "About 10,000 missing, according to IFRC (as of Tue 12 Sep 2023)." in text


SAME_NAME = """
situation: {slug: camps-2024, title: Camps after the storm, region: Coast, timezone: UTC}
sources: [{id: s1, name: Relief agency, type: international-body}]
places:
  - {id: p0, name: Coastland, type: country}
  - {id: p1, name: Missing, type: town, country: Coastland}
  - {id: p2, name: Harbour, type: town, country: Coastland}
  - {id: p3, name: Rescued Point, type: town, country: Coastland}
tolls:
  - {id: t1, source: s1, place: Missing, as_of: 2024-05-02, missing: 12, displaced: 300}
  - {id: t2, source: s1, place: Harbour, as_of: 2024-05-02, missing: 3}
  - {id: t3, source: s1, place: Rescued Point, as_of: 2024-05-03, displaced: 40}
"""


async def test_a_word_that_is_both_a_category_and_a_place_is_read_as_the_category(
    briefings: Briefings, ask: Ask
) -> None:
    await briefings.store.import_situation(load_text(SAME_NAME, "test"), "test")
    await briefings.store.set_channel_situation(DESK.channel, "camps-2024", "test")
    reply, text = await ask("/toll missing", DESK)
    assert reply.ok and reply.title == "Missing — Camps after the storm", text
    assert "“missing” names both a toll category and a place here: read as the category (missing)." in text
    assert "Relief agency: 3 missing (as of Thu 2 May 2024) [t2]" in text
    reply, text = await ask("/toll displaced Missing", DESK)
    assert reply.title == "Displaced — Camps after the storm: Missing", text
    assert "names both" not in text and "300 displaced in Missing" in text
    reply, text = await ask("/toll rescued point", DESK)  # a place whose name starts with a category's
    assert reply.ok and reply.title.endswith(": Rescued Point"), text
    assert "40 displaced in Rescued Point" in text and "names both" not in text


async def test_discord_asks_for_the_category_and_suggests_those_with_figures(briefings: Briefings) -> None:
    toll = USAGES["toll"]
    assert [o.name for o in toll.options][:2] == ["category", "place"]
    assert toll.text("toll", {"category": "displaced", "place": "Derna"}) == "/toll displaced Derna"
    assert await briefings.suggest("console:x", Suggesting.category, "") == [
        "killed",
        "security forces",
        "insurgents",
        "civilians",
        "wounded",
        "kidnapped",
    ]
    assert await briefings.suggest("console:x", Suggesting.category, "civ") == ["civilians"]
