"""Reviewing proposed facts in Slack: the "Propose facts" message shortcut, the card buttons (Accept, Edit, Reject)
and the Edit form. Everything goes through `briefings.reviewing`; a click or a form delivered twice decides once
(the core's request ledger), and a decided card is replaced by one saying who decided and what was recorded."""

from __future__ import annotations

import asyncio
import logging
import re
from datetime import UTC, date, datetime
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_bolt.context.respond.async_respond import AsyncRespond as Responder
from slack_sdk.errors import SlackApiError

from bot.slack_chat import blocks, forms, once, review_form
from bot.slack_chat.errors import error_code
from bot.slack_chat.pages import MAX_MESSAGES, fitted
from bot.slack_chat.serving import Serving
from bot.surface import MESSAGE_SHORTCUTS
from briefings.access import Caller
from briefings.reply import Reply, Section, line, untrusted
from briefings.reviewing import Decided, Decision, Reviewing, action_of

log = logging.getLogger(__name__)
SHORTCUT = MESSAGE_SHORTCUTS[0][0]
"""The "Propose facts" message shortcut's callback id (the manifest declares it)."""
_LINK = re.compile(r"<(https?://[^|>\s]+)(?:\|([^>]*))?>")
GONE = "That button no longer does anything; use /briefing review for the proposals waiting."


def readable(text: str) -> tuple[str, str | None]:
    """A Slack message's text as words (links as their labels) and the first link it holds."""
    links = _LINK.findall(text)
    words = _LINK.sub(lambda m: m.group(2) or m.group(1), text)
    return blocks.unescape(words), (links[0][0] if links else None)


def day_of(ts: str) -> date | None:
    try:
        return datetime.fromtimestamp(float(ts), UTC).date()
    except (TypeError, ValueError, OverflowError):
        return None


def register(app: AsyncApp, serving: Serving) -> None:
    SlackReviews(serving).register(app)


def private(body: dict[str, Any]) -> bool:
    """Whether the clicked card is in a message only the clicker sees (a list of cards), not one in a channel."""
    return bool((body.get("container") or {}).get("is_ephemeral", True))


