"""Two moderators changing facts at the same moment, through two bot instances (two engines, two
connection pools) on one database: every change is recorded, with its own id or revision number and
its author, and none is lost. On SQLite and on PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from briefings.access import Caller
from briefings.facts import Toll
from briefings.reply import Reply
from briefings.service import Briefings
from briefings.settings import CoreSettings
from tests.conftest import SEEDS

SLUG = "syria-coast-2025-03"
PER_MODERATOR = 20
ANN = Caller("slack", "UANN", "C1", "Ann")
BOB = Caller("console", "bob", "console", "Bob")


@pytest.fixture
async def two_services(database_url: str) -> AsyncIterator[tuple[Briefings, Briefings]]:
    settings = CoreSettings(database_url=database_url, seeds=SEEDS, moderators="slack:UANN,console:bob")
    one = await Briefings.start(settings)
    try:
        two = await Briefings.start(settings)
    except BaseException:
        await one.close()
        raise
    assert one.store.engine is not two.store.engine
    try:
        yield one, two
    finally:
        await one.close()
        await two.close()


def updates(source: str, start_hour: int = 0) -> list[str]:
    """Rising figures, each later than the last, so the lower-toll rule never refuses one."""
    return [
        f"/update toll killed={100 + i} source={source} as_of=2025-03-08T{start_hour + i:02d}:00"
        for i in range(PER_MODERATOR)
    ]


async def run_both(one: Briefings, two: Briefings, ann: list[str], bob: list[str]) -> tuple[list[Reply], list[Reply]]:
    """Ann's commands on the first instance and Bob's on the second, all at once."""
    replies = await asyncio.gather(
        *(one.handle(text, ANN) for text in ann),
        *(two.handle(text, BOB) for text in bob),
    )
    return list(replies[: len(ann)]), list(replies[len(ann) :])


async def test_two_moderators_on_two_instances_are_both_recorded(two_services: tuple[Briefings, Briefings]) -> None:
    one, two = two_services
    before = len(await one.store.all_revisions(SLUG))
    ann, bob = await run_both(one, two, updates("SOHR"), updates("Reuters"))
    for reply in ann + bob:
        assert reply.ok, (reply.title, reply.sections)

    revisions = await two.store.all_revisions(SLUG)
    created = [r for r in revisions if r.action == "create"]
    assert len(revisions) == before + 2 * PER_MODERATOR
    assert len(created) == 2 * PER_MODERATOR
    keys = [r.key for r in created]
    assert len(set(keys)) == len(keys), "two changes got the same id"
    assert sorted(keys, key=lambda k: int(k[1:])) == [f"t{n}" for n in range(4, 4 + 2 * PER_MODERATOR)]
    assert all(r.number == 1 for r in created)

    # Each revision's author is the moderator whose command wrote it, with that moderator's figures.
    by_author: dict[str, list[Toll]] = {}
    for revision in created:
        assert isinstance(revision.fact, Toll)
        by_author.setdefault(revision.author, []).append(revision.fact)
        expected_source = {"slack:UANN": "s1", "console:bob": "s2"}[revision.author]
        assert revision.fact.sources == [expected_source]
        assert revision.author_name == {"slack:UANN": "Ann", "console:bob": "Bob"}[revision.author]
    assert sorted(t.killed or 0 for t in by_author["slack:UANN"]) == list(range(100, 100 + PER_MODERATOR))
    assert sorted(t.killed or 0 for t in by_author["console:bob"]) == list(range(100, 100 + PER_MODERATOR))

    # Each reply names the id its fact was recorded under, and that id holds exactly that fact.
    snapshot = await one.store.snapshot(SLUG)
    for replies, source in ((ann, "s1"), (bob, "s2")):
        for i, reply in enumerate(replies):
            key = reply.title.removeprefix("Recorded ").removesuffix(" (toll)")
            fact = snapshot.facts[key]
            assert isinstance(fact, Toll)
            assert (fact.killed, fact.sources) == (100 + i, [source])

    # Both instances see everything, and the answer is each source's latest figure.
    for service in (one, two):
        reply = await service.handle("/toll", BOB)
        text = "\n".join(ln.text for section in reply.sections for ln in section.lines)
        assert f"SOHR: {100 + PER_MODERATOR - 1} killed" in text
        assert f"Reuters: {100 + PER_MODERATOR - 1} killed" in text


async def test_concurrent_adds_of_different_kinds_get_their_own_ids(two_services: tuple[Briefings, Briefings]) -> None:
    one, two = two_services
    ann = [f'/add event date=2025-03-08 text="Ann event {i}" source=SOHR' for i in range(10)]
    bob = [f'/add event date=2025-03-08 text="Bob event {i}" source=Reuters' for i in range(10)]
    bob += [f'/add claim text="Bob claim {i}" source="news report"' for i in range(5)]
    ann_replies, bob_replies = await run_both(one, two, ann, bob)
    assert all(r.ok for r in ann_replies + bob_replies)
    snapshot = await two.store.snapshot(SLUG)
    events = {k: f for k, f in snapshot.facts.items() if k.startswith("e") and int(k[1:]) >= 10}
    claims = {k: f for k, f in snapshot.facts.items() if k.startswith("c") and int(k[1:]) >= 6}
    assert sorted(events, key=lambda k: int(k[1:])) == [f"e{n}" for n in range(10, 30)]
    assert sorted(claims, key=lambda k: int(k[1:])) == [f"c{n}" for n in range(6, 11)]
    texts = sorted(getattr(f, "text", "") for f in events.values())
    assert texts == sorted([f"Ann event {i}" for i in range(10)] + [f"Bob event {i}" for i in range(10)])


async def test_concurrent_corrections_of_one_fact_each_get_a_revision(
    two_services: tuple[Briefings, Briefings],
) -> None:
    one, two = two_services
    count = 10
    ann = [f'/correct t1 killed={200 + i} reason="Ann {i}"' for i in range(count)]
    bob = [f'/correct t1 killed={300 + i} reason="Bob {i}"' for i in range(count)]
    ann_replies, bob_replies = await run_both(one, two, ann, bob)
    for reply in ann_replies + bob_replies:
        assert reply.ok, (reply.title, reply.sections)

    history = await one.store.history(SLUG, "t1")
    numbers = [r.number for r in history]
    assert len(numbers) == len(set(numbers)), "two corrections got the same revision number"
    assert sorted(numbers) == list(range(1, 2 + 2 * count)), "a correction was lost"
    corrections = [r for r in history if r.action == "correct"]
    assert sorted(r.reason or "" for r in corrections) == sorted(
        [f"Ann {i}" for i in range(count)] + [f"Bob {i}" for i in range(count)]
    )
    for revision in corrections:
        who, i = (revision.reason or "").split()
        assert revision.author == {"Ann": "slack:UANN", "Bob": "console:bob"}[who]
        assert isinstance(revision.fact, Toll)
        assert revision.fact.killed == {"Ann": 200, "Bob": 300}[who] + int(i)
        assert revision.fact.civilians == 4  # the rest of the fact is kept

    # The fact now says what its highest-numbered revision says.
    latest = max(history, key=lambda r: r.number)
    current = (await two.store.snapshot(SLUG)).facts["t1"]
    assert current == latest.fact


async def test_concurrent_retract_and_correct_of_one_fact(two_services: tuple[Briefings, Briefings]) -> None:
    one, two = two_services
    ann, bob = await run_both(
        one,
        two,
        [f'/correct t2 killed={50 + i} reason="Ann {i}"' for i in range(5)],
        ['/retract t2 reason="Bob withdraws it"'],
    )
    assert all(r.ok for r in ann + bob)
    history = await one.store.history(SLUG, "t2")
    assert sorted(r.number for r in history) == list(range(1, 8))
    assert [r.action for r in history].count("retract") == 1


async def test_concurrent_changes_are_recorded_in_order(two_services: tuple[Briefings, Briefings]) -> None:
    one, two = two_services
    for round_ in range(3):
        ann = [f'/correct t2 killed={1000 * round_ + 200 + i} reason="Ann {i}"' for i in range(10)]
        bob = [f'/correct t2 killed={1000 * round_ + 300 + i} reason="Bob {i}"' for i in range(10)]
        ann_replies, bob_replies = await run_both(one, two, ann, bob)
        assert all(r.ok for r in ann_replies + bob_replies)
        history = await one.store.history(SLUG, "t2")
        numbers = [r.number for r in history]
        assert numbers == sorted(numbers), f"history out of order: {numbers}"
        moments = [r.at for r in history]
        assert moments == sorted(moments)

    ann_replies, bob_replies = await run_both(one, two, updates("SOHR"), updates("Reuters"))
    assert all(r.ok for r in ann_replies + bob_replies)
    created = [r for r in await one.store.all_revisions(SLUG) if r.action == "create"]
    keys = [int(r.key[1:]) for r in created]
    assert keys == sorted(keys), f"ids recorded out of order: {keys}"
