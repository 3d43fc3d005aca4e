"""The review queue through the real command path on SQLite and PostgreSQL: /propose stores proposals with their
evidence, /review lists them, accepting runs the moderators' own command (checks, audit, undo), rejecting
records nothing, and only moderators decide."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

from briefings.access import Caller
from briefings.facts import Toll
from briefings.render_text import render
from briefings.reply import Outcome
from briefings.service import Briefings
from tests.conftest import Ask

HIGHER = (
    '/propose published=2025-03-08 url=https://example.org/coast-update title="Coast toll passes 1,000" '
    "More than a thousand people have been killed since Thursday, the Syrian Observatory for Human Rights "
    "said on Saturday. “We are counting the dead village by village,” the war monitor said."
)


def ids(text: str) -> list[str]:
    return re.findall(r"#(\d+) ", text)


async def test_a_proposal_accepted_is_recorded_with_its_evidence(ask: Ask, moderator: Caller) -> None:
    reply, text = await ask(HIGHER, moderator)
    assert reply.ok, text
    assert "killed=1000" in text and 'qualifier="more than"' in text and "as_of=2025-03-08" in text
    assert "(updates t1)" in text
    (first, *_) = ids(text)
    _, listing = await ask("/review", moderator)
    assert f"#{first} toll" in listing and "1 proposal waiting for review" in listing
    accepted, shown = await ask(f"/review accept {first}", moderator)
    assert accepted.ok and accepted.written, shown
    key = accepted.written[0]
    _, toll = await ask("/toll", moderator)
    assert "1,000" in toll
    _, history = await ask(f"/history {key}", moderator)
    assert "https://example.org/coast-update" in history and "said on Saturday" in history
    _, empty = await ask("/review", moderator)
    assert "No proposals waiting" in empty
    again, said = await ask(f"/review accept {first}", moderator)
    assert not again.ok and "already accepted" in said
    undone, _ = await ask("/undo", moderator)
    assert undone.ok
    _, toll = await ask("/toll", moderator)
    assert "1,000" not in toll


async def test_a_rejected_proposal_records_nothing(ask: Ask, moderator: Caller) -> None:
    _, text = await ask(HIGHER, moderator)
    first = ids(text)[0]
    rejected, said = await ask(f"/review reject {first}", moderator)
    assert rejected.ok and "Rejected" in said
    _, toll = await ask("/toll", moderator)
    assert "1,000" not in toll
    _, listing = await ask("/review", moderator)
    assert f"#{first} " not in listing


async def test_a_lower_figure_keeps_the_guard_and_stays_pending(ask: Ask, moderator: Caller) -> None:
    _, text = await ask(
        "/propose published=2025-03-08 At least 50 people were killed, the Syrian Observatory for Human Rights "
        "said on Saturday.",
        moderator,
    )
    first = ids(text)[0]
    refused, said = await ask(f"/review accept {first}", moderator)
    assert not refused.written and "confirm=yes" in said and "stays in the queue" in said
    _, listing = await ask("/review", moderator)
    assert f"#{first} toll" in listing
    accepted, shown = await ask(f"/review accept {first} confirm=yes", moderator)
    assert accepted.written, shown


async def test_what_is_recorded_is_not_queued_again(ask: Ask, moderator: Caller) -> None:
    reply, text = await ask(
        "/propose published=2025-03-07 Most were killed in Jableh, with 48 people reported dead in the coastal "
        "city, the war monitor said.",
        moderator,
    )
    assert reply.ok and "No new facts" in text


async def test_only_moderators_propose_and_decide(ask: Ask, moderator: Caller, reader: Caller) -> None:
    refused, _ = await ask(HIGHER, reader)
    assert refused.outcome is Outcome.refused
    _, text = await ask(HIGHER, moderator)
    first = ids(text)[0]
    for command in ("/review", f"/review accept {first}", f"/review reject {first}"):
        refused, _ = await ask(command, reader)
        assert refused.outcome is Outcome.refused


async def test_bad_review_input_names_the_problem(ask: Ask, moderator: Caller) -> None:
    reply, text = await ask("/review accept 9999", moderator)
    assert not reply.ok and "No proposal #9999" in text
    reply, text = await ask("/review frobnicate", moderator)
    assert not reply.ok and "Usage" in text
    reply, text = await ask("/propose published=2025-13-40 Ten people died.", moderator)
    assert not reply.ok and reply.at_fault == "published"
    reply, text = await ask("/propose", moderator)
    assert not reply.ok and "Usage" in text


async def test_an_article_longer_than_a_command_is_read_whole(ask: Ask, moderator: Caller) -> None:
    filler = "Residents described a long night of gunfire and said shops stayed shut across the city. " * 45
    text = (
        f"/propose published=2025-03-08 {filler}\nAt least 1,500 people have been killed, the Syrian Observatory said."
    )
    assert len(text) > 4000
    reply, shown = await ask(text, moderator)
    assert reply.ok and "killed=1500" in shown, shown


async def test_two_moderators_accepting_at_once_record_the_fact_once(briefings: Briefings, moderator: Caller) -> None:
    other = Caller("slack", "U0MOD", "console")
    proposed = await briefings.handle(HIGHER, moderator)
    first = ids(render(proposed))[0]
    replies = await asyncio.gather(
        briefings.handle(f"/review accept {first}", moderator), briefings.handle(f"/review accept {first}", other)
    )
    assert sorted(bool(r.written) for r in replies) == [False, True]
    snapshot = await briefings.store.snapshot("syria-coast-2025-03")
    assert [t.killed for _, t in snapshot.all(Toll) if t.killed == 1000] == [1000]


def test_briefing_ask_proposes_and_accepts(tmp_path: Path) -> None:
    from tests.test_cli import run

    proposed = run(tmp_path, "ask", HIGHER)
    assert proposed.returncode == 0, proposed.stderr
    assert "#1 toll (updates t1)" in proposed.stdout
    accepted = run(tmp_path, "ask", "/review accept 1")
    assert accepted.returncode == 0, accepted.stderr
    assert "more than 1,000 killed" in accepted.stdout.lower() and "https://example.org/coast-update" in accepted.stdout


async def test_a_proposal_from_an_unknown_source_is_refused_naming_the_source(ask: Ask, moderator: Caller) -> None:
    _, text = await ask(
        "/propose published=2025-03-08 At least 12 people were killed in Jableh, the regional health office said.",
        moderator,
    )
    assert "Unknown source: regional health office" in text
    first = ids(text)[0]
    refused, said = await ask(f"/review accept {first}", moderator)
    assert not refused.written and refused.at_fault == "source" and "stays in the queue" in said
