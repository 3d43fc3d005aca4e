"""One poll of every followed feed: each feed fetched by one process per round, new entries claimed once across
processes, read into proposals, and the proposals announced once in the moderators' channel (through the digests'
`Poster`, marked so a retry after a crash finds the post that already went out). A feed that fails is recorded on
the feed, never raised."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from briefings.digests.posting import Poster
from briefings.digests.tick import default_owner
from briefings.feeds.telling import announcement
from briefings.ingest.feed_entries import FeedEntry, NotAFeed, read_feed
from briefings.ingest.fetch import FEED_ACCEPT, Refusal, fetch, fetch_article
from briefings.ingest.fetch_settings import FetchSettings
from briefings.store import NotFound, Store
from briefings.store.feeds import CLAIMED, PROPOSED, Entry, Feed, FeedStore

log = logging.getLogger(__name__)


@dataclass
class PollReport:
    feeds: int = 0
    failed: int = 0
    entries: int = 0
    proposed: int = 0
    announced: int = 0


@dataclass
class FeedPoller:
    store: Store
    posters: dict[str, Poster]
    """By platform: `slack`, `discord`, `console` (the prefix of the channel a feed announces in)."""
    settings: FetchSettings = field(default_factory=FetchSettings)
    owner: str = field(default_factory=default_owner)
    lease: timedelta = timedelta(minutes=5)
    _lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    @property
    def feeds(self) -> FeedStore:
        return FeedStore(self.store)

    async def poll(self, now: datetime) -> PollReport:
        """Polls every followed feed, then takes over what another process left unfinished."""
        report = PollReport()
        async with self._lock:
            followed = await self.feeds.followed()
            for feed in followed:
                try:
                    await self._poll_feed(feed, now, report)
                except Exception:  # one feed's trouble never stops the others
                    log.exception("polling feed %s (%s) failed", feed.id, feed.url)
                    await self.feeds.polled(feed.id, now, "could not be read (the error is logged)")
            known = {feed.id: feed for feed in followed}
            for entry in await self.feeds.take(now, self.owner, now + self.lease):
                owner = known.get(entry.feed_id) or await self.feeds.feed(entry.feed_id)
                if owner is not None:
                    await self._finish(owner, entry, now, report, retaken=True)
        return report

    async def _poll_feed(self, feed: Feed, now: datetime, report: PollReport) -> None:
        """Fetches the feed unless another process did this round (within half the poll interval), so a
        publisher sees one fetch per interval however many instances run."""
        if not await self.feeds.turn(feed.id, now, now - timedelta(seconds=self.settings.feed_poll_interval / 2)):
            return
        report.feeds += 1
        fetched = await fetch(feed.url, self.settings, FEED_ACCEPT)
        try:
            if isinstance(fetched, Refusal):
                raise NotAFeed(fetched.reason)
            entries = await asyncio.to_thread(read_feed, fetched.body, self.settings.feed_entries_per_poll)
        except NotAFeed as exc:
            report.failed += 1
            log.warning("feed %s (%s) failed: %s", feed.id, feed.url, exc)
            await self.feeds.polled(feed.id, now, str(exc)[:500])
            return
        await self.feeds.polled(feed.id, now, None, len(entries))
        for item in entries:
            entry_id = await self.feeds.claim(feed.id, item.key, item.row(), self.owner, now, now + self.lease)
            if entry_id is not None:
                report.entries += 1
                entry = _entry(entry_id, feed.id, item)
                await self._finish(feed, entry, now, report, retaken=False)

    async def _finish(self, feed: Feed, entry: Entry, now: datetime, report: PollReport, *, retaken: bool) -> None:
        """Reads a claimed entry into proposals, then announces them; each step once, whoever does it."""
        try:
            if entry.status == CLAIMED:
                ids = await self._read(feed, entry, now)
                report.proposed += len(ids)
                entry = replace(entry, status=PROPOSED, proposals=",".join(map(str, ids)))
                if not ids:
                    return
            if await self._announce(feed, entry, now, retaken=retaken):
                report.announced += 1
        except NotFound:
            log.warning("feed %s follows situation %s, which no longer exists", feed.id, feed.slug)
        except Exception:
            log.exception("feed %s entry %s failed; taken again after its lease", feed.id, entry.id)

    async def _read(self, feed: Feed, entry: Entry, now: datetime) -> list[int]:
        from briefings.ingest import propose

        text, published = entry.summary or "", entry.published
        if entry.link:
            article = await fetch_article(entry.link, self.settings)
            if isinstance(article, Refusal):
                log.info("feed %s entry %s: article not read (%s); its summary read", feed.id, entry.id, article.reason)
            else:
                text, published = article.text, published or article.published
        text = "\n".join(part for part in (entry.title, text) if part)
        snapshot = await self.store.snapshot(feed.slug)
        published = published or now
        found = await asyncio.to_thread(propose, text, published, snapshot, None) if text else []
        return await self.feeds.proposed(entry, feed, found, owner=self.owner, at=now, published=published)

    async def _announce(self, feed: Feed, entry: Entry, now: datetime, *, retaken: bool) -> bool:
        channel = self.settings.feed_channel or feed.channel
        platform, _, target = channel.partition(":")
        poster = self.posters.get(platform)
        if poster is None:
            await self.feeds.announced(entry.id, self.owner, None, f"no way to post to {channel}")
            return False
        marker = f"feed{entry.id}"
        try:
            if retaken:
                existing = await poster.find_posted(target or channel, marker)
                if existing:
                    await self.feeds.announced(entry.id, self.owner, existing)
                    return False
            snapshot = await self.store.snapshot(feed.slug)
            reply = await announcement(self.store, feed, entry, snapshot)
            message_id = await poster.post(target or channel, reply, marker)
        except Exception as exc:
            wait = timedelta(seconds=60 * 4 ** min(entry.attempts, 4))
            log.warning("announcing feed entry %s in %s failed, retrying in %s: %s", entry.id, channel, wait, exc)
            await self.feeds.retry(entry.id, self.owner, str(exc)[:500], now + wait)
            return False
        await self.feeds.announced(entry.id, self.owner, message_id)
        return True


def _entry(entry_id: int, feed_id: int, item: FeedEntry) -> Entry:
    return Entry(entry_id, feed_id, item.key, item.link, item.title, item.summary, item.published, CLAIMED, 0, None)
