"""The store on SQLite and PostgreSQL: migrations, seeding once, append-only revisions, all-or-nothing writes."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from briefings.access import Caller
from briefings.answers.changed import gather
from briefings.answers.latest import latest_tolls
from briefings.answers.timeline import items
from briefings.answers.whatchanged import answer, page_of
from briefings.facts import Event, Status, Toll
from briefings.loader import load_file
from briefings.render_text import render
from briefings.revisions import Change
from briefings.service import Briefings
from briefings.settings import CoreSettings
from briefings.store import NotFound, Store, revision_reads
from briefings.store.channels import LOCATE
from briefings.store.quick import QuickReader, Unavailable
from briefings.validation import validate
from briefings.when import When
from tests.conftest import SEEDS

SLUG = "syria-coast-2025-03"


def new_toll(**fields: object) -> Toll:
    return validate(Toll, {"sources": ["s1"], "as_of": "2025-03-08 morning", **fields})


async def revision_count(store: Store) -> int:
    return len(await store.all_revisions(SLUG))


async def test_open_twice_is_fine(database_url: str) -> None:
    first = await Store.open(database_url)
    try:
        assert await first.situations() == []
        assert not await first.has_situations()
    finally:
        await first.close()
    second = await Store.open(database_url)  # migrations already applied: nothing to do, no error
    try:
        assert await second.situations() == []
    finally:
        await second.close()


async def test_seed_is_loaded_once(settings: CoreSettings) -> None:
    first = await Briefings.start(settings)
    try:
        assert [s.slug for s in await first.store.situations()] == [SLUG]
        facts = len((await first.store.snapshot(SLUG)).facts)
        revisions = await revision_count(first.store)
        assert facts == revisions > 40
    finally:
        await first.close()
    second = await Briefings.start(settings)
    try:
        assert [s.slug for s in await second.store.situations()] == [SLUG]
        assert len((await second.store.snapshot(SLUG)).facts) == facts
        assert await revision_count(second.store) == revisions
        assert len(await second.store.history(SLUG, "t1")) == 1
    finally:
        await second.close()


async def test_a_correction_appends_a_revision(briefings: Briefings) -> None:
    store = briefings.store
    before = await store.history(SLUG, "t1")
    assert [(r.number, r.action, r.author) for r in before] == [(1, "load", "seed")]
    corrected = new_toll(qualifier="at least", killed=80, security=40, insurgents=36, civilians=4)
    written = await store.write(
        SLUG, [Change(fact=corrected, key="t1", action="correct", reason="SOHR update")], author="console:mod"
    )
    assert [(r.key, r.number, r.action) for r in written] == [("t1", 2, "correct")]

    history = await store.history(SLUG, "t1")
    assert [r.number for r in history] == [1, 2]
    assert history[0] == before[0]  # revision 1 is untouched
    first = history[0].fact
    assert isinstance(first, Toll) and first.killed == 70 and first.as_of.iso() == "2025-03-07 morning"
    assert (history[1].author, history[1].action, history[1].reason) == ("console:mod", "correct", "SOHR update")
    assert history[1].fact == corrected

    snapshot = await store.snapshot(SLUG)
    now = snapshot.facts["t1"]
    assert isinstance(now, Toll) and (now.killed, now.security) == (80, 40)
    assert now.as_of.iso() == "2025-03-08 morning"
    reply = await briefings.handle("/toll", Caller.operator())
    assert "At least 80 killed, according to SOHR (as of Sat 8 Mar 2025, morning)" in render(reply)


async def test_a_new_fact_gets_the_next_id(briefings: Briefings) -> None:
    store = briefings.store
    written = await store.write(SLUG, [Change(fact=new_toll(civilians=6))], author="console:mod")
    assert [(r.key, r.number, r.action) for r in written] == [("t4", 1, "create")]
    snapshot = await store.snapshot(SLUG)
    assert snapshot.facts["t4"] == new_toll(civilians=6)
    event = validate(Event, {"sources": ["s2"], "when": "2025-03-08", "text": "Something new"})
    written = await store.write(SLUG, [Change(fact=new_toll(killed=3)), Change(fact=event)], author="console:mod")
    assert [r.key for r in written] == ["t5", "e10"]
    assert len({r.batch for r in written}) == 1  # one command, one batch


async def test_a_bad_change_writes_nothing(briefings: Briefings) -> None:
    store = briefings.store
    count = await revision_count(store)
    good = Change(fact=new_toll(killed=90), key="t1", action="correct", reason="fine on its own")
    added = Change(fact=new_toll(civilians=1))
    with pytest.raises(NotFound):
        await store.write(SLUG, [good, added, Change(fact=new_toll(killed=1), key="t99", action="correct")], "x:y")
    with pytest.raises(ValueError, match="'e1' is a event, not a toll"):
        await store.write(SLUG, [good, Change(fact=new_toll(killed=1), key="e1", action="correct")], "x:y")
    with pytest.raises(NotFound):
        await store.write("no-such-situation", [added], "x:y")
    assert await revision_count(store) == count
    assert len(await store.history(SLUG, "t1")) == 1
    snapshot = await store.snapshot(SLUG)
    assert "t4" not in snapshot.facts
    t1 = snapshot.facts["t1"]
    assert isinstance(t1, Toll) and t1.killed == 70
    # The store still works after the failed writes.
    assert [r.key for r in await store.write(SLUG, [added], "x:y")] == ["t4"]


async def test_concurrent_new_facts_get_distinct_ids(briefings: Briefings) -> None:
    store = briefings.store
    results = await asyncio.gather(
        *(store.write(SLUG, [Change(fact=new_toll(killed=n))], author=f"console:m{n}") for n in range(1, 5))
    )
    keys = sorted(r.key for written in results for r in written)
    assert keys == ["t4", "t5", "t6", "t7"]


async def test_two_instances_starting_together_load_the_seed_once(settings: CoreSettings) -> None:
    started = await asyncio.gather(Briefings.start(settings), Briefings.start(settings), return_exceptions=True)
    errors = [s for s in started if isinstance(s, BaseException)]
    try:
        assert errors == []
        for service in started:
            assert isinstance(service, Briefings)
            assert [s.slug for s in await service.store.situations()] == [SLUG]
        service = started[0]
        assert isinstance(service, Briefings)
        facts = len((await service.store.snapshot(SLUG)).facts)
        assert await revision_count(service.store) == facts
        assert len(await service.store.history(SLUG, "t1")) == 1
    finally:
        for service in started:
            if isinstance(service, Briefings):
                await service.close()


async def test_opening_sqlite_while_another_connection_writes_waits(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("CREATE TABLE other (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")  # another process is writing, as a starting instance would
    holder.execute("INSERT INTO other VALUES (1)")

    def finish_soon() -> None:
        time.sleep(1.0)
        holder.execute("COMMIT")

    writer = threading.Thread(target=finish_soon)
    writer.start()
    try:
        store = await Store.open(f"sqlite:///{path}")  # should wait for the lock (busy timeout 30 s)
        try:
            assert await store.situations() == []
        finally:
            await store.close()
    finally:
        writer.join()
        holder.close()


async def test_a_kept_snapshot_follows_writes_made_by_another_instance(settings: CoreSettings) -> None:
    """Each process keeps its last snapshot until the situation's version moves; a write anywhere moves it."""
    one, two = await Briefings.start(settings), await Briefings.start(settings)
    try:
        before = await one.store.snapshot(SLUG)
        assert "t4" not in before.facts
        assert await one.store.snapshot(SLUG) is before  # unchanged situation: the kept snapshot, not re-read

        await two.store.write(SLUG, [Change(fact=new_toll(killed=150))], author="console:mod")
        after = await one.store.snapshot(SLUG)
        assert isinstance(after.facts["t4"], Toll) and after.facts["t4"].killed == 150
        assert "t4" not in before.facts  # a reader still holding the older state sees it unchanged

        await two.store.write(SLUG, [Change(fact=new_toll(killed=160), key="t4", action="correct")], author="x:y")
        corrected = (await one.store.snapshot(SLUG)).facts["t4"]
        assert isinstance(corrected, Toll) and corrected.killed == 160
    finally:
        await one.close()
        await two.close()


