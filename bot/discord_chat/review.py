"""The review queue on Discord: each proposal as an embed with Accept / Edit / Reject buttons (privately, or
posted to a channel), and the Edit form. The buttons' custom ids (`review:accept:12`) carry all they need, so a
card answers after a restart too; every decision runs through the core as the person who clicked."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any, TypeVar

import discord

from bot.discord_chat import render
from bot.discord_chat.callers import caller_for, request_id
from bot.discord_chat.escape import inert
from bot.discord_chat.forms import FORM_TIMEOUT, MOST_FIELDS, SPECS, ErrorHandler, Form, FormSubmit, room
from briefings.access import Caller
from briefings.reply import Reply, Section
from briefings.reviewing import Decided, Decision, EditForm, Reviewing, action_of
from briefings.service import Briefings
from briefings.throttle import Throttle

TEMPLATE = r"review:(?P<action>accept|edit|reject):(?P<id>[0-9]{1,9})"
STYLES = {"primary": discord.ButtonStyle.success, "danger": discord.ButtonStyle.danger}
CARDS_SHOWN = 10
"""Cards sent for one request (one message each); the rest wait in the queue for the next request."""
LONG_FIELDS = frozenset({"text", "summary", "quote", "note"})

Answer = Callable[[discord.Interaction, Reply, Caller, str], Awaitable[None]]
T = TypeVar("T")


def has_cards(reply: Reply) -> bool:
    """Whether the reply holds review cards (sections with actions), which go out one message each."""
    return reply.ok and any(section.actions for section in reply.sections)


def custom_id(command: str) -> str | None:
    """An action's command (`/review accept 12`) as a button's custom id (`review:accept:12`)."""
    found = action_of(command)
    return f"review:{found[0]}:{found[1]}" if found and found[0] in ("accept", "edit", "reject") else None


def card_embed(section: Section) -> discord.Embed:
    """One card: its heading as the title, its lines (text from articles made inert) as the description."""
    description = "\n".join(render.line_markdown(line) for line in section.lines)
    return discord.Embed(
        title=render.cut(inert(section.heading or "Proposal"), render.TITLE_LIMIT),
        description=render.cut(description, render.DESCRIPTION_LIMIT),
        colour=render.COLOUR,
    )


def card_buttons(section: Section) -> discord.ui.View | None:
    """The card's actions as buttons; None once it is decided (the buttons go)."""
    view = discord.ui.View(timeout=None)
    for action in section.actions:
        if (target := custom_id(action.command)) is not None:
            style = STYLES.get(action.style, discord.ButtonStyle.secondary)
            view.add_item(discord.ui.Button(label=action.label, style=style, custom_id=target))
    view.stop()  # sent as is: clicks reach the registered ReviewButton, nothing is kept per message
    return view if view.children else None


def card_message(section: Section) -> dict[str, Any]:
    view = card_buttons(section)
    return {"embeds": [card_embed(section)], **({"view": view} if view else {})}


def channel_posts(reply: Reply, marker: str) -> list[dict[str, Any]]:
    """A reply posted to a channel, as `send`'s keywords per message: its text in embeds (the footer carrying
    `marker`), then, when it holds review cards waiting for a decision, one message per card with its buttons."""
    if not has_cards(reply):
        return [{"embeds": embeds} for embeds in render.render(reply, marker)]
    waiting = [section for section in reply.sections if section.actions]
    rest = replace(reply, sections=[section for section in reply.sections if not section.actions], renderings={})
    return [{"embeds": embeds} for embeds in render.render(rest, marker)] + [
        card_message(section) for section in waiting[:CARDS_SHOWN]
    ]


class ProposalForm(discord.ui.Modal):
    """Edit a proposed reaction or measure (no moderators' form of their own on Discord): its first five values,
    filled in; the others stay as proposed. An emptied field leaves that value out."""

    def __init__(self, form: EditForm, submit: FormSubmit, on_failure: ErrorHandler) -> None:
        super().__init__(title=f"Edit proposal #{form.proposal}", timeout=FORM_TIMEOUT)
        self._submit, self._on_failure = submit, on_failure
        self.inputs: dict[str, discord.ui.TextInput[ProposalForm]] = {}
        for name, value in list(form.values.items())[:MOST_FIELDS]:
            long = name in LONG_FIELDS
            text_input: discord.ui.TextInput[ProposalForm] = discord.ui.TextInput(
                label=name.replace("_", " ").capitalize(),
                style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
                required=False,
                max_length=room(1000, value),
                default=value[: room(1000, value)],
                custom_id=f"proposal:{name}",
            )
            self.inputs[name] = text_input
            self.add_item(text_input)

    def label(self, option: str | None) -> str | None:
        return str(self.inputs[option].label) if option in self.inputs else None

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self._submit(interaction, {name: field.value.strip() for name, field in self.inputs.items()})

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        await self._on_failure(interaction, error, "proposal form")


