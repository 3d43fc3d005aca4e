"""Feeds, against a feed and articles served on 127.0.0.1: `/feed add|list|remove`, each new entry read once into
proposals and announced once in the moderators' channel, failures shown in `/feed list`; and two instances
polling one feed on PostgreSQL, each entry proposed once and announced once."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from unittest.mock import patch

import pytest

from bot.adapter import PostError
from bot.testing import MemoryAdapter
from briefings.access import Caller
from briefings.feeds.poller import FeedPoller
from briefings.ingest.feed_entries import read_feed
from briefings.ingest.fetch_settings import FetchSettings
from briefings.render_text import render
from briefings.service import Briefings
from briefings.settings import CoreSettings
from briefings.store.feeds import FeedStore
from briefings.store.proposals import ProposalQueue
from tests.conftest import ROOT, SEEDS, Ask
from tests.local_site import LocalSite, Page
from tests.test_fetch_article import ARTICLE

SLUG = "syria-coast-2025-03"
WORKER = ROOT / "tests" / "feed_worker.py"
LOOPBACK = "127.0.0.1/32"
NOW = datetime(2025, 3, 9, 8, 0, tzinfo=UTC)
ITEM = """<item><title>{title}</title><link>{link}</link><guid>{guid}</guid>
<pubDate>Sat, 08 Mar 2025 10:00:00 GMT</pubDate><description>{summary}</description></item>"""
FIRST = {
    "title": "Searches go on along the coast",
    "link": "/story",
    "guid": "coast-1",
    "summary": "Crews searched homes through the night.",
}
SECOND = {
    "title": "Clinics overwhelmed",
    "link": "/missing",
    "guid": "coast-2",
    "summary": "At least 9 people were wounded in Latakia on Friday, the regional health office said.",
}
THIRD = {
    "title": "A quieter morning",
    "link": "/missing-too",
    "guid": "coast-3",
    "summary": "At least 3 people were killed in Tartous on Saturday, the regional health office said.",
}


def rss(site: LocalSite, *items: dict[str, str]) -> bytes:
    body = "".join(ITEM.format(**(item | {"link": site.url(item["link"])})) for item in items)
    channel = f"<channel><title>Example coast news</title><link>{site.base}</link>{body}</channel>"
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0">{channel}</rss>'.encode()


def posts_of(briefings: Briefings) -> MemoryAdapter:
    """The moderators' channel ("console", where the console moderator adds feeds), kept in memory."""
    return MemoryAdapter(briefings)


def sent(channel: MemoryAdapter) -> list[str]:
    return [p.text for p in channel.posts]


def markers(channel: MemoryAdapter) -> list[str]:
    return [p.run_key for p in channel.posts]


@pytest.fixture
def site() -> Iterator[LocalSite]:
    server = LocalSite().start()
    server.pages["/story"] = Page(ARTICLE)
    server.pages["/feed.xml"] = Page(rss(server, FIRST, SECOND), "application/rss+xml")
    yield server
    server.stop()


@pytest.fixture
def allowed(monkeypatch: pytest.MonkeyPatch) -> FetchSettings:
    monkeypatch.setenv("BRIEFING_FETCH_ALLOW_PRIVATE", LOOPBACK)
    return FetchSettings(fetch_allow_private=LOOPBACK)


async def test_a_feeds_entries_are_proposed_and_announced_once(
    site: LocalSite, ask: Ask, moderator: Caller, briefings: Briefings, allowed: FetchSettings
) -> None:
    added, said = await ask(f"/feed add {site.url('/feed.xml')}", moderator)
    assert added.ok and "2 entries now" in said, said
    again, said = await ask(f"/feed add {site.url('/feed.xml')}", moderator)
    assert not again.ok and "already follows" in said
    channel = posts_of(briefings)
    poller = FeedPoller(briefings.store, {"console": channel}, allowed, owner="one")

    report = await poller.poll(NOW)
    assert (report.entries, report.announced) == (2, 2), report
    pending = await ProposalQueue(briefings.store).pending(SLUG)
    assert {q.url for q in pending} == {site.url("/story"), site.url("/missing")}
    texts = sent(channel)
    assert any("killed=14" in text and "Searches go on along the coast" in text for text in texts), texts
    assert any("wounded=9" in text and "Clinics overwhelmed" in text for text in texts), texts  # the summary read
    assert [p.channel for p in channel.posts] == ["console", "console"]

    report = await poller.poll(NOW + timedelta(minutes=15))
    assert (report.entries, report.announced, len(channel.posts)) == (0, 0, 2)

    site.pages["/feed.xml"] = Page(rss(site, FIRST, SECOND, THIRD), "application/rss+xml")
    report = await poller.poll(NOW + timedelta(minutes=30))
    assert (report.entries, report.announced, len(channel.posts)) == (1, 1, 3)
    assert "killed=3" in sent(channel)[-1]
    assert len(set(markers(channel))) == 3
    _, listing = await ask("/feed list", moderator)
    assert site.url("/feed.xml") in listing and "3 entries" in listing