async def test_catching_up_on_newer_revisions_gives_what_a_fresh_read_gives(settings: CoreSettings) -> None:
    """A kept snapshot applies only the revisions written since; the result equals reading everything afresh."""
    one, two = await Briefings.start(settings), await Briefings.start(settings)
    try:
        kept = await one.store.snapshot(SLUG)  # kept by `one` from here on
        kept.all(Toll), kept.all(Toll, include_retracted=True), kept.all(Event), kept.places  # worked out once
        latest_tolls(kept), items(kept)
        for killed in (150, 160, 170):
            await two.store.write(SLUG, [Change(fact=new_toll(killed=killed))], author="console:mod")
            (await one.store.snapshot(SLUG)).all(Toll)
        moved = new_toll(killed=175, place="p2", sources=["s2"])  # another place and source: two groups change
        await two.store.write(SLUG, [Change(fact=moved, key="t6", action="correct")], author="console:mod")
        event = (await one.store.snapshot(SLUG)).facts["e1"]
        assert isinstance(event, Event)
        later = replace(event, when=When.parse("2025-03-09"))
        await two.store.write(SLUG, [Change(fact=later, key="e1", action="correct")], author="console:mod")
        first = (await one.store.snapshot(SLUG)).facts["t1"]
        await two.store.write(
            SLUG,
            [Change(fact=replace(first, status=Status.retracted), key="t1", action="retract")],
            author="console:mod",
        )
        await two.store.write(SLUG, [Change(fact=new_toll(killed=180), key="t5", action="correct")], author="x:y")
        caught_up = await one.store.snapshot(SLUG)
        fresh = await Store.open(settings.database_url)
        try:
            afresh = await fresh.snapshot(SLUG)
        finally:
            await fresh.close()
        assert caught_up.facts == afresh.facts
        assert caught_up.revised_at == afresh.revised_at and caught_up.recorded_at == afresh.recorded_at
        assert (caught_up.version, caught_up.upto) == (afresh.version, afresh.upto)
        assert caught_up.facts["t1"].status is Status.retracted
        assert [k for k, _ in caught_up.all(Toll)].count("t1") == 0
        for retracted in (False, True):  # the patched lists of each kind are what a fresh read works out
            assert caught_up.all(Toll, include_retracted=retracted) == afresh.all(Toll, include_retracted=retracted)
        assert caught_up.all(Event) == afresh.all(Event)
        assert caught_up.places.names() == afresh.places.names()
        assert latest_tolls(caught_up) == latest_tolls(afresh)  # patched for each write, as worked out afresh
        assert items(caught_up) == items(afresh) and items(caught_up)[-1][0] == "e1"
    finally:
        await one.close()
        await two.close()


