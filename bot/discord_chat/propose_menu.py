"""The "Propose facts" command in a message's menu (moderators): what the message states, or the article it
links to, read into proposals whose cards go privately to the moderator who asked."""

from __future__ import annotations

import re
from datetime import date

import discord
from discord import app_commands

from bot.discord_chat.callers import caller_for, request_id
from bot.discord_chat.commands import MODERATOR_PERMISSIONS
from bot.discord_chat.review import ReviewCards, has_cards, in_time, say
from briefings.access import Caller
from briefings.reply import Reply, Section, line, untrusted

NAME = "Propose facts"
_LINK = re.compile(r"https?://[^\s<>\"')\]]+", re.IGNORECASE)


def first_link(text: str) -> str | None:
    """The first web address in a message (the article it shares), if any."""
    found = _LINK.search(text)
    return found.group(0).rstrip(".,;:!?") if found else None


class ProposeMenu:
    def __init__(self, cards: ReviewCards) -> None:
        self.cards = cards

    def command(self) -> app_commands.ContextMenu:
        """The message command: for moderators, hidden from members like their slash commands."""

        async def propose_facts(interaction: discord.Interaction, message: discord.Message) -> None:
            await self.propose(interaction, message)

        menu = app_commands.ContextMenu(name=NAME, callback=propose_facts)
        menu.default_permissions = MODERATOR_PERMISSIONS
        menu.guild_only = True
        return menu

    async def propose(self, interaction: discord.Interaction, message: discord.Message) -> None:
        cards = self.cards
        caller = caller_for(interaction)
        if (refused := cards.throttle.check(caller.ident, caller.channel)) is not None:
            await cards.answer(interaction, refused, caller, NAME)
            return
        text = message.content.strip()
        if not text:
            await say(interaction, content="That message has no text to read facts from.")
            return
        work = self.read(caller, text, message.created_at.date(), request_id(interaction))
        reply = await in_time(interaction, work, cards.defer_after)
        if has_cards(reply):
            await cards.send(interaction, reply)
        else:
            await cards.answer(interaction, reply, caller, NAME)

    async def read(self, caller: Caller, text: str, published: date, key: str) -> Reply:
        """A message with a link: the article it points to (fetched by the core), or, when the page cannot be
        read, the message's own words if it has any; without a link, the message's text (dated by the message)."""
        reviewing = self.cards.reviewing
        link = first_link(text)
        if link is None:
            return await reviewing.propose(caller, text, published=published, request_id=key)
        reply = await reviewing.propose(caller, "", url=link, request_id=key)
        if reply.at_fault != "url" or not text.replace(f"<{link}>", " ").replace(link, " ").strip():
            return reply
        unread = reply.title
        reply = await reviewing.propose(caller, text, url=link, published=published, request_id=key)
        note = line("The linked page could not be read (", untrusted(unread), "); the message's own words were read.")
        reply.sections.insert(0, Section(None, [note]))
        return reply
