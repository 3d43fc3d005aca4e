"""The Discord adapter: a discord.Client whose slash commands answer through `Briefings.handle`, and which
posts digests."""

from __future__ import annotations

import discord
from discord import app_commands

from bot.discord_chat import tree
from bot.discord_chat.answering import Answering
from bot.discord_chat.gateway import DiscordSetupError, Gateway, guild_ids, token_of
from bot.discord_chat.posting import Poster
from bot.discord_chat.propose_menu import ProposeMenu
from bot.discord_chat.review import ReviewCards
from bot.discord_chat.sharing import Sharing
from bot.settings import Settings
from briefings.reply import Reply
from briefings.service import Briefings
from briefings.throttle import Throttle

__all__ = ["DiscordAdapter", "DiscordSetupError"]


class DiscordAdapter:
    """Slash commands, autocomplete, embeds, the moderators' form, and digest posts on Discord."""

    platform = "discord"

    def __init__(
        self,
        briefings: Briefings,
        settings: Settings,
        *,
        ready_timeout: float = 30.0,
        guild_ready_timeout: float = 2.0,
        defer_after: float = 1.5,
    ) -> None:
        self.briefings = briefings
        self.settings = settings
        self.throttle = Throttle(settings.rate_per_person, settings.rate_per_channel)
        intents = discord.Intents.none()
        intents.guilds = True
        self.client = discord.Client(
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
            max_messages=None,
            chunk_guilds_at_startup=False,
        )
        self.tree = app_commands.CommandTree(self.client)
        self.answering = Answering(briefings, self.throttle, defer_after)
        self.sharing = Sharing(self.client, self.throttle, self.answering.on_ui_error)
        self.poster = Poster(self.client)
        self.gateway = Gateway(self.client, self.tree, ready_timeout)
        self.review = ReviewCards(
            briefings, self.throttle, self.answering.answer, self.answering.on_ui_error, defer_after
        )
        self.answering.cards = self.review
        self.tree.error(self._on_command_error)
        tree.install(self.tree, self.answering, settings.command)
        self.tree.add_command(ProposeMenu(self.review).command())

    @property
    def defer_after(self) -> float:
        return self.answering.defer_after

    @defer_after.setter
    def defer_after(self, seconds: float) -> None:
        self.answering.defer_after = self.review.defer_after = seconds

    async def start(self) -> None:
        """Logs in, connects the gateway, waits until ready and registers the commands."""
        guilds = guild_ids(self.settings.discord_guild_ids)
        await self.gateway.login(token_of(self.settings.discord_token))
        self.client.add_dynamic_items(self.sharing.button())
        self.client.add_dynamic_items(self.review.button())
        await self.gateway.connect(guilds)

    async def connected(self) -> bool:
        return await self.gateway.connected()

    async def stop(self) -> None:
        await self.gateway.stop()

    async def _on_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        name = interaction.command.name if interaction.command else "?"
        await self.answering.on_ui_error(interaction, error, f"/{name}")

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        return await self.poster.post(channel, reply, run_key)

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        return await self.poster.find_posted(channel, run_key)
