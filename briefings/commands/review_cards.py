"""Review cards: a proposed fact as one section of a reply, with what it would record, the sentence it came from,
the article, and the Accept / Edit / Reject actions while it waits; once decided, who decided and what was written."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from briefings.reply import Action, Line, Part, Reply, Section, line, untrusted
from briefings.snapshot import Snapshot

if TYPE_CHECKING:  # the queue and article reading load with the first review, not with every command
    from briefings.ingest.model import Proposal
    from briefings.store.proposals import Queued

EVIDENCE_CHARS = 300
ALIASES = {"when": "date", "places": "place", "sources": "source"}
"""A proposal's field names that the moderators' commands and forms also know by their chat option's name."""


def evidence_note(item: Queued) -> str:
    """What a recorded fact keeps of the article: where it came from and the sentence that says it."""
    from briefings.ingest.statements import short

    where = item.url or item.title or f"an article of {item.published.date().isoformat()}"
    return short(f"From {where}: {item.proposal.evidence}", 400)


def editable(proposal: Proposal, snapshot: Snapshot) -> dict[str, str]:
    """The proposal's options by their chat names (`date`, `place`, `source`), as an edit form shows them."""
    return {ALIASES.get(name, name): value for name, value in proposal.options(snapshot).items()}


def actions(id: int) -> tuple[Action, ...]:
    return (
        Action("Accept", f"/review accept {id}", "primary"),
        Action("Edit", f"/review edit {id}"),
        Action("Reject", f"/review reject {id}", "danger"),
    )


def card(item: Queued, snapshot: Snapshot) -> Section:
    """One proposal as a card: actions while it is pending, the decision once it is taken."""
    from briefings.ingest.statements import short
    from briefings.store.proposals import PENDING, TAKING

    p = item.proposal
    heading = f"#{item.id} {p.kind}" + (f" (updates {p.updates})" if p.updates else "")
    lines: list[Line] = [
        line(untrusted(p.command(snapshot))),
        line("Evidence: ", untrusted(short(p.evidence, EVIDENCE_CHARS)), level=1),
    ]
    article = [untrusted(part) for part in (item.title, item.url) if part]
    if article:
        lines.append(line("Article: ", *_joined(article), level=1))
    lines.append(line(f"Published {item.published.date().isoformat()} · proposal #{item.id}", level=1))
    for what, words in p.unknown.items():
        lines.append(line(f"Unknown {what}: ", untrusted(words), level=1))
    if item.status == PENDING:
        return Section(heading, lines, actions(item.id))
    if item.status == TAKING:
        lines.append(line("Being accepted by ", untrusted(item.decided_by or "a moderator"), " just now"))
    else:
        when = f" at {item.decided_at:%Y-%m-%d %H:%M} UTC" if item.decided_at else ""
        written = f": recorded {item.written.replace(',', ', ')}" if item.written else ""
        lines.append(
            line(f"{item.status.capitalize()} by ", untrusted(item.decided_by or "a moderator"), when + written)
        )
    return Section(heading, lines)


def _joined(spans: Sequence[Part]) -> list[Part]:
    out: list[Part] = []
    for span in spans:
        out += [" · ", span] if out else [span]
    return out


def waiting_words(count: int) -> str:
    return f"{count} proposal{'s' if count != 1 else ''} waiting for review"


def with_waiting(count: int, reply: Reply) -> Reply:
    """`reply` (the brief) saying how many proposals wait for review, when any do (everyone sees the number)."""
    if not count or not reply.ok:
        return reply
    note = Section(None, [line(waiting_words(count), " (moderators: /review)")])
    return replace(reply, sections=[*reply.sections, note], renderings={})
