"""The review queue for adapters: proposals as cards (reply sections whose actions are Accept, Edit and Reject),
the values an Edit form starts from, and decisions. Everything runs through the moderators' own commands, so
refusals, every check, the lower-figure guard, audit, /undo, urgent posting and replayed requests behave as typed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from briefings.access import Caller
from briefings.reply import Reply
from briefings.service import Briefings

Decision = Literal["accept", "reject"]
_ACTION = re.compile(r"^/review (accept|edit|reject|show) (\d{1,9})$")
_NO_DOUBLE_QUOTES = str.maketrans({q: "'" for q in '"\u201c\u201d\u201e\u00ab\u00bb\uff02'})


@dataclass(frozen=True)
class EditForm:
    """What an Edit form starts from: the command that records the proposal and its values as typed
    (names, not keys; `date`, `place`, `source` by their chat names). The article's note is kept on its own."""

    proposal: int
    kind: str
    command: str
    """`/update toll` or `/add KIND`."""
    values: dict[str, str]


@dataclass(frozen=True)
class Decided:
    reply: Reply
    """What the decision did: the fact as recorded, a rejection, or a refusal naming the field at fault."""
    card: Reply
    """The card as it stands after the decision (who decided, what was recorded), to replace the one clicked."""


def action_of(command: str) -> tuple[str, int] | None:
    """`/review accept 12` (an action's command) -> ("accept", 12); None for anything else."""
    found = _ACTION.match(command.strip())
    return (found.group(1), int(found.group(2))) if found else None


def quoted(value: str) -> str:
    return '"' + value.translate(_NO_DOUBLE_QUOTES) + '"'


class Reviewing:
    """One adapter's way into the review queue; `caller` is always whoever asks or clicks."""

    def __init__(self, briefings: Briefings) -> None:
        self.briefings = briefings

    async def cards(self, caller: Caller) -> Reply:
        """The pending proposals of the caller's situation, oldest first, one card (section) each."""
        return await self.briefings.handle("/review", caller)

    async def card(self, caller: Caller, proposal: int) -> Reply:
        """One proposal's card, pending or decided."""
        return await self.briefings.handle(f"/review show {proposal}", caller)

    async def waiting(self, caller: Caller) -> int:
        """How many proposals of the caller's situation wait for review (anyone may know)."""
        from briefings.store.waiting import waiting

        return await waiting(self.briefings.store, await self.briefings.situation_for(caller.channel))

    async def propose(
        self,
        caller: Caller,
        text: str,
        *,
        url: str | None = None,
        title: str | None = None,
        published: date | None = None,
        request_id: str = "",
    ) -> Reply:
        """Reads an article's text into proposals (moderators); the reply holds their cards."""
        options = [("published", published.isoformat() if published else None), ("url", url), ("title", title)]
        given = " ".join(f"{name}={quoted(value)}" for name, value in options if value)
        return await self.briefings.handle(f"/propose {given} {text}".replace("  ", " ", 1), caller, request_id)

    async def edit(self, caller: Caller, proposal: int) -> EditForm | Reply:
        """The values an Edit form starts from, or the refusal (not a moderator, no such proposal, decided)."""
        refused = await self.briefings.handle(f"/review edit {proposal}", caller)
        if not refused.ok:
            return refused
        from briefings.commands.review_cards import editable
        from briefings.store.proposals import ProposalQueue

        slug = await self.briefings.situation_for(caller.channel)
        item = await ProposalQueue(self.briefings.store).get(slug, proposal)
        if item is None:  # gone since (a situation switched under the caller)
            return await self.briefings.handle(f"/review edit {proposal}", caller)
        snapshot = await self.briefings.store.snapshot(slug)
        return EditForm(item.id, item.proposal.kind, item.proposal.verb, editable(item.proposal, snapshot))

    async def decide(
        self,
        caller: Caller,
        proposal: int,
        decision: Decision,
        *,
        changes: dict[str, str] | None = None,
        request_id: str = "",
    ) -> Decided:
        """Accepts (with a moderator's `changes`: a value replaces the proposal's, an empty one leaves the option
        out, `confirm=yes` passes the lower-figure guard) or rejects a proposal. A request seen again under the
        same `request_id`, or a second click, decides nothing more."""
        text = f"/review {decision} {proposal}"
        if decision == "accept" and changes:
            text += "".join(f" {name}={quoted(value)}" for name, value in changes.items())
        reply = await self.briefings.handle(text, caller, request_id)
        return Decided(reply, await self.card(caller, proposal))
