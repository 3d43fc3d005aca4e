"""Every read command answers from the seed, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefings.access import Caller
from briefings.commands.table import COMMANDS
from briefings.facts import Source
from briefings.loader import load_file
from briefings.render_text import render
from briefings.reply import Outcome
from briefings.service import Briefings
from briefings.settings import CoreSettings
from briefings.store import NotFound, Store
from tests.conftest import SEEDS, Ask


async def test_toll_gives_figure_breakdown_source_and_as_of(ask: Ask) -> None:
    reply, text = await ask("/toll")
    assert reply.ok
    assert "At least 70 killed, according to SOHR (as of Fri 7 Mar 2025, morning)" in text
    assert "35 security forces, 32 insurgents, 4 civilians; dozens wounded" in text
    assert "breakdown adds up to 71, more than the 70 total" in text
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


# --- every read command, on both databases ------------------------------------------------------

SEED_SLUG = "syria-coast-2025-03"
READ_COMMANDS = [
    "/brief",
    "/toll",
    "/toll Jableh",
    "/toll Latakia province",
    "/toll Qardaha",
    "/reactions",
    "/reactions Turkey",
    "/reactions Alawite Islamic Council",
    "/reactions Kneifati",
    "/timeline",
    "/timeline 2025-03-06",
    "/timeline 2025-03-07",
    "/timeline thursday",
    "/where",
    "/where Qardaha",
    "/where Beit Anan",
    "/sources",
    "/situations",
    "/help",
    "/help toll",
    "/toll Atlantis",
    "/tol",
]
MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
DAYS = "Mon|Tue|Wed|Thu|Fri|Sat|Sun"
DATE = re.compile(rf"\b(?:(?:{DAYS}) )?\d{{1,2}} (?:{MONTHS})(?: \d{{4}})?\b|\b(?:{MONTHS}) \d{{4}}\b")
FACT_ID = re.compile(r"\[[a-z]\d+\]")
AS_OF = re.compile(rf"\b(?:as of|by) (?:{DAYS}) \d{{1,2}} (?:{MONTHS})")


def bullets(text: str) -> list[list[str]]:
    """The body lines grouped by section (blank lines separate sections; title and footer included)."""
    return [block.splitlines() for block in text.split("\n\n")]


async def source_labels(ask: Ask) -> list[str]:
    snapshot = await ask.briefings.store.snapshot(SEED_SLUG)
    return [snapshot.source_label(key) for key, _ in snapshot.all(Source)]


async def test_brief_is_short_and_sourced(ask: Ask) -> None:
    reply, text = await ask("/brief")
    assert reply.ok
    assert reply.title == "Clashes on Syria's coast — Latakia and Tartous provinces, Syria"
    main = reply.sections[-1].lines
    assert len(main) == 4 and all(ln.level == 0 for ln in main)
    toll = main[0].text
    assert toll.startswith("Toll: At least 70 killed")
    assert "SOHR" in toll and "as of Fri 7 Mar 2025, morning" in toll
    assert all(re.search(r"^Fri 7 Mar(, morning)?: .* \[[em]\d+\]$", ln.text) for ln in main[1:]), text
    assert reply.footer is not None and "6 reactions /reactions" in reply.footer.text


async def test_reactions_lists_every_actor(ask: Ask) -> None:
    reply, text = await ask("/reactions")
    assert reply.ok
    headings = [s.heading for s in reply.sections]
    assert headings == [
        "Mustafa Kneifati",
        "Alawite Islamic Council in Syria",
        "Saudi Arabia",
        "Turkey",
        "Claims no one is named for",
    ]
    for key in ("r1", "r2", "r3", "r4", "r5", "r6"):
        assert f"[{key}]" in text
    assert '"a well-planned and premeditated attack"' in text
    assert '"Such provocations must not be allowed to become a threat to peace in Syria and the region"' in text


async def test_reactions_of_one_actor(ask: Ask) -> None:
    reply, text = await ask("/reactions turkey")
    assert reply.ok and reply.title.endswith(": Turkey")
    assert "[r6]" in text and "[r5]" not in text and "[r1]" not in text
    assert "Turkish Foreign Ministry" in text and "by Fri 7 Mar 2025" in text
    reply, text = await ask('/reactions "Saudi"')
    assert reply.ok and reply.title.endswith(": Saudi Arabia")
    assert "[r5]" in text and "[r6]" not in text
    reply, text = await ask("/reactions “Türkiye”")
    assert reply.ok and reply.title.endswith(": Turkey")


async def test_reactions_of_an_actor_with_claims_only(ask: Ask) -> None:
    reply, text = await ask("/reactions Syrian authorities")
    assert reply.ok
    assert [s.heading for s in reply.sections if s.heading] == ["Claims"]
    assert "[c1]" in text and "[c5]" in text


async def test_reactions_of_an_unknown_actor(ask: Ask) -> None:
    reply, text = await ask("/reactions Turky Foreign Minstry of Atlantis")
    assert reply.outcome is Outcome.invalid
    assert "I don't know an actor called" in text
    assert "Did you mean" in text or "Known actors" in text
    reply, text = await ask("/reactions Saudia")
    assert reply.ok or "Saudi Arabia" in text  # close enough, or suggested


async def test_timeline_grouped_by_day(ask: Ask) -> None:
    reply, text = await ask("/timeline")
    assert reply.ok
    headings = [s.heading for s in reply.sections]
    assert headings == ["Dec 2024", "Thu 6 Mar 2025", "By Fri 7 Mar 2025 (day not given)", "Fri 7 Mar 2025"]
    assert len(headings) == len(set(headings))
    fri = reply.sections[-1].lines
    assert fri[0].text.startswith("(morning) ") and "[e9]" in fri[0].text  # a part of the day before the day
    assert text.index("[e1]") < text.index("[e2]") < text.index("[e3]") < text.index("[e9]") < text.index("[e8]")


@pytest.mark.parametrize("day", ["2025-03-06", "thursday", "Thu", "6 March", "Mar 6th"])
async def test_timeline_of_one_day(ask: Ask, day: str) -> None:
    reply, text = await ask(f"/timeline {day}")
    assert reply.ok
    assert reply.title.endswith(": Thu 6 Mar 2025")
    assert [s.heading for s in reply.sections] == ["Thu 6 Mar 2025"]
    assert "[e2]" in text and "[e3]" not in text and "[e1]" not in text


async def test_timeline_of_a_bad_or_empty_day(ask: Ask) -> None:
    reply, text = await ask("/timeline bad-day")
    assert reply.outcome is Outcome.invalid
    assert "'bad-day' is not a day" in text
    reply, text = await ask("/timeline 2025-03-01")
    assert reply.outcome is Outcome.invalid
    assert "Nothing recorded for Sat 1 Mar 2025" in text and "Thu 6 Mar" in text


async def test_where(ask: Ask) -> None:
    reply, text = await ask("/where")
    assert reply.ok
    assert [s.heading for s in reply.sections] == ["Latakia province", "Tartous province"]
    for place in ("Latakia (city)", "Jableh (city)", "Qardaha (town)", "Beit Anan (village)", "Tartous (city)"):
        assert place in text
    assert "SOHR: 48 killed" in text


async def test_where_by_alias(ask: Ask) -> None:
    reply, text = await ask("/where Bayt Anan")
    assert reply.ok
    assert reply.title.startswith("Beit Anan — ")
    assert "Village in Latakia province, Jableh district" in text
    assert "[e5]" in text and "helicopters" in text
    reply, text = await ask("/where Atlantis")
    assert reply.outcome is Outcome.invalid and "Did you mean" in text


async def test_sources(ask: Ask) -> None:
    reply, text = await ask("/sources")
    assert reply.ok
    lines = text.splitlines()
    sohr = next(i for i, ln in enumerate(lines) if ln.endswith("[s1]"))
    assert "Syrian Observatory for Human Rights (SOHR) — war monitor" in lines[sohr]
    assert lines[sohr + 1].strip().startswith("– 3 facts, latest as of Fri 7 Mar 2025, morning")
    assert "Turkish Foreign Ministry — foreign ministry [s7]" in text


async def test_sources_shows_the_label_other_answers_cite(ask: Ask) -> None:
    _, toll_text = await ask("/toll")
    assert "according to SOHR" in toll_text
    _, text = await ask("/sources")
    sohr_line = next(ln for ln in text.splitlines() if ln.endswith("[s1]"))
    assert "SOHR" in sohr_line and "war monitor" in sohr_line


async def test_help(ask: Ask) -> None:
    reply, text = await ask("/help")
    assert reply.ok
    for name in ("/brief", "/toll [category] [place]", "/reactions [actor]", "/timeline [day]", "/where", "/sources"):
        assert name in text
    assert "/situation use" not in text  # readers are not shown moderators' commands
    reply, text = await ask("/help toll")
    assert reply.ok and reply.title == "/toll"
    assert "Usage: /toll [category] [place]" in text and "Example: /toll Jableh" in text
    reply, text = await ask("/help /TOLL")
    assert reply.ok and reply.title == "/toll"


async def test_help_for_a_moderator_lists_moderators_commands(ask: Ask, moderator: Caller) -> None:
    reply, text = await ask("/help", moderator)
    assert reply.ok and "Moderators" in text and "/situation use SLUG" in text


async def test_unknown_command_suggests(ask: Ask) -> None:
    reply, text = await ask("/tol")
    assert reply.outcome is Outcome.invalid
    assert "I don't know the command /tol." in text and "Did you mean /toll?" in text
    reply, text = await ask("/help tol")
    assert reply.outcome is Outcome.invalid and "/toll" in text


async def test_unreadable_text_is_invalid_not_an_error(ask: Ask) -> None:
    for text_in in ['/toll "Beit', "", "/toll " + "x" * 5000]:
        reply, text = await ask(text_in)
        assert reply.outcome is Outcome.invalid
        assert text.startswith("I couldn't read that")


async def chosen(store: Store, channel: str) -> str | None:
    """The situation a channel chose, read as every command reads it (`Store.locate`): with a default that names
    no situation, a channel that chose none has no situation to follow."""
    try:
        slug, _ = await store.locate(channel, default="no-such-situation")
    except NotFound:
        return None
    return slug


async def test_situations_lists_the_slug(ask: Ask) -> None:
    reply, text = await ask("/situations")
    assert reply.ok
    assert f"{SEED_SLUG} — Clashes on Syria's coast ← this channel" in text


async def test_situation_use_by_a_reader_is_refused(ask: Ask, reader: Caller) -> None:
    reply, text = await ask(f"/situation use {SEED_SLUG}")
    assert reply.outcome is Outcome.refused
    assert "for moderators" in text
    assert await chosen(ask.briefings.store, reader.channel) is None
    reply, text = await ask("/situation use elsewhere")
    assert reply.outcome is Outcome.refused


async def test_situation_use_by_a_moderator(ask: Ask, moderator: Caller) -> None:
    reply, text = await ask("/situation use nowhere-2020", moderator)
    assert reply.outcome is Outcome.invalid
    assert "There is no situation “nowhere-2020”" in text and SEED_SLUG in text
    assert await chosen(ask.briefings.store, moderator.channel) is None
    reply, text = await ask("/situation", moderator)
    assert reply.outcome is Outcome.invalid and "Usage: /situation use SLUG" in text
    reply, text = await ask(f"/situation use {SEED_SLUG.upper()}", moderator)
    assert reply.ok
    assert await chosen(ask.briefings.store, moderator.channel) == SEED_SLUG


@pytest.mark.parametrize("command", ["/brief x=1", "/toll place=Jableh", "/reactions actor=Turkey", "/sources all=yes"])
async def test_unexpected_options_are_invalid(ask: Ask, command: str) -> None:
    reply, text = await ask(command)
    assert reply.outcome is Outcome.invalid
    name, option = command.split()[0], command.split()[1].split("=")[0]
    assert f"{name} takes no {option}= option." in text
    assert "Usage: " + COMMANDS[name.lstrip("/")].usage in text


async def test_commands_and_names_are_case_insensitive(ask: Ask) -> None:
    upper, upper_text = await ask("/TOLL JABLEH")
    _lower, lower_text = await ask("/toll jableh")
    assert upper.ok and upper.title.endswith(": Jableh")
    assert upper_text == lower_text
    reply, _ = await ask("/Reactions TURKEY")
    assert reply.ok and reply.title.endswith(": Turkey")


async def test_every_read_reply_fits_in_a_chat_message(ask: Ask, moderator: Caller) -> None:
    for command in READ_COMMANDS:
        for caller in (None, moderator):
            _reply, text = await ask(command, caller)
            assert len(text) <= 3000, f"{command}: {len(text)} characters"
            assert text.strip(), command


def figures_without_citation(text: str, sources: list[str]) -> list[str]:
    """Lines with a number that is not a date, an id or part of a source's name, and that name no source
    with an as-of or an id. A detail line ("  – ...") belongs to the bullet above it and may rely on its
    citation."""
    bad = []
    parent = ""
    for raw in text.splitlines():
        is_detail = raw.startswith("  – ")
        cited_here = raw if not is_detail else raw + " " + parent
        if not is_detail:
            parent = raw
        stripped = FACT_ID.sub("", DATE.sub("", raw))
        for name in sources:
            stripped = stripped.replace(name, "")
        if not re.search(r"\d", stripped):
            continue
        names_source = any(name in cited_here for name in sources)
        if not (names_source and (AS_OF.search(cited_here) or FACT_ID.search(cited_here))):
            bad.append(raw)
    return bad


def test_the_citation_checker_catches_bare_figures() -> None:
    sources = ["SOHR", "News report of 7 Mar 2025"]
    assert figures_without_citation("• At least 70 killed.", sources) == ["• At least 70 killed."]
    assert figures_without_citation("• SOHR: 70 killed", sources) == ["• SOHR: 70 killed"]
    assert figures_without_citation("• 70 killed (as of Fri 7 Mar 2025) [t1]", sources) != []
    assert figures_without_citation("• SOHR: 70 killed (as of Fri 7 Mar 2025)\n  – of whom 4 civilians", sources) == []
    assert figures_without_citation("• News report of 7 Mar 2025 (by Fri 7 Mar 2025) [e1]", sources) == []
    assert figures_without_citation("Latest information Fri 7 Mar 2025, morning", sources) == []


@pytest.mark.parametrize("command", ["/toll", "/toll Jabla", "/toll Qardaha", "/toll Latakia province"])
async def test_every_figure_cites_a_source_and_an_as_of_or_id(ask: Ask, command: str) -> None:
    reply, text = await ask(command)
    assert reply.ok
    assert re.search(r"\b\d+ killed", text)
    assert figures_without_citation(text, await source_labels(ask)) == []


async def test_commands_that_replies_mention_exist(ask: Ask, moderator: Caller) -> None:
    mentioned: set[str] = set()
    for command in READ_COMMANDS:
        reply, text = await ask(command, moderator)
        if reply.ok:  # an unknown command's reply repeats what was typed
            mentioned |= set(re.findall(r"(?<![\w/])/([a-z]+)\b", text))
    assert "toll" in mentioned
    assert sorted(mentioned - set(COMMANDS)) == []


# --- a second situation -----------------------------------------------------------------------

SECOND = """\
situation:
  slug: test-flood-2025
  title: Test flood
  region: Testland
  timezone: Europe/Berlin
