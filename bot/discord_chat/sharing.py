"""The "Post to channel" button under an answer the core calls shareable: posts the answer the person saw for
everyone, once per click, saying who shared it and which command it answers (`Plan.shared_as`, never the typed
words). The button carries that label in its custom id, so a click needs nothing kept per message and works after a
restart."""

from __future__ import annotations

import logging
import re
from typing import Any

import discord

from bot.discord_chat import render
from bot.discord_chat.callers import caller_for
from bot.discord_chat.escape import inert
from bot.discord_chat.forms import ErrorHandler
from briefings.throttle import Throttle

log = logging.getLogger(__name__)
SHARE_ID = "briefing:share"
TEMPLATE = r"briefing:share(?::(?P<shared>/[a-z_]{1,32}|a question))?"
"""A share button's custom id: `briefing:share:/toll` (a bare `briefing:share` from before says no command)."""
LABEL = "Post to channel"
NOTHING = "There is nothing here to post."
NO_PERMISSION = "I can't post in this channel: ask an admin to give me Send Messages and Embed Links here."


def share_buttons(shared_as: str) -> discord.ui.View:
    """The button to attach to a shareable answer. The view is stopped, so discord.py keeps nothing per message:
    the click reaches the registered `Sharing.button`."""
    view = discord.ui.View(timeout=None)
    custom_id = f"{SHARE_ID}:{shared_as}"
    if not re.fullmatch(TEMPLATE, custom_id):
        custom_id = SHARE_ID
    view.add_item(discord.ui.Button(label=LABEL, style=discord.ButtonStyle.secondary, custom_id=custom_id))
    view.stop()
    return view


def shared_line(who: str, shared_as: str) -> str:
    return f"Shared by {inert(who)}" + (f" · {shared_as}" if shared_as else "")


class Sharing:
    def __init__(self, client: discord.Client, throttle: Throttle, on_failure: ErrorHandler) -> None:
        self.client = client
        self.throttle = throttle
        self.on_failure = on_failure

    def button(self) -> type[discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]]]:
        """The persistent item answering every share button (register with `client.add_dynamic_items`)."""
        sharing = self

        class ShareButton(discord.ui.DynamicItem[discord.ui.Button[discord.ui.View]], template=TEMPLATE):
            def __init__(self, shared_as: str = "") -> None:
                custom_id = f"{SHARE_ID}:{shared_as}" if shared_as else SHARE_ID
                super().__init__(discord.ui.Button(label=LABEL, custom_id=custom_id))
                self.shared_as = shared_as

            @classmethod
            async def from_custom_id(
                cls, interaction: discord.Interaction, item: discord.ui.Item[Any], match: re.Match[str], /
            ) -> ShareButton:
                return cls(match["shared"] or "")

            async def callback(self, interaction: discord.Interaction) -> None:
                try:
                    await sharing.share(interaction, self.shared_as)
                except Exception as exc:
                    await sharing.on_failure(interaction, exc, "share button")

        return ShareButton

    async def share(self, interaction: discord.Interaction, shared_as: str) -> None:
        """The same embeds in the channel; the click's id is the post's enforced nonce, so a send retried after a
        lost answer posts once. The button goes once the post is out."""
        message = interaction.message
        if message is None or not message.embeds or interaction.channel_id is None:
            await interaction.response.send_message(NOTHING, ephemeral=True)
            return
        caller = caller_for(interaction)
        if (refused := self.throttle.check(caller.ident, caller.channel)) is not None:
            await interaction.response.send_message(render.content(refused), ephemeral=True)
            return
        channel = self.client.get_partial_messageable(interaction.channel_id)
        content = shared_line(interaction.user.display_name, shared_as)
        try:
            await channel.send(content=content, embeds=message.embeds, nonce=str(interaction.id))
        except discord.Forbidden:
            log.warning("cannot post in channel %s (missing permissions)", interaction.channel_id)
            await interaction.response.send_message(NO_PERMISSION, ephemeral=True)
            return
        await interaction.response.edit_message(view=None)
