"""Moderators keep the situation current from chat: every command, every refusal (and that a refusal
changes nothing), the lower-toll rule, undo, history, what changed, mentions, and the `briefing` CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import briefings.store.store as store_module
from briefings.access import Caller
from briefings.facts import Actor, Claim, Event, Measure, Place, Qualifier, Reaction, Source, Status, Toll, Vague
from briefings.reply import Outcome, Reply, Span
from briefings.service import Briefings
from briefings.snapshot import Snapshot
from tests.conftest import ROOT, SEEDS, Ask

SLUG = "syria-coast-2025-03"
PINGS = ("<!channel>", "@everyone", "@here", "<@U123>", "<@&456>")
PING_TEXT = " ".join(PINGS)


# --- helpers ------------------------------------------------------------------------------------


async def revision_count(briefings: Briefings) -> int:
    return len(await briefings.store.all_revisions(SLUG))


async def snapshot(briefings: Briefings) -> Snapshot:
    return await briefings.store.snapshot(SLUG)


async def accepted(ask: Ask, command: str, caller: Caller | None = None) -> str:
    """Runs `command` (as the moderator when `caller` is given) and insists it was answered."""
    reply, text = await ask(command, caller)
    assert reply.outcome is Outcome.answered, text
    return text


async def refused_reply(
    briefings: Briefings,
    ask: Ask,
    command: str,
    caller: Caller | None = None,
    outcome: Outcome = Outcome.invalid,
) -> tuple[Reply, str]:
    """Runs `command`, insists on `outcome` and that not a single revision was written."""
    before = await briefings.store.all_revisions(SLUG)
    reply, text = await ask(command, caller)
    assert reply.outcome is outcome, text
    after = await briefings.store.all_revisions(SLUG)
    assert len(after) == len(before), f"{command!r} was refused but wrote {len(after) - len(before)} revisions"
    assert after == before
    return reply, text


async def refused(
    briefings: Briefings,
    ask: Ask,
    command: str,
    caller: Caller | None = None,
    outcome: Outcome = Outcome.invalid,
) -> str:
    return (await refused_reply(briefings, ask, command, caller, outcome))[1]


def all_spans(reply: Reply) -> list[Span]:
    spans = [span for section in reply.sections for ln in section.lines for span in ln.spans]
    if reply.footer:
        spans += list(reply.footer.spans)
    return spans


def pinging_spans(reply: Reply) -> list[Span]:
    return [span for span in all_spans(reply) if any(ping in span.text for ping in PINGS)]


def travel(briefings: Briefings, monkeypatch: pytest.MonkeyPatch, days: float) -> datetime:
    """From now on, revisions are recorded and commands run `days` after the real time (the seed
    was loaded at the real time). Returns the new 'now'."""

    def later() -> datetime:
        return datetime.now(UTC) + timedelta(days=days)

    monkeypatch.setattr(store_module, "now", later)
    briefings.clock = later
    return later()


def situation_time(moment: datetime) -> str:
    """`2026-01-01T10:30` in the situation's time zone (what `/whatchanged since=` reads)."""
    return moment.astimezone(ZoneInfo("Asia/Damascus")).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def other_moderator() -> Caller:
    """A second moderator (slack:U0MOD in the settings)."""
    return Caller("slack", "U0MOD", "C0123", "Mona")


# --- every command works for a moderator ---------------------------------------------------------