class SlackReviews:
    """The review listeners of one Slack app."""

    def __init__(self, serving: Serving) -> None:
        self.serving = serving
        self.reviewing = Reviewing(serving.briefings)

    def register(self, app: AsyncApp) -> None:
        app.shortcut(SHORTCUT)(self._on_shortcut)
        app.action(re.compile(f"^{re.escape(blocks.ACTION_PREFIX)}"))(self._on_button)
        app.view(review_form.CALLBACK)(self._on_edit_submitted)

    async def _who(self, body: dict[str, Any], channel: str) -> Caller:
        user = body.get("user") or {}
        return await self.serving.caller(str(user.get("id", "")), channel, str(user.get("name") or ""))

    # ---- the shortcut: a message (or the article it links to) into proposals, cards to the moderator

    async def _on_shortcut(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        self.serving.spawn(self._propose(body, respond), "Propose facts")

    async def _propose(self, body: dict[str, Any], respond: AsyncRespond) -> None:
        """A message with a link: the article it points to (read the message's own words if the page cannot be
        and there are any); without one, the message's text."""
        message = body.get("message") or {}
        channel = str((body.get("channel") or {}).get("id") or "")
        caller = await self._who(body, channel)
        raw = str(message.get("text") or "")
        text, url = readable(raw)
        own_words = blocks.unescape(_LINK.sub(" ", raw)).strip()
        published, key = day_of(str(message.get("ts") or "")), once.request_key(body)
        if not text.strip():
            await respond(text="That message has no text to read facts from.", response_type="ephemeral")
            return
        reply = await self.reviewing.propose(
            caller, "" if url else text, url=url, published=None if url else published, request_id=key
        )
        if url and reply.at_fault == "url" and own_words:
            unread = reply.title
            reply = await self.reviewing.propose(caller, text, url=url, published=published, request_id=key)
            note = line(
                "The linked page could not be read (", untrusted(unread), "); the message's own words were read."
            )
            reply.sections.insert(0, Section(None, [note]))
        await self._show(respond, reply, caller, replace=False)

    # ---- card buttons

    async def _on_button(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        action = (body.get("actions") or [{}])[0]
        found = action_of(str(action.get("value") or ""))
        channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")
        if found is None or found[0] == "show":
            await respond(text=GONE, response_type="ephemeral", replace_original=False)
            return
        what, number = found
        if what == "edit":  # the form must open within the click's trigger window: not spawned
            await self._open_edit(body, channel, number, respond)
            return
        self.serving.spawn(self._decide(body, channel, number, what, respond), f"{what} of proposal #{number}")

    async def _decide(self, body: dict[str, Any], channel: str, number: int, what: str, respond: AsyncRespond) -> None:
        caller = await self._who(body, channel)
        decision: Decision = "accept" if what == "accept" else "reject"
        decided = await self.reviewing.decide(caller, number, decision, request_id=once.request_key(body))
        await self._after(decided, caller, respond, private=private(body))

    async def _after(self, decided: Decided, caller: Caller, respond: AsyncRespond, *, private: bool) -> None:
        """A decision taken: the card replaced by the decided one (in a private list, followed by the cards still
        waiting; a card posted in a channel stays one card); a refusal or a check that failed is told to the
        moderator alone and the card stays as it was."""
        if not decided.reply.ok:
            await respond(text=blocks.plain_text(decided.reply), response_type="ephemeral", replace_original=False)
            return
        rest = []
        if private:
            waiting = await self.reviewing.cards(caller)
            rest = [s for s in waiting.sections if s.actions] if waiting.ok else []
        shown = Reply(
            decided.reply.title, [*decided.reply.sections, *decided.card.sections, *rest], decided.reply.footer
        )
        await self._show(respond, shown, caller, replace=True, public=not private)

    async def _show(
        self, respond: AsyncRespond, reply: Reply, caller: Caller, *, replace: bool, public: bool = False
    ) -> None:
        if not reply.ok:
            await respond(text=blocks.plain_text(reply), response_type="ephemeral", replace_original=False)
            return
        plan = self.serving.briefings.plan("/review", caller)
        for number, message in enumerate(fitted(reply, plan, limit=1 if public else MAX_MESSAGES)):
            first = replace and number == 0
            kind = "in_channel" if public else "ephemeral"
            await respond(**message.as_kwargs(), response_type=kind, replace_original=first)

    # ---- Edit: the moderators' form, pre-filled; submitting it accepts the proposal as edited

    async def _open_edit(self, body: dict[str, Any], channel: str, number: int, respond: AsyncRespond) -> None:
        caller = await self._who(body, channel)
        edit = await self.reviewing.edit(caller, number)
        if isinstance(edit, Reply):
            await respond(text=blocks.plain_text(edit), response_type="ephemeral", replace_original=False)
            return
        view = review_form.view(edit, channel, str(body.get("response_url") or ""), private(body))
        try:
            await self.serving.client.views_open(trigger_id=str(body.get("trigger_id") or ""), view=view)
        except SlackApiError as exc:
            log.error("Slack views.open for proposal #%s failed: %s", number, error_code(exc))
            await respond(
                text=f"I couldn't open the form; type /briefing review edit {number} instead.",
                response_type="ephemeral",
                replace_original=False,
            )

    async def _on_edit_submitted(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        opened = review_form.opened(view)
        if opened is None:
            await ack()
            return
        form = review_form.form_of(opened.kind, opened.extra)
        changes, errors = review_form.read(form, (view.get("state") or {}).get("values") or {})
        if errors:
            await ack(response_action="errors", errors=errors)
            return
        respond = Responder(response_url=opened.response_url)

        async def accept() -> tuple[Decided, Caller]:
            caller = await self._who(body, opened.channel)
            key = once.view_key(body, view)
            return await self.reviewing.decide(
                caller, opened.proposal, "accept", changes=changes, request_id=key
            ), caller

        job = asyncio.ensure_future(accept())
        await asyncio.wait((job,), timeout=self.serving.ack_within)
        if not job.done():  # the form closes within Slack's 3 s; the card is updated when the decision is taken
            await ack()
            self.serving.spawn(self._when_done(job, respond, opened.private), f"edited proposal #{opened.proposal}")
            return
        decided, caller = job.result()
        if not decided.reply.ok:
            await ack(response_action="errors", errors=forms.field_errors(form, decided.reply))
            return
        await ack()
        after = self._after(decided, caller, respond, private=opened.private)
        self.serving.spawn(after, f"card of proposal #{opened.proposal}")

    async def _when_done(
        self, job: asyncio.Future[tuple[Decided, Caller]], respond: AsyncRespond, private: bool
    ) -> None:
        decided, caller = await job
        await self._after(decided, caller, respond, private=private)
