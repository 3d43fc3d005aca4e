"""Answering slash commands as the core plans them (`Briefings.plan`): the moderators' form (toll or event) when
the text opens one, else the core's reply as ephemeral embeds (deferred when slow, cut to fit, with a "Post to
channel" button when shareable), and plain words for every failure."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable

import discord

from bot.adapter import SORRY
from bot.discord_chat import render
from bot.discord_chat.callers import caller_for, request_id
from bot.discord_chat.complete import Choices, suggest
from bot.discord_chat.forms import SPECS, Form, Spec
from bot.discord_chat.review import ReviewCards, has_cards, in_time, say
from bot.discord_chat.sharing import share_buttons
from briefings.access import Caller
from briefings.commands.plan import Plan
from briefings.reply import Reply
from briefings.service import Briefings
from briefings.suggest import Suggesting
from briefings.throttle import Throttle

log = logging.getLogger(__name__)


class Answering:
    """Runs commands through the core as the interaction's user and shows the replies to that user only."""

    def __init__(self, briefings: Briefings, throttle: Throttle, defer_after: float) -> None:
        self.briefings = briefings
        self.throttle = throttle
        self.defer_after = defer_after
        """Answers not ready by then are deferred (Discord allows 3 s for the first response)."""
        self.cards: ReviewCards | None = None
        """Shows replies that carry review cards, each with its buttons."""

    async def run(self, interaction: discord.Interaction, text: str, plan: Plan | None = None) -> None:
        """Runs `text` through the core as the interaction's user and answers ephemerally."""
        caller = caller_for(interaction)
        plan = plan or self.briefings.plan(text, caller)
        if (refused := self.throttle.check(caller.ident, caller.channel)) is not None:
            await self.answer(interaction, refused, caller, plan.text)
            return
        reply = await self.in_time(interaction, self.briefings.handle(plan.text, caller, request_id(interaction)))
        await self.answer(interaction, reply, caller, plan.text, plan)

    async def command(self, interaction: discord.Interaction, name: str, text: str) -> None:
        """A command of the table: the form the core says the text opens (for a moderator), else its answer."""
        plan = self.briefings.plan(text, caller_for(interaction))
        spec = SPECS.get(plan.opens_form or "")
        if spec is None:
            await self.run(interaction, text, plan)
            return

        async def submit(submitted: discord.Interaction, values: dict[str, str]) -> None:
            await self.submit_form(submitted, spec, values)

        await interaction.response.send_modal(Form(spec, submit, self.on_ui_error))

    async def suggest(self, interaction: discord.Interaction, kind: Suggesting, current: str) -> Choices:
        return await suggest(self.briefings, interaction, kind, current)

    async def in_time(self, interaction: discord.Interaction, work: Awaitable[Reply]) -> Reply:
        """The reply `work` gives; when it is not ready within `defer_after`, the interaction is deferred first
        (Discord allows 3 s for the first response, then 15 minutes for the answer)."""
        return await in_time(interaction, work, self.defer_after)

    async def answer(
        self, interaction: discord.Interaction, reply: Reply, caller: Caller, text: str, plan: Plan | None = None
    ) -> None:
        """The reply to the person only: a failure in plain words, else embeds cut to fit, with the share button
        when the core calls the answer shareable."""
        if self.cards is not None and has_cards(reply):
            await self.cards.send(interaction, reply)
            return
        if not reply.ok:
            log.info("discord %r by %s in %s: %s (%s)", text, caller.ident, caller.channel, reply.title, reply.outcome)
            await say(interaction, content=render.content(reply))
            return
        plan = plan or self.briefings.plan(text, caller)
        fitted = plan.cut(reply, lambda candidate: len(render.render(candidate)))
        buttons = {"view": share_buttons(plan.shared_as)} if plan.shareable else {}
        for number, embeds in enumerate(render.render(fitted)):
            await say(interaction, embeds=embeds, **buttons, **render.attachment(reply, embeds, number))

    async def submit_form(self, interaction: discord.Interaction, spec: Spec, values: dict[str, str]) -> None:
        """A form's values run as its command, as the person who submitted it; a value the core refuses is
        answered naming the field to fix."""
        text = spec.text(values)
        caller = caller_for(interaction)
        reply = self.throttle.check(caller.ident, caller.channel) or await self.in_time(
            interaction, self.briefings.handle(text, caller, request_id(interaction))
        )
        label = spec.label(reply.at_fault)
        if not reply.ok and label:
            log.info("discord %s form by %s: %s", spec.name, caller.ident, reply.title)
            note = f"\nFix the “{label}” field and submit {spec.command} again."
            body = render.content(reply)
            await say(interaction, content=body[: render.CONTENT_LIMIT - len(note)] + note)
            return
        await self.answer(interaction, reply, caller, text)

    async def on_ui_error(self, interaction: discord.Interaction, error: Exception, what: str) -> None:
        """Logged with context; the person gets plain words, never a stack trace."""
        log.error(
            "discord %s failed for user %s in channel %s",
            what,
            interaction.user.id,
            interaction.channel_id,
            exc_info=error,
        )
        with contextlib.suppress(discord.HTTPException):
            await say(interaction, content=SORRY)