async def test_update_toll_with_every_option(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    reply, text = await ask(
        "/update toll killed=120 civilians=60 security=30 insurgents=30 wounded=200 kidnapped=several "
        'qualifier=about low=100 high=150 place=Jabla source=SOHR via=Reuters as_of=2025-03-08T18:00 note="Count '
        'from hospitals"',
        moderator,
    )
    assert reply.outcome is Outcome.answered, text
    assert reply.title == "Recorded t4 (toll)"
    assert "[t4]" in text
    for fragment in (
        "Jableh",
        "SOHR and Reuters",
        "about 120 killed",
        "100–150",
        "30 security forces",
        "30 insurgents",
        "60 civilians",
        "200 wounded",
        "several kidnapped",
        "as of Sat 8 Mar 2025 18:00",
        "Count from hospitals",
        "/history t4",
    ):
        assert fragment in text, fragment
    toll = (await snapshot(briefings)).facts["t4"]
    assert isinstance(toll, Toll)
    assert (toll.killed, toll.civilians, toll.security, toll.insurgents) == (120, 60, 30, 30)
    assert (toll.wounded, toll.kidnapped, toll.qualifier) == (200, Vague.several, Qualifier.about)
    assert (toll.low, toll.high, toll.place, toll.sources) == (100, 150, "p5", ["s1", "s2"])
    assert toll.as_of.iso() == "2025-03-08T18:00"
    assert toll.note == "Count from hospitals"
    history = await briefings.store.history(SLUG, "t4")
    assert [(r.number, r.action, r.author) for r in history] == [(1, "create", "console:mod")]


async def test_update_toll_shows_in_toll(ask: Ask, moderator: Caller) -> None:
    text = await accepted(ask, "/update toll killed=120 civilians=60 source=SOHR as_of=2025-03-08T18:00", moderator)
    assert "Recorded t4 (toll)" in text and "[t4]" in text and "120 killed" in text
    reply, text = await ask("/toll")
    assert reply.ok
    assert "120 killed" in text and "[t4]" in text


async def test_add_event(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    reply, text = await ask(
        '/add event date=2025-03-08 place=Jableh actors="Pro-Assad gunmen" text="Fighting reaches the port" '
        'source=SOHR note="Unconfirmed"',
        moderator,
    )
    assert reply.outcome is Outcome.answered, text
    assert reply.title == "Recorded e10 (event)"
    assert "Sat 8 Mar 2025" in text and "Fighting reaches the port" in text and "[e10]" in text
    event = (await snapshot(briefings)).facts["e10"]
    assert isinstance(event, Event)
    assert (event.places, event.actors, event.sources, event.note) == (["p5"], ["a2"], ["s1"], "Unconfirmed")
    reply, text = await ask("/timeline 2025-03-08")
    assert reply.ok and "Fighting reaches the port" in text and "[e10]" in text


async def test_add_reaction(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    reply, text = await ask(
        '/add reaction actor=Türkiye stance=condemns summary="Condemns the killing of civilians" '
        'quote="This must stop" date=2025-03-08 source="news report"',
        moderator,
    )
    assert reply.outcome is Outcome.answered, text
    assert reply.title == "Recorded r7 (reaction)"
    assert "Turkey" in text and "condemns" in text and "Condemns the killing of civilians" in text
    assert "This must stop" in text and "[r7]" in text
    reaction = (await snapshot(briefings)).facts["r7"]
    assert isinstance(reaction, Reaction)
    assert (reaction.actor, reaction.sources, reaction.when.iso()) == ("a7", ["s3"], "2025-03-08")
    reply, text = await ask("/reactions Turkey")
    assert reply.ok and "Condemns the killing of civilians" in text and "[r7]" in text


async def test_add_measure(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    reply, text = await ask(
        '/add measure type=curfew date=2025-03-08 text="Curfew extended by 48 hours" by="Syrian authorities" '
        'place="Latakia province, Tartous province" source="news report"',
        moderator,
    )
    assert reply.outcome is Outcome.answered, text
    assert reply.title == "Recorded m5 (measure)"
    assert "Curfew extended by 48 hours" in text and "[m5]" in text
    measure = (await snapshot(briefings)).facts["m5"]
    assert isinstance(measure, Measure)
    assert (measure.type, measure.by, measure.places) == ("curfew", "a1", ["p2", "p4"])
    reply, text = await ask("/timeline 2025-03-08")
    assert reply.ok and "Curfew extended by 48 hours" in text


async def test_add_claim(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    reply, text = await ask(
        '/add claim actor="Syrian authorities" date=2025-03-08 text="Order has been restored in Jableh" '
        'quote="calm has returned" topic=security source="news report"',
        moderator,
    )
    assert reply.outcome is Outcome.answered, text
    assert reply.title == "Recorded c6 (claim)"
    assert "Syrian authorities" in text and "Order has been restored in Jableh" in text and "[c6]" in text
    claim = (await snapshot(briefings)).facts["c6"]
    assert isinstance(claim, Claim)
    assert (claim.actor, claim.quote, claim.topic) == ("a1", "calm has returned", "security")


async def test_add_source_then_use_it(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    reply, text = await ask(
        '/add source name="UN Human Rights Office" kind=international-body aliases="OHCHR, UN rights office" '
        'description="Office of the UN High Commissioner"',
        moderator,
    )
    assert reply.outcome is Outcome.answered, text
    assert reply.title == "Recorded s8 (source)"
    assert "UN Human Rights Office" in text and "OHCHR" in text and "[s8]" in text
    source = (await snapshot(briefings)).facts["s8"]
    assert isinstance(source, Source)
    assert source.aliases == ["OHCHR", "UN rights office"]
    text = await accepted(ask, "/update toll killed=95 source=OHCHR as_of=2025-03-08", moderator)
    assert "[t4]" in text and "OHCHR" in text


async def test_add_place_with_aliases_found_by_toll_and_where(
    briefings: Briefings, ask: Ask, moderator: Caller
) -> None:
    command = '/add place name=Baniyas province=Tartous kind=city aliases="Banias, Banyas"'
    reply, text = await ask(command, moderator)
    assert reply.outcome is Outcome.answered, text
    assert reply.title == "Recorded p8 (place)"
    assert "Baniyas" in text and "Banias, Banyas" in text and "[p8]" in text
    place = (await snapshot(briefings)).facts["p8"]
    assert isinstance(place, Place)
    assert (place.name, place.province, place.type.value, place.aliases) == (
        "Baniyas",
        "Tartous",
        "city",
        ["Banias", "Banyas"],
    )
    text = await accepted(ask, "/update toll killed=20 place=Banias source=Reuters as_of=2025-03-08", moderator)
    assert "Baniyas" in text and "[t4]" in text
    await accepted(
        ask, '/add event date=2025-03-08 place=Banyas text="Shelling near the refinery" source=SOHR', moderator
    )

    reply, text = await ask("/toll Banyas")
    assert reply.ok, text
    assert reply.title.endswith(": Baniyas")
    assert "20 killed" in text and "[t4]" in text
    reply, text = await ask("/where Banias")
    assert reply.ok, text
    assert reply.title.startswith("Baniyas")
    assert "Banias, Banyas" in text and "20 killed" in text and "Shelling near the refinery" in text


async def test_add_actor_then_use_it(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    reply, text = await ask(
        '/add actor name="European Union" kind=international-body aliases="EU, Brussels"', moderator
    )
    assert reply.outcome is Outcome.answered, text
    assert reply.title == "Recorded a10 (actor)"
    assert "European Union" in text and "[a10]" in text
    actor = (await snapshot(briefings)).facts["a10"]
    assert isinstance(actor, Actor) and actor.aliases == ["EU", "Brussels"]
    await accepted(
        ask,
        '/add reaction actor=EU stance=calls-for summary="Calls for restraint" date=2025-03-08 source="news report"',
        moderator,
    )
    reply, text = await ask("/reactions European Union")
    assert reply.ok and "Calls for restraint" in text


async def test_correct_records_a_new_revision(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    reply, text = await ask('/correct t1 killed=72 reason="SOHR revised its count"', moderator)
    assert reply.outcome is Outcome.answered, text
    assert reply.title == "Corrected t1"
    assert "killed 70 → 72" in text and "at least 72 killed" in text and "[t1]" in text
    history = await briefings.store.history(SLUG, "t1")
    assert [(r.number, r.action, r.reason) for r in history] == [
        (1, "load", None),
        (2, "correct", "SOHR revised its count"),
    ]
    assert history[-1].author == "console:mod"
    reply, text = await ask("/toll")
    assert "At least 72 killed, according to SOHR" in text


async def test_retract_leaves_answers_but_stays_in_history(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    reply, text = await ask('/retract t3 reason="The report withdrew the figure"', moderator)
    assert reply.outcome is Outcome.answered, text
    assert reply.title == "Retracted t3" and "[t3]" in text and "retracted" in text
    reply, text = await ask("/toll")
    assert reply.ok and "[t3]" not in text and "kidnapped" not in text
    reply, text = await ask("/toll Qardaha")
    assert reply.ok and "[t3]" not in text

    await accepted(ask, '/retract e9 reason="SOHR did not say that"', moderator)
    reply, text = await ask("/timeline")
    assert reply.ok and "[e9]" not in text and "[e8]" in text

    reply, text = await ask("/history t3")
    assert reply.ok
    assert "#1" in text and "#2" in text
    assert "retracted by console:mod · why: The report withdrew the figure" in text
    assert "status reported → retracted" in text
    assert "at least 10 kidnapped" in text
    fact = (await snapshot(briefings)).facts["t3"]
    assert fact.status is Status.retracted


async def test_history_shows_who_what_and_why(ask: Ask, moderator: Caller, other_moderator: Caller) -> None:
    await accepted(ask, '/correct t2 killed=50 reason="Hospital count"', moderator)
    await accepted(ask, '/correct t2 note="Dead in the city and its outskirts" reason="Wording"', other_moderator)
    reply, text = await ask("/history t2")  # anyone may read the history
    assert reply.ok, text
    assert reply.title == "History of t2 (toll)"
    first, second, third = text.index("#1 "), text.index("#2 "), text.index("#3 ")
    assert first < second < third
    assert "loaded by seed" in text[first:second] and "48 killed" in text[first:second]
    assert "corrected by console:mod · why: Hospital count" in text[second:third]
    assert "killed 48 → 50" in text[second:third]
    assert "corrected by Mona (slack:U0MOD) · why: Wording" in text[third:]
    assert "note Reported dead in the city. → Dead in the city and its outskirts" in text[third:]
    assert "Now" in [s.heading for s in reply.sections]


async def test_each_accepted_change_replies_with_the_fact_and_its_id(ask: Ask, moderator: Caller) -> None:
    commands = {
        "/update toll killed=150 source=SOHR as_of=2025-03-08": "[t4]",
        "/update toll wounded=300 source=Reuters as_of=2025-03-08": "[t5]",
        '/add event date=2025-03-08 text="More clashes" source=SOHR': "[e10]",
        '/add event date=2025-03-08 text="Even more clashes" source=SOHR': "[e11]",
        '/add reaction actor=Turkey stance=warns summary="Warns again" source="news report"': "[r7]",
        '/add measure text="Roads closed" source="news report"': "[m5]",
        '/add claim text="Foreign fighters are involved" source="news report"': "[c6]",
        '/add source name="Amnesty International" kind=rights-group': "[s8]",
        "/add place name=Baniyas province=Tartous": "[p8]",
        '/add actor name="Hezbollah" kind=armed-group': "[a10]",
        '/correct e10 text="More clashes near Jableh" reason="Place given"': "[e10]",
        '/retract e11 reason="Duplicate"': "[e11]",
    }
    for command, key in commands.items():
        text = await accepted(ask, command, moderator)
        assert key in text, (command, text)


# --- undo ---------------------------------------------------------------------------------------


async def test_undo_of_an_add_retracts_it_as_a_new_revision(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    await accepted(ask, '/add event date=2025-03-08 text="Fighting in Baniyas" source=SOHR', moderator)
    reply, text = await ask("/undo", moderator)
    assert reply.outcome is Outcome.answered, text
    assert reply.title == "Undone: create of e10"
    assert "[e10]" in text and "retracted" in text
    history = await briefings.store.history(SLUG, "e10")
    assert [(r.number, r.action, r.fact.status) for r in history] == [
        (1, "create", Status.reported),
        (2, "undo", Status.retracted),
    ]
    assert history[1].reason == "undo of create #1"
    reply, text = await ask("/timeline")
    assert "Fighting in Baniyas" not in text
    reply, text = await ask("/history e10")
    assert "undone by console:mod" in text and "status reported → retracted" in text


async def test_undo_of_a_correction_brings_back_the_previous_values(
    briefings: Briefings, ask: Ask, moderator: Caller
) -> None:
    await accepted(ask, '/correct t1 killed=72 civilians=6 reason="SOHR revised"', moderator)
    reply, text = await ask("/undo", moderator)
    assert reply.outcome is Outcome.answered, text
    assert reply.title == "Undone: correct of t1"
    assert "at least 70 killed" in text
    toll = (await snapshot(briefings)).facts["t1"]
    assert isinstance(toll, Toll) and (toll.killed, toll.civilians) == (70, 4)
    history = await briefings.store.history(SLUG, "t1")
    assert [(r.number, r.action) for r in history] == [(1, "load"), (2, "correct"), (3, "undo")]
    reply, text = await ask("/toll")
    assert "At least 70 killed, according to SOHR" in text


async def test_second_undo_goes_one_change_further_back(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    await accepted(ask, '/add event date=2025-03-08 text="Fighting in Baniyas" source=SOHR', moderator)
    await accepted(ask, '/correct t1 killed=72 reason="SOHR revised"', moderator)
    reply, text = await ask("/undo", moderator)
    assert reply.outcome is Outcome.answered and reply.title == "Undone: correct of t1", text
    reply, text = await ask("/undo", moderator)
    assert reply.outcome is Outcome.answered and reply.title == "Undone: create of e10", text
    now = await snapshot(briefings)
    toll = now.facts["t1"]
    assert isinstance(toll, Toll) and toll.killed == 70
    assert now.facts["e10"].status is Status.retracted
    await refused(briefings, ask, "/undo", moderator)  # nothing left to undo
    reply, text = await ask("/undo", moderator)
    assert "no change to undo" in text


async def test_second_undo_of_the_same_fact_goes_one_change_further_back(
    briefings: Briefings, ask: Ask, moderator: Caller
) -> None:
    await accepted(ask, '/correct t1 killed=72 reason="first"', moderator)
    await accepted(ask, '/correct t1 killed=74 reason="second"', moderator)
    await accepted(ask, "/undo", moderator)
    toll = (await snapshot(briefings)).facts["t1"]
    assert isinstance(toll, Toll) and toll.killed == 72
    reply, text = await ask("/undo", moderator)
    assert reply.outcome is Outcome.answered, text
    toll = (await snapshot(briefings)).facts["t1"]
    assert isinstance(toll, Toll) and toll.killed == 70


async def test_undo_after_someone_else_changed_the_fact_is_refused(
    briefings: Briefings, ask: Ask, moderator: Caller, other_moderator: Caller
) -> None:
    await accepted(ask, '/correct t2 killed=50 reason="mine"', moderator)
    await accepted(ask, '/correct t2 killed=52 reason="theirs"', other_moderator)
    text = await refused(briefings, ask, "/undo", moderator)
    assert "Can't undo: t2 was changed again since, by Mona (slack:U0MOD)" in text
    assert "Nothing was changed" in text and "/history t2" in text
    toll = (await snapshot(briefings)).facts["t2"]
    assert isinstance(toll, Toll) and toll.killed == 52


async def test_undo_with_nothing_to_undo(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    text = await refused(briefings, ask, "/undo", moderator)
    assert "You have no change to undo." in text


async def test_undo_only_takes_back_your_own_change(
    briefings: Briefings, ask: Ask, moderator: Caller, other_moderator: Caller
) -> None:
    await accepted(ask, '/add event date=2025-03-08 text="Mine" source=SOHR', moderator)
    await accepted(ask, '/add event date=2025-03-08 text="Theirs" source=SOHR', other_moderator)
    reply, text = await ask("/undo", moderator)
    assert reply.outcome is Outcome.answered and reply.title == "Undone: create of e10", text
    now = await snapshot(briefings)
    assert now.facts["e10"].status is Status.retracted
    assert now.facts["e11"].status is Status.reported


# --- what changed -------------------------------------------------------------------------------


async def test_whatchanged_default_24h(
    briefings: Briefings, ask: Ask, moderator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    travel(briefings, monkeypatch, days=2)  # the seed was loaded two days "ago"
    await accepted(ask, "/update toll killed=120 source=SOHR as_of=2025-03-08T18:00", moderator)
    await accepted(ask, '/add event date=2025-03-08 text="Fighting reaches Baniyas" source=SOHR', moderator)
    await accepted(
        ask,
        '/add reaction actor=Turkey stance=condemns summary="Condemns the killings" date=2025-03-08 '
        'source="news report"',
        moderator,
    )
    await accepted(ask, '/correct t2 killed=52 reason="SOHR revised the Jableh count"', moderator)
    await accepted(ask, '/retract t3 reason="The report withdrew the figure"', moderator)

    reply, text = await ask("/whatchanged")
    assert reply.outcome is Outcome.answered, text
    assert reply.title.startswith("What changed since")
    headings = [s.heading for s in reply.sections]
    # recorded in the last day for days long past: listed as late entries, not as news of the day
    for heading in ("Recorded late, for earlier days", "Corrections", "Retracted"):
        assert heading in headings, (heading, text)
    assert "SOHR: killed at least 70 → 120 (+50) · as of Sat 8 Mar 18:00 · back-filled (recorded late) [t4]" in text
    assert "Back-filled · Sat 8 Mar: Fighting reaches Baniyas — SOHR [e10]" in text
    assert "Condemns the killings" in text and "[r7]" in text
    assert "t2 toll corrected by console:mod: killed 48 → 52 · why: SOHR revised the Jableh count" in text
    assert "t3 toll retracted by console:mod: The report withdrew the figure" in text
    assert "facts loaded" not in text  # the seed is older than 24 hours


async def test_whatchanged_since(
    briefings: Briefings, ask: Ask, moderator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = datetime.now(UTC)
    travel(briefings, monkeypatch, days=2)
    await accepted(ask, "/update toll killed=120 source=SOHR as_of=2025-03-08T18:00", moderator)
    travel(briefings, monkeypatch, days=4)
    await accepted(ask, '/add event date=2025-03-08 text="Fighting reaches Baniyas" source=SOHR', moderator)

    reply, text = await ask("/whatchanged")  # 24 hours: only the event
    assert reply.ok, text
    assert "Fighting reaches Baniyas" in text and "120" not in text

    for since in ("3d", "72h", situation_time(start + timedelta(days=1))):
        reply, text = await ask(f"/whatchanged since={since}")
        assert reply.ok, (since, text)
        assert "killed at least 70 → 120 (+50)" in text, since
        assert "Fighting reaches Baniyas" in text, since
        assert "facts loaded" not in text, since

    reply, text = await ask(f"/whatchanged since={situation_time(start + timedelta(days=3))}")
    assert reply.ok and "Fighting reaches Baniyas" in text and "120" not in text

    reply, text = await ask(f"/whatchanged since={situation_time(start + timedelta(days=4, hours=2))}")
    assert reply.outcome is Outcome.invalid and "since" in text and "future" in text
    reply, text = await ask("/whatchanged since=last-tuesday-ish")
    assert reply.outcome is Outcome.invalid and "since" in text


async def test_whatchanged_shows_corrections_to_facts_loaded_within_the_window(ask: Ask, moderator: Caller) -> None:
    """The seed was loaded moments ago: its facts are counted, but what changed since is still listed."""
    await accepted(ask, '/correct t2 killed=52 reason="SOHR revised the Jableh count"', moderator)
    await accepted(ask, '/retract t3 reason="The report withdrew the figure"', moderator)
    reply, text = await ask("/whatchanged")
    assert reply.ok
    assert "t2 toll corrected by console:mod: killed 48 → 52 · why: SOHR revised the Jableh count" in text
    assert "t3 toll retracted by console:mod: The report withdrew the figure" in text
    assert "facts loaded from a situation file" in text


# --- refusals -------------------------------------------------------------------------------------

MODERATOR_COMMANDS = [
    "/update toll killed=120 source=SOHR",
    '/add event date=2025-03-08 text="x" source=SOHR',
    '/add reaction actor=Turkey stance=warns summary="x" source=SOHR',
    '/add measure text="x" source=SOHR',
    '/add claim text="x" source=SOHR',
    '/add source name="Amnesty International"',
    "/add place name=Baniyas province=Tartous",
    "/add actor name=Hezbollah",
    '/correct t1 killed=72 reason="x"',
    '/retract t3 reason="x"',
    "/undo",
    "/situation use syria-coast-2025-03",
]


@pytest.mark.parametrize("command", MODERATOR_COMMANDS)
async def test_a_reader_may_not_change_anything(briefings: Briefings, ask: Ask, command: str) -> None:
    name = command.split()[0]
    text = await refused(briefings, ask, command, outcome=Outcome.refused)
    assert f"Sorry, {name} is for moderators." in text
    assert "Ask a moderator" in text


UPDATE_REFUSALS = [
    ("/update toll killed=-5 source=SOHR", "killed", "negative"),
    ("/update toll killed=lots source=SOHR", "killed", "'lots' is not a whole number"),
    ("/update toll kiled=5 source=SOHR", "kiled", "did you mean killed="),
    ("/update toll killed=5 wounded=many source=SOHR", "wounded", "'many' is not a number or one of"),
    ("/update toll killed=150 source=SOHR as_of=yesterdayish", "as_of", "is not a date"),
    ("/update toll killed=150 source=SOHR as_of=2025-02-30", "as_of", "not a real date"),
    ("/update toll killed=150 source=SOHR as_of=2999-01-01", "as_of", "in the future"),
    ("/update toll killed=150 source=SOHR note=" + "x" * 500, "note", "too long (500 characters; at most 400)"),
    ("/update toll killed=150", "source", "required"),
    ("/update toll killed=150 via=Reuters", "source", "source="),
    ("/update toll killed=150 source=SOHR qualifier=roughly", "qualifier", "not one of"),
    ("/update toll killed=150 source=SOHR place=Atlantis", "place", "unknown place 'Atlantis'"),
    ("/update toll killed=150 low=160 source=SOHR", "", "low (160) is above killed (150)"),
    ("/update toll source=SOHR", "", "needs at least one figure"),
    ('/add event date=2025-03-08 text="x" source=SOHR dat=2025-03-08', "dat", "did you mean date="),
    ('/add event text="x" source=SOHR', "date", "required for /add event"),
    ('/add event date=2025-03-08 text="" source=SOHR', "text", "required"),
    ('/add event date=2999-01-01 text="x" source=SOHR', "date", "in the future"),
    ('/add event date=2025-03-08 text="' + "y" * 401 + '" source=SOHR', "text", "too long (401 characters"),
    ("/add reaction actor=Turkey stance=warns source=SOHR", "", "a reaction needs a summary or a quote"),
    ('/add reaction actor=Narnia stance=warns summary="x" source=SOHR', "actor", "unknown actor 'Narnia'"),
    ('/add reaction actor=Turkey stance=shrugs summary="x" source=SOHR', "stance", "not one of"),
    ('/add measure type=picnic text="x" source=SOHR', "type", "not a kind of measure this situation knows"),
    ("/add place name=Baniyas", "province", "required"),
    ('/add source name="' + "z" * 130 + '"', "name", "too long"),
]


@pytest.mark.parametrize(("command", "option", "message"), UPDATE_REFUSALS)
async def test_bad_input_is_refused_naming_the_option(
    briefings: Briefings, ask: Ask, moderator: Caller, command: str, option: str, message: str
) -> None:
    reply, text = await refused_reply(briefings, ask, command, moderator)
    first = text.splitlines()[0]
    assert first.startswith("Not recorded — " + (f"{option}: " if option else "")), text
    if option:
        assert reply.at_fault == option
    assert message in text, text
    assert "Nothing was changed." in text
    assert "Usage: " in text


async def test_an_unreadable_date_gets_a_plain_message(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    text = await refused(briefings, ask, "/update toll killed=150 source=SOHR as_of=yesterdayish", moderator)
    first = text.splitlines()[0]
    assert first.startswith("Not recorded — as_of: 'yesterdayish' is not a date"), text
    assert "validation error" not in text and "pydantic" not in text


async def test_unknown_option_suggests_the_right_one(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    text = await refused(briefings, ask, "/update toll kiled=5 source=SOHR", moderator)
    assert "kiled" in text and "did you mean killed=" in text


async def test_unknown_source_is_refused_until_added(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    command = '/update toll killed=150 source="Amnesty International" as_of=2025-03-08'
    text = await refused(briefings, ask, command, moderator)
    assert "source: unknown source 'Amnesty International'" in text
    assert "Syrian Observatory for Human Rights" in text and "Reuters" in text  # the known ones
    assert "/add source" in text
    await accepted(ask, '/add source name="Amnesty International" kind=rights-group', moderator)
    text = await accepted(ask, command, moderator)
    assert "Amnesty International" in text and "150 killed" in text and "[t4]" in text


async def test_a_close_misspelling_of_a_source_suggests_it(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    text = await refused(briefings, ask, "/update toll killed=150 source=Reuterz-agency-wire", moderator)
    assert "source: unknown source" in text and "Reuters" in text


@pytest.mark.parametrize("command", ['/correct t99 killed=5 reason="x"', '/retract t99 reason="x"', "/history t99"])
async def test_unknown_fact_id(briefings: Briefings, ask: Ask, moderator: Caller, command: str) -> None:
    text = await refused(briefings, ask, command, moderator)
    assert "There is no fact “t99”." in text
    assert "[t1]" in text  # how ids look


async def test_unknown_fact_id_in_history_for_a_reader(briefings: Briefings, ask: Ask) -> None:
    text = await refused(briefings, ask, "/history e404")
    assert "There is no fact “e404”." in text


async def test_correct_needs_a_reason(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    for command in ("/correct t1 killed=72", '/correct t1 killed=72 reason=""', '/correct t1 killed=72 reason="  "'):
        text = await refused(briefings, ask, command, moderator)
        assert text.startswith("Not recorded — reason:"), text
        assert "Nothing was changed." in text


async def test_retract_needs_a_reason(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    text = await refused(briefings, ask, "/retract t3", moderator)
    assert text.startswith("Not recorded — reason:"), text


async def test_correct_refusals_name_the_option(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    text = await refused(briefings, ask, '/correct t1 killed=-1 reason="x"', moderator)
    assert text.startswith("Not recorded — killed:") and "negative" in text
    text = await refused(briefings, ask, '/correct t1 kiled=71 reason="x"', moderator)
    assert text.startswith("Not recorded — kiled:") and "did you mean killed=" in text
    text = await refused(briefings, ask, '/correct t1 reason="x"', moderator)
    assert "say what to change" in text
    text = await refused(briefings, ask, '/correct t1 status=retracted reason="x"', moderator)
    assert "status:" in text and "/retract t1" in text
    text = await refused(briefings, ask, '/correct t1 killed=70 reason="x"', moderator)
    assert "Nothing to change: t1 already says that." in text


async def test_retract_of_a_retracted_fact(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    await accepted(ask, '/retract t3 reason="withdrawn"', moderator)
    text = await refused(briefings, ask, '/retract t3 reason="again"', moderator)
    assert "t3 is already retracted." in text and "/history t3" in text


async def test_retract_takes_only_a_reason(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    text = await refused(briefings, ask, '/retract t3 killed=1 reason="x"', moderator)
    assert "/retract takes only reason=" in text


@pytest.mark.parametrize(
    ("command", "clash"),
    [
        ("/add place name=Jableh province=Latakia", "'Jableh' is already place p5 (Jableh)"),
        ("/add place name=Jabla province=Latakia", "'Jabla' is already place p5 (Jableh)"),
        ('/add place name=Baniyas province=Tartous aliases="Lattakia"', "'Lattakia' is already place p1 (Latakia)"),
        ("/add source name=SOHR", "'SOHR' is already source s1 (Syrian Observatory for Human Rights)"),
        ("/add actor name=Türkiye kind=state", "is already actor a7 (Turkey)"),
    ],
)
async def test_add_with_a_name_that_exists(
    briefings: Briefings, ask: Ask, moderator: Caller, command: str, clash: str
) -> None:
    text = await refused(briefings, ask, command, moderator)
    assert text.startswith("Not recorded — name: "), text
    assert clash in text and "/correct" in text


async def test_add_without_a_kind(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    text = await refused(briefings, ask, '/add text="x"', moderator)
    assert "Say what to add" in text
    text = await refused(briefings, ask, "/update tolls killed=5 source=SOHR", moderator)
    assert "Usage: /update toll" in text


async def test_a_refused_command_in_between_leaves_no_trace(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    before = await revision_count(briefings)
    await refused(briefings, ask, "/update toll killed=-5 source=SOHR", moderator)
    text = await accepted(ask, "/update toll killed=150 source=SOHR as_of=2025-03-08", moderator)
    assert "[t4]" in text  # the refusal used up no id
    assert await revision_count(briefings) == before + 1


# --- the lower-toll rule --------------------------------------------------------------------------


async def test_a_lower_total_from_the_same_source_is_refused(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    reply, text = await refused_reply(briefings, ask, "/update toll killed=60 source=SOHR as_of=2025-03-08", moderator)
    assert "killed=60 is lower than SOHR's 70 (t1)" in text
    assert reply.at_fault == "killed"
    assert "confirm=yes" in text and "/correct" in text and "Nothing was changed" in text


async def test_a_lower_breakdown_or_place_figure_is_refused(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    text = await refused(briefings, ask, "/update toll killed=120 civilians=2 source=SOHR as_of=2025-03-08", moderator)
    assert "civilians=2 is lower than SOHR's 4 (t1)" in text and "killed" not in text.splitlines()[0]
    text = await refused(briefings, ask, "/update toll killed=40 place=Jableh source=SOHR as_of=2025-03-08", moderator)
    assert "killed=40 is lower than SOHR's 48 (t2)" in text


async def test_a_lower_total_is_accepted_with_confirm(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    text = await accepted(ask, "/update toll killed=60 source=SOHR as_of=2025-03-08 confirm=yes", moderator)
    assert "Recorded t4" in text and "60 killed" in text
    toll = (await snapshot(briefings)).facts["t4"]
    assert isinstance(toll, Toll) and toll.killed == 60


async def test_a_lower_figure_from_another_source_is_accepted(ask: Ask, moderator: Caller) -> None:
    text = await accepted(ask, "/update toll killed=50 source=Reuters as_of=2025-03-08", moderator)
    assert "[t4]" in text
    _, text = await ask("/toll")
    assert "Between 50 and at least 70 killed" in text


async def test_a_correction_to_a_lower_figure_is_accepted(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    text = await accepted(ask, '/correct t1 killed=60 reason="SOHR corrected a double count"', moderator)
    assert "killed 70 → 60" in text
    toll = (await snapshot(briefings)).facts["t1"]
    assert isinstance(toll, Toll) and toll.killed == 60


async def test_a_lower_figure_with_an_earlier_as_of_is_accepted(
    briefings: Briefings, ask: Ask, moderator: Caller
) -> None:
    text = await accepted(ask, "/update toll killed=50 source=SOHR as_of=2025-03-06T20:00", moderator)
    assert "Recorded t4" in text and "50 killed" in text
    _, text = await ask("/toll")
    assert "At least 70 killed, according to SOHR" in text  # the newer figure still leads

    await accepted(ask, "/update toll killed=120 source=SOHR as_of=2025-03-08T18:00", moderator)
    text = await accepted(ask, "/update toll killed=100 source=SOHR as_of=2025-03-08T12:00", moderator)
    assert "Recorded t6" in text  # earlier the same day
    text = await refused(briefings, ask, "/update toll killed=100 source=SOHR as_of=2025-03-08", moderator)
    assert "killed=100 is lower than SOHR's 120 (t5)" in text  # the same day, no time: not clearly earlier


# --- quotes and mentions --------------------------------------------------------------------------


async def test_curly_quotes(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    text = await accepted(ask, "/add event date=2025-03-08 text=“Fighting in Baniyas” source=“SOHR”", moderator)
    assert "Fighting in Baniyas" in text and "“" not in text and "[e10]" in text
    event = (await snapshot(briefings)).facts["e10"]
    assert isinstance(event, Event)
    assert (event.text, event.sources) == ("Fighting in Baniyas", ["s1"])


async def test_mentions_in_text_note_and_quote_are_untrusted(ask: Ask, moderator: Caller) -> None:
    recorded = [
        await ask(f'/add event date=2025-03-08 text="{PING_TEXT}" note="{PING_TEXT}" source=SOHR', moderator),
        await ask(f'/update toll killed=150 source=SOHR as_of=2025-03-08 note="{PING_TEXT}"', moderator),
        await ask(
            f'/add reaction actor=Turkey stance=warns summary="{PING_TEXT}" quote="{PING_TEXT}" date=2025-03-08 '
            'source="news report"',
            moderator,
        ),
        await ask(f'/add claim date=2025-03-08 text="{PING_TEXT}" topic=toll source="news report"', moderator),
    ]
    for reply, text in recorded:
        assert reply.ok, text
        assert PING_TEXT in text
        assert pinging_spans(reply) and all(span.untrusted for span in pinging_spans(reply)), reply
    for command in ("/toll", "/timeline", "/timeline 2025-03-08", "/reactions Turkey", "/brief", "/history e10"):
        reply, text = await ask(command)
        assert reply.ok, text
        spans = pinging_spans(reply)
        assert spans, command
        assert all(span.untrusted for span in spans), (command, [s for s in spans if not s.untrusted])
        assert PING_TEXT in text, command  # the plain text shows it literally
    _, toll_text = await ask("/toll")
    assert f"– {PING_TEXT}" in toll_text  # the toll's note
    _, timeline_text = await ask("/timeline 2025-03-08")
    assert f"• {PING_TEXT} (SOHR) [e10]" in timeline_text


async def test_mentions_in_names_are_untrusted(ask: Ask, moderator: Caller) -> None:
    await accepted(ask, f'/add source name="Watch {PING_TEXT}" kind=other', moderator)
    reply, text = await ask("/update toll killed=150 source=Watch as_of=2025-03-08", moderator)
    assert reply.ok, text
    assert all(span.untrusted for span in pinging_spans(reply)), reply
    reply, text = await ask("/toll")
    assert pinging_spans(reply)
    assert all(span.untrusted for span in pinging_spans(reply)), [s for s in pinging_spans(reply) if not s.untrusted]


# --- the `briefing` command line ------------------------------------------------------------------


def briefing(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`briefing ARGS` in a fresh process on tmp_path/b.db, where console:ana is the only moderator."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("BRIEFING_")}
    env.update(
        BRIEFING_DATABASE_URL=f"sqlite:///{tmp_path / 'b.db'}",
        BRIEFING_MODERATORS="console:ana",
        PYTHONPATH=str(ROOT),
    )
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_cli_ask_as_moderator_and_as_reader(tmp_path: Path) -> None:
    done = briefing(tmp_path, "ask", "--user", "ana", "/update toll killed=120 source=SOHR as_of=2025-03-08T18:00")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Recorded t4 (toll)" in done.stdout and "[t4]" in done.stdout

    done = briefing(tmp_path, "ask", "--user", "bob", "/update toll killed=130 source=SOHR as_of=2025-03-08T20:00")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Sorry, /update is for moderators." in done.stdout

    done = briefing(tmp_path, "ask", "--user", "ana", "/update toll killed=-5 source=SOHR")
    assert done.returncode == 1 and "killed:" in done.stdout

    done = briefing(tmp_path, "ask", "--user", "bob", "/toll")
    assert done.returncode == 0
    assert "120 killed" in done.stdout and "130" not in done.stdout


def test_cli_history_after_three_corrections(tmp_path: Path) -> None:
    for killed, reason in ((72, "first recount"), (75, "second recount"), (80, "third recount")):
        done = briefing(tmp_path, "ask", "--user", "ana", f'/correct t1 killed={killed} reason="{reason}"')
        assert done.returncode == 0, done.stdout + done.stderr
    done = briefing(tmp_path, "ask", "--user", "bob", "/history t1")
    assert done.returncode == 0, done.stdout + done.stderr
    text = done.stdout
    marks = [text.index(f"#{n} ") for n in (1, 2, 3, 4)]
    assert marks == sorted(marks)
    parts = [text[marks[0] : marks[1]], text[marks[1] : marks[2]], text[marks[2] : marks[3]], text[marks[3] :]]
    assert "loaded by seed" in parts[0]
    assert "corrected by console:ana · why: first recount" in parts[1] and "killed 70 → 72" in parts[1]
    assert "corrected by console:ana · why: second recount" in parts[2] and "killed 72 → 75" in parts[2]
    assert "corrected by console:ana · why: third recount" in parts[3] and "killed 75 → 80" in parts[3]
    assert "#5" not in text


def merged_seed(tmp_path: Path) -> Path:
    """The seed with t1's total changed, t3 retracted and one new event."""
    text = (SEEDS / "syria-coast-2025-03.yaml").read_text(encoding="utf-8")
    changed = text.replace("    qualifier: at least\n    killed: 70\n", "    qualifier: at least\n    killed: 90\n")
    changed = changed.replace(
        "    kidnapped: 10\n    note: Members of the security forces.\n",
        "    kidnapped: 10\n    note: Members of the security forces.\n    status: retracted\n",
    )
    changed = changed.replace(
        "\nevents:\n",
        "\nevents:\n  - id: e10\n    when: 2025-03-08\n    text: Fighting spreads to Baniyas.\n    source: SOHR\n",
    )
    assert changed.count("killed: 90") == 1 and changed.count("status: retracted") == 1 and "e10" in changed
    path = tmp_path / "update.yaml"
    path.write_text(changed, encoding="utf-8")
    return path


def test_cli_load_merge_dry_run_then_apply(tmp_path: Path) -> None:
    path = merged_seed(tmp_path)
    done = briefing(tmp_path, "load", "--merge", "--dry-run", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert "+ e10 event: Fighting spreads to Baniyas." in lines
    assert "~ t1 toll: killed 70 → 90" in lines
    assert any(ln.startswith("- t3 toll retracted") for ln in lines), done.stdout
    assert "1 added, 1 revised, 1 retracted" in done.stdout
    assert "Dry run: nothing was changed." in done.stdout

    done = briefing(tmp_path, "ask", "/history t1")
    assert done.returncode == 0 and "#2" not in done.stdout
    done = briefing(tmp_path, "ask", "/toll")
    assert "[t3]" in done.stdout and "At least 70 killed" in done.stdout
    assert briefing(tmp_path, "ask", "/history e10").returncode == 1

    done = briefing(tmp_path, "load", "--merge", str(path))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Applied." in done.stdout

    done = briefing(tmp_path, "ask", "/history t1")
    assert done.returncode == 0, done.stdout
    assert "#2" in done.stdout and "merged from a file by console:operator" in done.stdout
    assert "why: merged from update.yaml" in done.stdout and "killed 70 → 90" in done.stdout
    done = briefing(tmp_path, "ask", "/toll")
    assert done.returncode == 0
    assert "[t3]" not in done.stdout and "kidnapped" not in done.stdout
    assert "At least 90 killed" in done.stdout
    done = briefing(tmp_path, "ask", "/timeline 2025-03-08")
    assert done.returncode == 0 and "Fighting spreads to Baniyas." in done.stdout and "[e10]" in done.stdout

    done = briefing(tmp_path, "load", "--merge", str(path))  # a second time: nothing to do
    assert done.returncode == 0 and "Nothing to change." in done.stdout


async def test_callers_named_for_author_names(briefings: Briefings, moderator: Caller) -> None:
    """The revision keeps who made it, by id and by display name."""
    named = Caller("console", "mod", "console", "Moderator Mo")
    reply = await briefings.handle('/correct t2 killed=50 reason="x"', named)
    assert reply.ok
    last = (await briefings.store.history(SLUG, "t2"))[-1]
    assert (last.author, last.author_name, last.reason) == ("console:mod", "Moderator Mo", "x")


async def test_whatchanged_cuts_the_oldest_and_says_how_to_see_them(
    briefings: Briefings, ask: Ask, moderator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page holds the twelve newest changes; the cut names how many older ones there are and the next page."""
    travel(briefings, monkeypatch, days=2)
    for n in range(25):
        day = f"2025-03-{8 + n // 10:02d}T{10 + n % 10:02d}:00"
        await accepted(ask, f'/add event date={day} text="Shelling report {n:02d}" source=SOHR', moderator)
    reply, text = await ask("/whatchanged since=2025-03-08")
    assert "Shelling report 24" in text and "Shelling report 13" in text  # the newest are kept
    assert "Shelling report 12" not in text and "Shelling report 00" not in text
    assert text.index("Shelling report 24") < text.index("Shelling report 13")  # newest first
    assert "13 older changes not shown: /whatchanged since=2025-03-08T00:00 page=2" in text
    reply, text = await ask("/whatchanged since=2025-03-08T00:00 page=2")
    assert reply.ok and "Shelling report 12" in text and "Shelling report 01" in text
    assert "Shelling report 13" not in text and "1 older change not shown" in text
    reply, text = await ask("/whatchanged since=2025-03-08T00:00 page=3")
    assert "Shelling report 00" in text and "older changes" not in text
    reply, text = await ask("/whatchanged page=none")
    assert reply.outcome is Outcome.invalid and "page:" in text