sources:
  - {id: s1, name: Test Agency, aliases: [TA], type: news-agency}
places:
  - {id: p1, name: Riverside, type: town, province: Testshire}
tolls:
  - {id: t1, source: TA, as_of: 2025-05-02, place: Riverside, killed: 3}
"""


async def test_situation_use_switches_only_the_callers_channel(
    ask: Ask, briefings: Briefings, moderator: Caller, tmp_path: Path
) -> None:
    path = tmp_path / "second.yaml"
    path.write_text(SECOND, encoding="utf-8")
    assert await briefings.store.import_situation(load_file(path), "test")
    assert not await briefings.store.import_situation(load_file(path), "test")  # once only
    elsewhere = Caller("slack", "U0READER", "C-elsewhere")
    same_channel = Caller("console", "someone", moderator.channel)

    reply, text = await ask("/situations", moderator)
    assert f"{SEED_SLUG} — Clashes on Syria's coast ← this channel" in text
    assert "test-flood-2025 — Test flood\n" in text + "\n"

    reply, text = await ask("/situation use test-flood-2025", moderator)
    assert reply.ok and "Test flood" in text

    reply, text = await ask("/toll", moderator)
    assert reply.ok and reply.title == "Death toll — Test flood"
    assert "TA: 3 killed (as of Fri 2 May 2025) [t1]" in text
    reply, text = await ask("/toll", same_channel)
    assert reply.title == "Death toll — Test flood"  # the channel switched, not the person

    reply, text = await ask("/toll", elsewhere)
    assert reply.ok and reply.title == "Death toll — Clashes on Syria's coast"
    assert "At least 70 killed, according to SOHR" in text
    reply, text = await ask("/situations", elsewhere)
    assert f"{SEED_SLUG} — Clashes on Syria's coast ← this channel" in text
    assert "Test flood ← this channel" not in text

    assert await chosen(briefings.store, moderator.channel) == "test-flood-2025"
    assert await chosen(briefings.store, elsewhere.channel) is None
    reply, _ = await ask(f"/situation use {SEED_SLUG}", moderator)
    assert reply.ok
    reply, _ = await ask("/toll", moderator)
    assert reply.title == "Death toll — Clashes on Syria's coast"
    assert [s.slug for s in await briefings.store.situations()] == [SEED_SLUG, "test-flood-2025"]
    assert SEEDS.exists()


# --- answers given again until the situation changes --------------------------------------------


async def test_an_answer_is_given_again_until_another_instance_changes_the_situation(
    settings: CoreSettings, reader: Caller, moderator: Caller
) -> None:
    """Read answers are kept per (situation version, text); a write anywhere, here a second process sharing
    the database, makes the next answer a fresh one."""
    one, two = await Briefings.start(settings), await Briefings.start(settings)
    try:
        first = await one.handle("/toll", reader)
        assert await one.handle("/toll", reader) is first  # the same answer, not recomputed
        assert await one.handle("/toll Jableh", reader) is not first  # another question, another answer

        written = await two.handle("/update toll killed=1234 source=SOHR as_of=2025-03-08T10:00", moderator)
        assert written.ok, render(written)
        fresh = await one.handle("/toll", reader)
        assert fresh is not first
        assert "1,234 killed" in render(fresh) and "1,234" not in render(first)
    finally:
        await one.close()
        await two.close()


async def test_a_question_does_not_change_the_answer_it_borrows(briefings: Briefings, reader: Caller) -> None:
    """A plain-word question is answered by a command and says how it was read; the kept command answer
    itself stays as the command gives it."""
    asked = await briefings.handle("how many people died in Jableh?", reader)
    assert "Read as" in render(asked)
    assert "Read as" not in render(await briefings.handle("/toll Jableh", reader))


async def test_help_differs_for_moderators_and_readers(briefings: Briefings, reader: Caller, moderator: Caller) -> None:
    assert "/update" not in render(await briefings.handle("/help", reader))
    assert "/update" in render(await briefings.handle("/help", moderator))
    assert "/update" not in render(await briefings.handle("/help", reader))
