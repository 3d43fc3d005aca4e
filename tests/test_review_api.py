"""The review API adapters use (`briefings.reviewing`), on SQLite and PostgreSQL: cards with their evidence and
actions, decisions through the moderators' own commands, edits, refusals, exactly-once decisions and the queue
size in /brief."""

from __future__ import annotations

from datetime import date

import pytest

from briefings.access import Caller
from briefings.facts import Toll
from briefings.render_text import render
from briefings.reply import Outcome, Reply
from briefings.reviewing import Decided, EditForm, Reviewing, action_of
from briefings.service import Briefings

SLUG = "syria-coast-2025-03"
ARTICLE = (
    "The Syrian Observatory for Human Rights said on Saturday that more than 1,000 people had been killed since "
    "Thursday, by its own count."
)
URL = "https://example.org/coast-count"
MONA = Caller("console", "mod", "console", "Mona")


@pytest.fixture
def review(briefings: Briefings) -> Reviewing:
    return Reviewing(briefings)


async def proposed(review: Reviewing, text: str = ARTICLE) -> Reply:
    reply = await review.propose(MONA, text, url=URL, title="Coast count passes a thousand", published=date(2025, 3, 8))
    assert reply.ok, render(reply)
    return reply


def proposal_ids(reply: Reply) -> list[int]:
    found = [action_of(a.command) for s in reply.sections for a in s.actions]
    return sorted({n for kind_id in found if kind_id for n in [kind_id[1]]})


async def test_a_card_holds_the_proposal_its_evidence_the_article_and_three_actions(review: Reviewing) -> None:
    await proposed(review)
    cards = await review.cards(MONA)
    [card] = cards.sections
    text = render(cards)
    assert "killed=1000" in text and 'qualifier="more than"' in text and "as_of=2025-03-08" in text
    assert "Evidence: The Syrian Observatory for Human Rights said on Saturday" in text
    assert f"Article: Coast count passes a thousand · {URL}" in text and "Published 2025-03-08" in text
    (number,) = proposal_ids(cards)
    assert f"proposal #{number}" in text
    assert [(a.label, a.command) for a in card.actions] == [
        ("Accept", f"/review accept {number}"),
        ("Edit", f"/review edit {number}"),
        ("Reject", f"/review reject {number}"),
    ]
    assert f"Accept: /review accept {number} · Edit: /review edit {number}" in text  # text platforms: the commands


async def test_accepting_records_the_fact_with_its_evidence_and_the_card_says_who(
    review: Reviewing, briefings: Briefings
) -> None:
    (number,) = proposal_ids(await proposed(review))
    decided = await review.decide(MONA, number, "accept")
    assert isinstance(decided, Decided) and decided.reply.ok and decided.reply.written, render(decided.reply)
    key = decided.reply.written[0]
    card = render(decided.card)
    assert "Accepted by Mona" in card and f"recorded {key}" in card
    assert not decided.card.sections[0].actions
    history = render(await briefings.handle(f"/history {key}", MONA))
    assert URL in history and "said on Saturday that more than 1,000 people" in history
    assert (await review.cards(MONA)).title == "No proposals waiting for review"
    undone = await briefings.handle("/undo", MONA)
    assert undone.ok, render(undone)


async def test_an_edit_starts_from_the_proposal_and_records_the_edited_fact(
    review: Reviewing, briefings: Briefings
) -> None:
    (number,) = proposal_ids(await proposed(review))
    form = await review.edit(MONA, number)
    assert isinstance(form, EditForm)
    assert form.command == "/update toll" and form.kind == "toll"
    assert form.values["killed"] == "1000" and form.values["qualifier"] == "more than"
    assert form.values["as_of"] == "2025-03-08" and "note" not in form.values
    changes = {**form.values, "killed": "1010", "qualifier": "", "note": "Rounded in the article"}
    decided = await review.decide(MONA, number, "accept", changes=changes)
    assert decided.reply.written, render(decided.reply)
    snapshot = await briefings.store.snapshot(SLUG)
    [toll] = [t for key, t in snapshot.all(Toll) if key == decided.reply.written[0]]
    assert toll.killed == 1010 and toll.qualifier is None
    history = render(await briefings.handle(f"/history {decided.reply.written[0]}", MONA))
    assert "Rounded in the article" in history and URL in history


async def test_an_edit_with_a_bad_value_names_the_field_and_the_proposal_stays(review: Reviewing) -> None:
    (number,) = proposal_ids(await proposed(review))
    decided = await review.decide(MONA, number, "accept", changes={"killed": "many"})
    assert decided.reply.outcome is Outcome.invalid and decided.reply.at_fault == "killed"
    assert "stays in the queue" in render(decided.reply)
    assert decided.card.sections[0].actions  # still pending: the buttons stay


async def test_rejecting_records_nothing(review: Reviewing, briefings: Briefings) -> None:
    (number,) = proposal_ids(await proposed(review))
    decided = await review.decide(MONA, number, "reject")
    assert decided.reply.ok and not decided.reply.written
    assert "Rejected by Mona" in render(decided.card)
    assert "1,000" not in render(await briefings.handle("/toll", MONA))


