"""The "Post to channel" button: the answer the person saw, posted once in the channel, saying who shared it."""

from __future__ import annotations

import logging

import discord

from bot.discord_chat import render
from bot.discord_chat.callers import caller_for
from bot.discord_chat.escape import inert
from briefings.throttle import Throttle

log = logging.getLogger(__name__)
NOTHING = "There is nothing here to post."
NO_PERMISSION = "I can't post in this channel: ask an admin to give me Send Messages and Embed Links here."


class Sharing:
    def __init__(self, client: discord.Client, throttle: Throttle) -> None:
        self.client = client
        self.throttle = throttle

    async def share(self, interaction: discord.Interaction) -> None:
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
        who = inert(interaction.user.display_name)
        try:
            await channel.send(content=f"Shared by {who}", embeds=message.embeds, nonce=str(interaction.id))
        except discord.Forbidden:
            log.warning("cannot post in channel %s (missing permissions)", interaction.channel_id)
            await interaction.response.send_message(NO_PERMISSION, ephemeral=True)
            return
        await interaction.response.edit_message(view=None)