async def test_a_failed_announcement_is_retried_and_posted_once(
    site: LocalSite, ask: Ask, moderator: Caller, briefings: Briefings, allowed: FetchSettings
) -> None:
    await ask(f"/feed add {site.url('/feed.xml')}", moderator)
    channel = posts_of(briefings)
    channel.fail = [PostError("the platform did not answer"), PostError("the platform did not answer")]
    poller = FeedPoller(briefings.store, {"console": channel}, allowed, owner="one")
    first = await poller.poll(NOW)
    assert (first.entries, first.announced, channel.posts) == (2, 0, [])
    other = FeedPoller(briefings.store, {"console": channel}, allowed, owner="two")
    assert (await other.poll(NOW + timedelta(seconds=30))).announced == 0  # not before the retry is due
    later = await other.poll(NOW + timedelta(minutes=2))
    assert later.announced == 2 and len(channel.posts) == 2
    assert len(await ProposalQueue(briefings.store).pending(SLUG)) == 2  # read once, not again by the other
    assert (await poller.poll(NOW + timedelta(minutes=20))).announced == 0 and len(channel.posts) == 2


async def test_an_announcement_whose_answer_was_lost_is_not_posted_again(
    site: LocalSite, ask: Ask, moderator: Caller, briefings: Briefings, allowed: FetchSettings
) -> None:
    await ask(f"/feed add {site.url('/feed.xml')}", moderator)
    channel = posts_of(briefings)
    channel.lose = 1
    poller = FeedPoller(briefings.store, {"console": channel}, allowed, owner="one")
    assert (await poller.poll(NOW)).announced == 1 and len(channel.posts) == 2
    await poller.poll(NOW + timedelta(minutes=5))
    assert len(channel.posts) == 2 and channel.lookups == 1  # found on the platform, recorded, not posted again
    assert (await poller.poll(NOW + timedelta(minutes=30))).announced == 0 and channel.lookups == 1


async def test_an_entry_left_half_read_by_a_process_that_died_is_read_once_by_another(
    site: LocalSite, ask: Ask, moderator: Caller, briefings: Briefings, allowed: FetchSettings
) -> None:
    await ask(f"/feed add {site.url('/feed.xml')}", moderator)
    feeds = FeedStore(briefings.store)
    (feed,) = await feeds.followed(SLUG)
    (newest, _) = read_feed(rss(site, FIRST, SECOND), 20)
    lease = NOW + timedelta(minutes=5)
    assert await feeds.claim(feed.id, newest.key, newest.row(), "died", NOW, lease) is not None
    channel = posts_of(briefings)
    poller = FeedPoller(briefings.store, {"console": channel}, allowed, owner="alive")
    assert (await poller.poll(NOW + timedelta(minutes=1))).announced == 1  # the other entry; this one is leased
    assert (await poller.poll(NOW + timedelta(minutes=6))).announced == 1  # its lease ran out: read now, once
    assert len(channel.posts) == 2 and len(await ProposalQueue(briefings.store).pending(SLUG)) == 2


@pytest.mark.parametrize(
    ("page", "words"),
    [
        (Page(b"<rss><channel><item><title>broken", "application/rss+xml"), "not a readable feed"),
        (Page(b"", status=404), "answered 404"),
        (Page(b"%PDF-1.4", "application/pdf"), "is a PDF"),
    ],
)
async def test_a_failing_feed_is_shown_in_the_list_not_raised(
    site: LocalSite, ask: Ask, moderator: Caller, briefings: Briefings, allowed: FetchSettings, page: Page, words: str
) -> None:
    await ask(f"/feed add {site.url('/feed.xml')}", moderator)
    site.pages["/feed.xml"] = page
    report = await FeedPoller(briefings.store, {}, allowed).poll(NOW)
    assert report.failed == 1
    _, listing = await ask("/feed list", moderator)
    assert "Failing at" in listing and words in listing, listing


async def test_feed_commands_say_what_is_wrong_and_are_for_moderators(
    site: LocalSite, ask: Ask, moderator: Caller, reader: Caller, allowed: FetchSettings
) -> None:
    refused, said = await ask(f"/feed add {site.url('/story')}", moderator)
    assert not refused.ok and refused.at_fault == "url" and "not a feed" in said, said
    refused, said = await ask("/feed add gopher://somewhere", moderator)
    assert not refused.ok and "not a web address" in said
    _, said = await ask("/feed list", moderator)
    assert "No feeds followed" in said
    denied, said = await ask(f"/feed add {site.url('/feed.xml')}", reader)
    assert not denied.ok and "for moderators" in said
    await ask(f"/feed add {site.url('/feed.xml')}", moderator)
    removed, said = await ask(f"/feed remove {site.url('/feed.xml')}", moderator)
    assert removed.ok and "No longer following" in said
    gone, said = await ask(f"/feed remove {site.url('/feed.xml')}", moderator)
    assert not gone.ok and "does not follow" in said