async def test_only_moderators_decide_or_edit(review: Reviewing, reader: Caller) -> None:
    (number,) = proposal_ids(await proposed(review))
    for decision in ("accept", "reject"):
        refused = await review.decide(reader, number, decision)
        assert refused.reply.outcome is Outcome.refused and "for moderators" in refused.reply.title
    form = await review.edit(reader, number)
    assert isinstance(form, Reply) and form.outcome is Outcome.refused
    assert proposal_ids(await review.cards(MONA)) == [number]


async def test_a_decision_delivered_twice_decides_once(review: Reviewing, briefings: Briefings) -> None:
    (number,) = proposal_ids(await proposed(review))
    first = await review.decide(MONA, number, "accept", request_id="click-1")
    again = await review.decide(MONA, number, "accept", request_id="click-1")
    other = await review.decide(MONA, number, "reject", request_id="click-2")
    assert first.reply.written and not again.reply.written and "Already recorded" in again.reply.title
    assert not other.reply.ok and "already accepted by Mona" in other.reply.title
    snapshot = await briefings.store.snapshot(SLUG)
    assert [t.killed for _, t in snapshot.all(Toll) if t.killed == 1000] == [1000]


async def test_everyone_sees_the_queue_size_in_the_brief(review: Reviewing, briefings: Briefings) -> None:
    reader = Caller("slack", "U0READER", "C1")
    assert "waiting for review" not in render(await briefings.handle("/brief", reader))
    await proposed(review)
    await proposed(review, "At least 9 people were killed in Jableh on Friday, the Syrian Observatory said.")
    assert await review.waiting(reader) == 2
    assert "2 proposals waiting for review" in render(await briefings.handle("/brief", reader))
    (number, *_) = proposal_ids(await review.cards(MONA))
    await review.decide(MONA, number, "reject")
    assert "1 proposal waiting for review" in render(await briefings.handle("/brief", reader))


async def test_a_decided_proposal_cannot_be_edited(review: Reviewing) -> None:
    (number,) = proposal_ids(await proposed(review))
    await review.decide(MONA, number, "reject")
    form = await review.edit(MONA, number)
    assert isinstance(form, Reply) and "already rejected" in form.title
    missing = await review.edit(MONA, 99999)
    assert isinstance(missing, Reply) and "No proposal #99999" in missing.title


def test_action_commands_are_read_back_and_nothing_else_is() -> None:
    assert action_of("/review accept 12") == ("accept", 12)
    assert action_of("/review edit 3") == ("edit", 3)
    assert action_of("/review accept 12 killed=3") is None
    assert action_of("/toll") is None


async def test_a_new_place_is_proposed_on_its_own_and_accepted_through_add_place(
    review: Reviewing, briefings: Briefings
) -> None:
    text = (
        "At least 12 people were killed in the village of Ain Tineh, near Jableh, on Friday, the Syrian "
        "Observatory said."
    )
    cards = await proposed(review, text)
    place = [s for s in cards.sections if s.heading and s.heading.endswith(" place")]
    assert len(place) == 1, render(cards)
    assert '/add place name="Ain Tineh" kind=village parent=Jableh' in render(cards)
    (number,) = {n for a in place[0].actions if (found := action_of(a.command)) for n in [found[1]]}
    decided = await review.decide(MONA, number, "accept")
    assert decided.reply.written, render(decided.reply)
    assert "Ain Tineh" in render(await briefings.handle("/where", MONA))
    again = await review.propose(MONA, text, published=date(2025, 3, 8))
    assert "/add place" not in render(again)  # known now: not proposed again


async def test_a_new_place_without_where_it_lies_waits_for_an_edit(review: Reviewing, briefings: Briefings) -> None:
    text = "Four people were killed in Beit Yashout on Friday, the Syrian Observatory said."
    cards = await proposed(review, text)
    [number] = [int(s.heading.split()[0][1:]) for s in cards.sections if s.heading and s.heading.endswith(" place")]
    refused = await review.decide(MONA, number, "accept")
    assert refused.reply.at_fault == "province" and "stays in the queue" in render(refused.reply)
    form = await review.edit(MONA, number)
    assert isinstance(form, EditForm) and form.command == "/add place" and form.values["name"] == "Beit Yashout"
    decided = await review.decide(MONA, number, "accept", changes={**form.values, "parent": "Jableh"})
    assert decided.reply.written, render(decided.reply)
    assert "Beit Yashout" in render(await briefings.handle("/where Jableh", MONA))


async def test_edit_typed_shows_the_accept_command_to_change_and_send(review: Reviewing, briefings: Briefings) -> None:
    (number,) = proposal_ids(await proposed(review))
    shown = render(await briefings.handle(f"/review edit {number}", MONA))
    assert f"/review accept {number} killed=1000" in shown and 'qualifier="more than"' in shown
    accepted = await briefings.handle(f'/review accept {number} killed=1010 qualifier=""', MONA)
    assert accepted.written, render(accepted)
    snapshot = await briefings.store.snapshot(SLUG)
    assert [t.qualifier for key, t in snapshot.all(Toll) if key == accepted.written[0]] == [None]
