"""Questions no command answers are answered from everything recorded, citing the facts; names the situation
does not know are named back; several matches are all shown; the index follows every revision."""

from __future__ import annotations

import re

from briefings.access import Caller
from briefings.reply import Outcome
from briefings.search.index import Index, index_of
from briefings.service import Briefings
from tests.conftest import Ask

SLUG = "syria-coast-2025-03"


def ids(text: str) -> set[str]:
    return set(re.findall(r"\[([a-z]\d+)\]", text))


async def test_yes_no_questions_answer_yes_with_the_facts(ask: Ask) -> None:
    for question, expected in [
        ("is there a curfew?", {"m1"}),
        ("were reinforcements sent?", {"m2"}),
        ("were there airstrikes?", {"r2"}),
    ]:
        reply, text = await ask(question)
        assert reply.ok, question
        assert reply.title.startswith("Yes — "), question
        assert "Read as" in text and "a search of everything recorded" in text
        assert expected <= ids(text), (question, text)
        assert "News report of 7 Mar 2025" in text  # each fact with its source and as-of
        assert "by Fri 7 Mar 2025" in text or "as of" in text


async def test_nothing_recorded_is_said_and_never_made_up(ask: Ask) -> None:
    reply, text = await ask("is there a ceasefire?")
    assert reply.ok
    assert reply.title == "Nothing recorded about ceasefire"
    assert "Nothing recorded about “ceasefire”" in text
    assert not ids(text)
    reply, text = await ask("were hospitals attacked?")
    assert "Nothing recorded about “hospitals”" in text
    assert "not an answer to the question" in text  # nearer facts, named as such


async def test_claims_without_an_actor_are_reachable(ask: Ask) -> None:
    reply, text = await ask("who is behind the insurgency?")
    assert reply.ok and "c3" in ids(text) and "Unattributed" in text
    reply, text = await ask("were these the most violent clashes?")
    assert "c4" in ids(text)
    reply, text = await ask("/reactions")
    assert {"c3", "c4"} <= ids(text) and "Claims no one is named for" in text


async def test_who_is_answers_what_is_recorded_about_them(ask: Ask) -> None:
    reply, text = await ask("who is SOHR?")
    assert reply.ok and "Syrian Observatory for Human Rights" in reply.title
    assert {"s1", "t1", "t2", "e9"} <= ids(text)
    reply, text = await ask("who is suhail al hasan?")
    assert {"a8", "c3", "e5"} <= ids(text)  # the claim about him names him only in its text
    reply, text = await ask("who is Kneifati")
    assert {"a3", "r1"} <= ids(text)


async def test_an_actor_alias_does_not_turn_a_question_into_reactions(ask: Ask) -> None:
    reply, text = await ask("who kidnapped the security forces?")
    assert not reply.title.startswith("Reactions")
    assert {"e6", "t3"} <= ids(text)
    reply, text = await ask("what measures has the government taken?")
    assert {"m1", "m2", "m3", "m4"} <= ids(text) and "r1" not in ids(text)
    reply, text = await ask("is the government winning?")
    assert "Nothing recorded about “winning”" in text


async def test_a_name_it_cannot_place_is_named_not_dropped(ask: Ask) -> None:
    reply, text = await ask("how many died in Homs?")
    assert reply.outcome is Outcome.invalid
    assert "I don't know a place called “Homs”" in text
    assert "70" not in text  # never the whole toll as if it were the Homs figure
    reply, text = await ask("what did russia say?")
    assert "I don't know an actor called “russia”" in text
    assert "r1" not in ids(text)


async def test_several_matches_are_all_shown_and_said(ask: Ask) -> None:
    reply, text = await ask("/reactions alawite")
    assert {"c2", "r2", "r3", "r4"} <= ids(text)
    assert "names 2 actors" in text
    reply, text = await ask("/reactions Foreign Ministry")
    assert {"r5", "r6"} <= ids(text)
    reply, text = await ask("/reactions UN")
    assert reply.outcome is Outcome.invalid and "gunmen" not in text.lower()
    assert "UN Security Council" in text


async def test_command_words_in_a_question_and_typos(ask: Ask) -> None:
    reply, text = await ask("timeline of events")
    assert reply.ok and "Read as /timeline" in text
    reply, text = await ask("whats the sitaution?")
    assert reply.ok and "Read as /brief" in text
    reply, text = await ask("anything new in jabla?")
    assert reply.ok and "Jableh" in reply.title  # the place asked about is kept


async def test_the_index_follows_every_revision(briefings: Briefings, ask: Ask, moderator: Caller) -> None:
    reply, text = await ask("is there a ceasefire?")
    assert reply.title.startswith("Nothing recorded")
    added, _ = await ask(
        '/add measure type=other date=2025-03-08 text="A ceasefire is announced in Jableh." source=SOHR', moderator
    )
    assert added.ok, added
    key = added.written[0]
    reply, text = await ask("is there a ceasefire?")
    assert reply.title.startswith("Yes — ") and key in ids(text)
    retracted, _ = await ask(f'/retract {key} reason="wrong report"', moderator)
    assert retracted.ok
    reply, text = await ask("is there a ceasefire?")
    assert reply.title.startswith("Nothing recorded")
    snapshot = await briefings.store.snapshot(SLUG)
    patched, rebuilt = index_of(snapshot), Index.build(snapshot)
    assert patched.postings == rebuilt.postings and patched.lengths == rebuilt.lengths
