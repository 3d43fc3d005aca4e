"""The announcement of what a feed entry proposed: which feed, then each proposal as a review card."""

from __future__ import annotations

from briefings.commands.review_cards import card
from briefings.commands.table import REVIEW_USAGE
from briefings.reply import Reply, Section, line, untrusted
from briefings.snapshot import Snapshot
from briefings.store import Store
from briefings.store.feeds import Entry, Feed
from briefings.store.proposals import ProposalQueue


async def announcement(store: Store, feed: Feed, entry: Entry, snapshot: Snapshot) -> Reply:
    """The moderators' notice of an entry's proposals, each card as it stands now (decided ones say so)."""
    queue = ProposalQueue(store)
    ids = [int(part) for part in (entry.proposals or "").split(",") if part.isdigit()]
    items = [item for item in [await queue.get(feed.slug, id_) for id_ in ids] if item is not None]
    heading = Section(None, [line("New in the feed ", untrusted(feed.url))])
    return Reply(
        f"{len(items)} fact(s) proposed from a feed for review",
        [heading, *(card(item, snapshot) for item in items)],
        line(REVIEW_USAGE),
    )