class ReviewCards:
    """Sends review cards, and answers their buttons and the Edit form."""

    def __init__(
        self, briefings: Briefings, throttle: Throttle, answer: Answer, on_failure: ErrorHandler, defer_after: float
    ) -> None:
        self.reviewing = Reviewing(briefings)
        self.throttle = throttle
        self.answer, self.on_failure = answer, on_failure
        self.defer_after = defer_after
        """Answers not ready by then are deferred (Discord allows 3 s for the first response)."""

    # sending cards

    async def send(self, interaction: discord.Interaction, reply: Reply) -> None:
        """A reply with cards: its title, then one ephemeral message per card with that card's buttons."""
        cards = [section for section in reply.sections if section.heading or section.actions]
        notes = [render.line_markdown(line) for s in reply.sections if s not in cards for line in s.lines]
        shown = cards[:CARDS_SHOWN]
        for number, section in enumerate(shown):
            message = card_message(section)
            if number == 0:
                more = f" (the first {len(shown)} shown)" if len(cards) > len(shown) else ""
                lead = "\n".join([f"**{inert(reply.title)}**{more}", *notes])
                message["content"] = render.cut(lead, render.CONTENT_LIMIT)
            await say(interaction, **message)

    # buttons and the Edit form

    def button(self) -> type[discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]]]:
        """The persistent item answering every card's buttons (register with `client.add_dynamic_items`)."""
        cards = self

        class ReviewButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=TEMPLATE):
            def __init__(self, action: str, proposal: int, label: str | None = None) -> None:
                super().__init__(discord.ui.Button(label=label, custom_id=f"review:{action}:{proposal}"))
                self.action, self.proposal = action, proposal

            @classmethod
            async def from_custom_id(
                cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
            ) -> ReviewButton:
                return cls(match["action"], int(match["id"]), getattr(item, "label", None))

            async def callback(self, interaction: discord.Interaction) -> None:
                try:
                    await cards.clicked(interaction, self.action, self.proposal)
                except Exception as exc:
                    await cards.on_failure(interaction, exc, f"review {self.action} button")

        return ReviewButton

    async def clicked(self, interaction: discord.Interaction, action: str, proposal: int) -> None:
        caller = caller_for(interaction)
        if (refused := self.throttle.check(caller.ident, caller.channel)) is not None:
            await self.answer(interaction, refused, caller, f"/review {action} {proposal}")
            return
        if action == "edit":
            await self.open_form(interaction, caller, proposal)
            return
        decision: Decision = "accept" if action == "accept" else "reject"
        work = self.reviewing.decide(caller, proposal, decision, request_id=request_id(interaction))
        decided = await in_time(interaction, work, self.defer_after)
        await self.show(interaction, decided, caller, f"/review {decision} {proposal}")

    async def open_form(self, interaction: discord.Interaction, caller: Caller, proposal: int) -> None:
        """Edit: the form filled in with the proposal's values, or the core's refusal. A toll or an event opens the
        moderators' own form for it; a value that form has no field for (the article's note, say) is not among the
        changes submitted, so it stays as proposed. Every field is submitted, and an emptied one leaves its value
        out, as in the `ProposalForm` of other kinds."""
        form = await self.reviewing.edit(caller, proposal)
        if isinstance(form, Reply):  # refused; a card decided meanwhile is brought up to date
            decided = Decided(form, await self.reviewing.card(caller, proposal))
            await self.show(interaction, decided, caller, f"/review edit {proposal}")
            return

        async def submit(submitted: discord.Interaction, values: dict[str, str]) -> None:
            await self.submit(submitted, proposal, values, modal)

        spec = SPECS.get(form.kind)  # the moderators' own form for the kind; other kinds: a ProposalForm
        modal: Form | ProposalForm = (
            Form(spec, submit, self.on_failure, form.values, f"Edit proposal #{proposal}")
            if spec is not None
            else ProposalForm(form, submit, self.on_failure)
        )
        await interaction.response.send_modal(modal)

    async def submit(
        self, interaction: discord.Interaction, proposal: int, values: dict[str, str], form: Form | ProposalForm
    ) -> None:
        """The edited values accepted (as the moderator's changes to the proposal)."""
        caller = caller_for(interaction)
        work = self.reviewing.decide(caller, proposal, "accept", changes=values, request_id=request_id(interaction))
        decided = await in_time(interaction, work, self.defer_after)
        label = form.label(decided.reply.at_fault)
        if not decided.reply.ok and label:
            note = f"\nFix the “{label}” field and press Edit again."
            body = render.content(decided.reply)
            await say(interaction, content=body[: render.CONTENT_LIMIT - len(note)] + note)
            return
        await self.show(interaction, decided, caller, f"/review accept {proposal}")

    async def show(self, interaction: discord.Interaction, decided: Decided, caller: Caller, text: str) -> None:
        """The card clicked is replaced by the card as it stands (who decided, what was recorded); then what the
        decision did, to the person who clicked. Someone who may not see the card gets only the refusal."""
        if decided.card.ok and decided.card.sections and interaction.message is not None:
            section = decided.card.sections[0]
            embeds, view = [card_embed(section)], card_buttons(section)
            if interaction.response.is_done():
                await interaction.edit_original_response(embeds=embeds, view=view)
            else:
                await interaction.response.edit_message(embeds=embeds, view=view)
        await self.answer(interaction, decided.reply, caller, text)


async def in_time(interaction: discord.Interaction, work: Awaitable[T], defer_after: float) -> T:
    """`work`'s result; when it is not ready within `defer_after`, the interaction is deferred first: as an update
    of the card clicked, or as an ephemeral "thinking" answer to a command."""
    result = asyncio.ensure_future(work)
    done, _ = await asyncio.wait({result}, timeout=defer_after)
    if not done and not interaction.response.is_done():
        if interaction.message is not None:
            await interaction.response.defer()
        else:
            await interaction.response.defer(ephemeral=True, thinking=True)
    return await result


async def say(interaction: discord.Interaction, **message: Any) -> None:
    """An ephemeral message: the first response, or a follow-up once one went out."""
    if interaction.response.is_done():
        await interaction.followup.send(ephemeral=True, **message)
    else:
        await interaction.response.send_message(ephemeral=True, **message)