async def test_quick_reads_on_sqlite_see_other_writers_and_fall_back_when_they_cannot_read(tmp_path: Path) -> None:
    """On SQLite the channel's situation and version are read in place; a switch made by another instance is seen
    by the next read, and a read that cannot be made in place is made the usual way."""
    url = f"sqlite:///{tmp_path / 'quick.db'}"
    settings = CoreSettings(database_url=url, seeds=SEEDS)
    one, two = await Briefings.start(settings), await Briefings.start(settings)
    try:
        slug, version = await one.store.locate("console")
        assert slug == SLUG
        await two.store.write(SLUG, [Change(fact=new_toll(killed=150))], author="console:mod")
        assert await one.store.locate("console") == (SLUG, version + 1)

        reader = one.store._quick
        assert isinstance(reader, QuickReader)
        reader.close()  # now it cannot read: the store reads through the engine instead
        with pytest.raises(Unavailable):
            reader.first(LOCATE, channel="console", default="")
        assert await one.store.locate("console") == (SLUG, version + 1)
        with pytest.raises(NotFound):
            await one.store.locate("console", default="no-such-situation")
    finally:
        await one.close()
        await two.close()


async def test_what_changed_compares_each_fact_with_where_it_stood(briefings: Briefings) -> None:
    """/whatchanged compares a fact as it stood at `since` with what came after, read from the store: revisions
    before `since` are the starting point, not changes."""
    store = briefings.store
    start = datetime.now(UTC) + timedelta(days=1)  # after the seed was loaded
    for hour, killed in enumerate((100, 110, 120)):  # t4: three revisions before `since`
        change = Change(fact=new_toll(killed=killed), key=None if hour == 0 else "t4", action="correct")
        await store.write(SLUG, [change], author="console:mod", at=start + timedelta(hours=hour))
    await store.write(SLUG, [Change(fact=new_toll(killed=9))], author="console:mod", at=start)  # t5: untouched since
    since = start + timedelta(hours=5)
    for hour, killed in ((6, 130), (7, 140)):
        await store.write(
            SLUG,
            [Change(fact=new_toll(killed=killed), key="t4", action="correct")],
            "console:mod",
            at=start + timedelta(hours=hour),
        )
    await store.write(SLUG, [Change(fact=new_toll(killed=7))], author="console:mod", at=start + timedelta(hours=8))
    snapshot = await store.snapshot(SLUG)
    changes = await gather(store, snapshot, since, page_of(1))
    assert {item.key for item in changes.items} == {"t4", "t6"}  # t5 was untouched since
    reply = answer(snapshot, changes, start + timedelta(hours=9))
    assert "120 → 140" in render(reply)  # as it stood at `since` against now


