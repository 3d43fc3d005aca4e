"""The connection to Discord: log in, open the gateway (discord.py resumes after disconnects), wait until ready,
register the slash commands; each failure says what to fix."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import aiohttp
import discord
from discord import app_commands

from bot.adapter import SetupError

log = logging.getLogger(__name__)


class DiscordSetupError(SetupError):
    """Discord could not be started with these settings; the message says what to fix."""


def guild_ids(setting: str) -> list[int]:
    try:
        return [int(part) for part in setting.replace(" ", "").split(",") if part]
    except ValueError:
        raise DiscordSetupError(
            f"DISCORD_GUILD_IDS must be comma-separated server ids (numbers), not {setting!r}. "
            "In Discord, enable Developer Mode, right-click the server and choose Copy Server ID."
        ) from None


def token_of(setting: str) -> str:
    token = setting.strip().removeprefix("Bot ")
    if not token:
        raise DiscordSetupError("DISCORD_TOKEN is empty: set it to the bot token (Developer Portal > Bot).")
    return token


class Gateway:
    """The client's connection and its command tree's registration."""

    def __init__(self, client: discord.Client, tree: app_commands.CommandTree, ready_timeout: float) -> None:
        self.client = client
        self.tree = tree
        self.ready_timeout = ready_timeout
        self._connection: asyncio.Task[None] | None = None

    async def login(self, token: str) -> None:
        try:
            await self.client.login(token)
        except discord.LoginFailure as exc:
            await self.client.close()
            raise DiscordSetupError(
                "Discord rejected DISCORD_TOKEN. Copy the bot token from the Developer Portal "
                "(your application > Bot > Reset Token) into DISCORD_TOKEN, without a 'Bot ' prefix."
            ) from exc
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            await self.client.close()
            raise DiscordSetupError(f"Could not reach Discord to log in: {exc}") from exc

    async def connect(self, guilds: list[int]) -> None:
        """Opens the gateway, waits until ready, then registers the commands in `guilds` (none: globally)."""
        self._connection = asyncio.create_task(self._connect(), name="discord-gateway")
        await self._wait_until_ready()
        await self._sync(guilds)

    async def _connect(self) -> None:
        try:
            await self.client.connect()
        except discord.PrivilegedIntentsRequired:
            log.error("Discord refused the gateway intents; this bot asks only for the guilds intent")
            raise
        except Exception:
            log.exception("the Discord gateway connection ended")
            raise

    async def _wait_until_ready(self) -> None:
        assert self._connection is not None
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _ = await asyncio.wait(
            {ready, self._connection}, timeout=self.ready_timeout, return_when=asyncio.FIRST_COMPLETED
        )
        if ready in done:
            return
        ready.cancel()
        failure = self._connection.exception() if self._connection in done else None
        await self.stop()
        if failure is not None:
            raise DiscordSetupError(f"The Discord gateway connection failed: {failure}") from failure
        raise DiscordSetupError(f"Discord did not become ready within {self.ready_timeout:g} s; check the network.")

    async def _sync(self, guilds: list[int]) -> None:
        """Guild commands appear at once (DISCORD_GUILD_IDS); global ones may take up to an hour."""
        try:
            if not guilds:
                synced = await self.tree.sync()
                log.info("synced %d Discord commands globally", len(synced))
            for guild_id in guilds:
                guild = discord.Object(id=guild_id)
                self.tree.copy_global_to(guild=guild)
                synced = await self.tree.sync(guild=guild)
                log.info("synced %d Discord commands to server %s", len(synced), guild_id)
        except discord.Forbidden as exc:
            await self.stop()
            raise DiscordSetupError(
                "Discord refused to register the slash commands. Invite the bot to each server in "
                "DISCORD_GUILD_IDS with the scopes bot and applications.commands."
            ) from exc
        except (discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            await self.stop()
            raise DiscordSetupError(f"Could not register the slash commands with Discord: {exc}") from exc

    async def connected(self) -> bool:
        """The gateway is open and READY was received (False while discord.py reconnects)."""
        ws = self.client.ws
        return self.client.is_ready() and not self.client.is_closed() and ws is not None and ws.open

    async def stop(self) -> None:
        await self.client.close()
        if self._connection is not None:
            with contextlib.suppress(Exception, asyncio.CancelledError):
                await asyncio.wait_for(self._connection, 5)
            self._connection = None
