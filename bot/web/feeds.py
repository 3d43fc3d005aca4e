"""Atom and JSON Feed 1.1 of a situation: one entry per change (a fact added, corrected, confirmed …) with a
stable id, `published` when the fact was first recorded and `updated` when this change was made. A retracted
fact's entries are withdrawn as RFC 6721 deleted entries (Atom) or listed under `_briefing.retracted` (JSON)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from bot.web.cache import Rendered
from bot.web.html import environment
from bot.web.view import View, modified
from briefings.answers.cards import fact_lines
from briefings.answers.changes import differences
from briefings.facts import Status
from briefings.render_text import plain_span
from briefings.revisions import Revision
from briefings.snapshot import Snapshot
from briefings.untrusted import one_line

ACTIONS = {"create": "New", "add": "New", "correct": "Corrected", "retract": "Retracted", "undo": "Undone"}


def entry_id(slug: str, key: str, number: int) -> str:
    """The same for the same change on every instance and for ever (a name-based UUID)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"briefing:{slug}/{key}/{number}").urn


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    text: str
    link: str
    published: datetime
    updated: datetime


@dataclass(frozen=True)
class Deleted:
    ref: str
    when: datetime
    link: str


def _text(snapshot: Snapshot, revision: Revision, before: Revision | None) -> str:
    said = [
        "".join(plain_span(span) for span in line.spans) for line in fact_lines(snapshot, revision.key, revision.fact)
    ]
    if before is not None:
        said.append("Changed: " + "; ".join(differences(snapshot, before.fact, revision.fact)))
    if revision.reason:
        said.append("Why: " + one_line(revision.reason))
    return "\n".join(said)


async def entries(view: View) -> tuple[Snapshot, list[Entry], list[Deleted]]:
    """The situation's changes, newest first; a retracted fact's earlier entries become deletions."""
    snapshot = await view.snapshot()
    revisions = await view.briefings.store.all_revisions(view.slug)
    kept: list[Entry] = []
    deleted: list[Deleted] = []
    last: dict[str, Revision] = {}
    for revision in sorted(revisions, key=lambda r: (r.at, r.key, r.number)):
        key, current = revision.key, snapshot.facts.get(revision.key)
        ident = entry_id(view.slug, key, revision.number)
        link = view.absolute(view.history_link(key))
        if current is None or current.status is Status.retracted:
            if revision.fact.status is Status.retracted:
                continue  # the retraction itself was never an entry
            deleted.append(Deleted(ident, snapshot.revised_at.get(key, revision.at), link))
        else:
            action = ACTIONS.get(revision.action, revision.action.capitalize())
            title = f"{action} {revision.fact.kind} {key}: {one_line(revision.fact.label())}"
            published = snapshot.recorded_at.get(key, revision.at)
            text = _text(snapshot, revision, last.get(key))
            kept.append(Entry(ident, title, text, link, published, revision.at))
        last[key] = revision
    kept.reverse()
    deleted.reverse()
    return snapshot, kept, deleted


async def atom(view: View) -> Rendered:
    snapshot, kept, deleted = await entries(view)
    body = environment.get_template("feed.atom").render(
        feed_id=uuid.uuid5(uuid.NAMESPACE_URL, f"briefing:{view.slug}").urn,
        title=one_line(snapshot.situation.title),
        subtitle=one_line(snapshot.situation.region),
        updated=modified(snapshot).isoformat(),
        page=view.absolute(view.link()),
        self_link=view.absolute(view.link("feed.atom")),
        entries=kept,
        deleted=deleted,
    )
    return Rendered(body.encode(), "application/atom+xml", modified(snapshot))


async def json_feed(view: View) -> Rendered:
    snapshot, kept, deleted = await entries(view)
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": one_line(snapshot.situation.title),
        "description": one_line(snapshot.situation.region),
        "home_page_url": view.absolute(view.link()),
        "feed_url": view.absolute(view.link("feed.json")),
        "language": "en",
        "items": [
            {
                "id": e.id,
                "url": e.link,
                "title": e.title,
                "content_text": e.text,
                "date_published": e.published.isoformat(),
                "date_modified": e.updated.isoformat(),
            }
            for e in kept
        ],
        "_briefing": {"retracted": [{"id": d.ref, "when": d.when.isoformat(), "url": d.link} for d in deleted]},
    }
    body = json.dumps(feed, ensure_ascii=False, indent=1).encode()
    return Rendered(body, "application/feed+json", modified(snapshot))