SECOND = """\
situation: {slug: test-flood-2025, title: Test flood, region: Testland, timezone: Europe/Berlin}
sources:
  - {id: s1, name: Test Agency, aliases: [TA], type: news-agency}
tolls:
  - {id: t1, source: TA, as_of: 2025-05-02, killed: 3}
"""


async def test_catching_up_skips_other_situations_and_rereads_after_many_changes(
    settings: CoreSettings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Revisions of another situation written in between are not applied; past the patch limit the snapshot is
    read afresh; either way it equals a fresh read."""
    one, two = await Briefings.start(settings), await Briefings.start(settings)
    try:
        path = tmp_path / "second.yaml"
        path.write_text(SECOND, encoding="utf-8")
        assert await two.store.import_situation(load_file(path), "test")
        kept, other = await one.store.snapshot(SLUG), await one.store.snapshot("test-flood-2025")
        await two.store.write("test-flood-2025", [Change(fact=new_toll(killed=5))], author="console:mod")
        await two.store.write(SLUG, [Change(fact=new_toll(killed=150))], author="console:mod")
        await two.store.write("test-flood-2025", [Change(fact=new_toll(killed=6))], author="console:mod")
        patched = await one.store.snapshot(SLUG)
        assert set(patched.facts) - set(kept.facts) == {"t4"}  # not the flood's t2 or t3
        assert set((await one.store.snapshot("test-flood-2025")).facts) - set(other.facts) == {"t2", "t3"}

        monkeypatch.setattr(revision_reads, "PATCH_AT_MOST", 2)
        for killed in (160, 170, 180):
            await two.store.write(SLUG, [Change(fact=new_toll(killed=killed))], author="console:mod")
        reread = await one.store.snapshot(SLUG)
        fresh = await Store.open(settings.database_url)
        try:
            assert reread.facts == (await fresh.snapshot(SLUG)).facts
        finally:
            await fresh.close()
        assert {"t5", "t6", "t7"} <= set(reread.facts)
    finally:
        await one.close()
        await two.close()