async def test_two_instances_polling_one_feed_propose_and_announce_each_entry_once(
    site: LocalSite, postgres_url: str, moderator: Caller, allowed: FetchSettings
) -> None:
    settings = CoreSettings(database_url=postgres_url, seeds=SEEDS, moderators="console:mod")
    one = await Briefings.start(settings)
    two = await Briefings.start(settings)
    try:
        added = await one.handle(f"/feed add {site.url('/feed.xml')}", moderator)
        assert added.ok, render(added)
        channel = posts_of(one)
        pollers = [FeedPoller(b.store, {"console": channel}, allowed, owner=n) for b, n in ((one, "a"), (two, "b"))]
        fetches = len([seen for seen in site.seen if seen.path == "/feed.xml"])  # `/feed add` read it once
        for minutes in (0, 15):
            reports = await asyncio.gather(*(p.poll(NOW + timedelta(minutes=minutes)) for p in pollers))
            assert sum(r.feeds for r in reports) == 1  # one fetch of the feed per round, not one per instance
        assert len([seen for seen in site.seen if seen.path == "/feed.xml"]) == fetches + 2
        site.pages["/feed.xml"] = Page(rss(site, FIRST, SECOND, THIRD), "application/rss+xml")
        await asyncio.gather(*(p.poll(NOW + timedelta(minutes=30)) for p in pollers))
        pending = await ProposalQueue(one.store).pending(SLUG)
        assert sorted(q.url or "" for q in pending) == sorted(
            site.url(p) for p in ("/story", "/missing", "/missing-too")
        )
        assert len(channel.posts) == 3 and len(set(markers(channel))) == 3
    finally:
        await one.close()
        await two.close()


async def test_the_digest_clock_polls_the_feeds(
    site: LocalSite, ask: Ask, moderator: Caller, briefings: Briefings, allowed: FetchSettings
) -> None:
    from bot.scheduler import DigestClock
    from briefings.digests.runner import DigestRunner

    await ask(f"/feed add {site.url('/feed.xml')}", moderator)
    channel = posts_of(briefings)
    clock = DigestClock(DigestRunner(briefings.store, {"console": channel}, briefings.urgency))
    clock.start()
    try:
        job = clock.scheduler.get_job("feed-poll")
        assert job is not None and job.trigger.interval.total_seconds() == allowed.feed_poll_interval
        await job.func()
        assert len(channel.posts) == 2
        await job.func()
        assert len(channel.posts) == 2
    finally:
        await clock.stop()


def test_processes_polling_one_feed_propose_and_announce_each_entry_once(
    site: LocalSite, postgres_url: str, moderator: Caller, tmp_path: Path
) -> None:
    site.pages["/feed.xml"] = Page(rss(site, FIRST, SECOND, THIRD), "application/rss+xml")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env["BRIEFING_FETCH_ALLOW_PRIVATE"] = LOOPBACK

    async def add() -> None:
        settings = CoreSettings(database_url=postgres_url, seeds=SEEDS, moderators="console:mod")
        briefings = await Briefings.start(settings)
        try:
            with patch.dict(os.environ, env):
                added = await briefings.handle(f"/feed add {site.url('/feed.xml')}", moderator)
            assert added.ok, render(added)
        finally:
            await briefings.close()

    asyncio.run(add())
    workers = [
        subprocess.Popen(
            [sys.executable, str(WORKER), postgres_url, str(tmp_path), str(i), "3", "2", NOW.isoformat()], env=env
        )
        for i in range(3)
    ]
    assert [worker.wait(timeout=180) for worker in workers] == [0, 0, 0]
    posted = [row.split("|") for path in tmp_path.glob("posted-*.txt") for row in path.read_text().splitlines()]
    assert len(posted) == 3 and len({key for _, key, _ in posted}) == 3, posted
    reports = [json.loads((tmp_path / f"report-{i}.json").read_text()) for i in range(3)]
    assert sum(poll["entries"] for report in reports for poll in report) == 3
    assert sum(poll["feeds"] for report in reports for poll in report) == 1  # six polls, one fetch of the feed
    assert sum(poll["announced"] for report in reports for poll in report) == 3

    async def proposed() -> list[str]:
        briefings = await Briefings.start(CoreSettings(database_url=postgres_url, seeds=SEEDS))
        try:
            return sorted(q.url or "" for q in await ProposalQueue(briefings.store).pending(SLUG))
        finally:
            await briefings.close()

    assert asyncio.run(proposed()) == sorted(site.url(p) for p in ("/story", "/missing", "/missing-too"))
