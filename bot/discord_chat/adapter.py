"""The Discord adapter: a discord.Client with slash commands that answer through `Briefings.handle`."""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from collections.abc import Awaitable
from typing import Any

import aiohttp
import discord
from discord import app_commands

from bot.adapter import SORRY, PostError, SetupError
from bot.discord_chat import render
from bot.discord_chat.callers import caller_for, request_id
from bot.discord_chat.commands import Choices
from bot.discord_chat.complete import choices, matches
from bot.discord_chat.escape import inert
from bot.discord_chat.forms import ShareView, TollForm, field_label, share_buttons
from bot.discord_chat.review import ReviewCards, has_cards
from bot.discord_chat.text import command_text
from bot.discord_chat.tree import tree_commands
from bot.settings import Settings
from briefings import paging
from briefings.access import Caller
from briefings.facts import Actor, Place, Source
from briefings.reply import Reply
from briefings.service import Briefings
from briefings.snapshot import Snapshot
from briefings.throttle import Throttle

log = logging.getLogger(__name__)
HISTORY_LIMIT = 50
NONCE_LIMIT = 25


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
        self.ready_timeout = ready_timeout
        self.defer_after = defer_after
        self.throttle = Throttle(settings.rate_per_person, settings.rate_per_channel)
        """Answers not ready by then are deferred (Discord allows 3 s for the first response)."""
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
        self.tree.error(self._on_command_error)
        for command in tree_commands(self, settings.command):
            self.tree.add_command(command)
        self.review = ReviewCards(briefings, self.throttle, self.answer, self._on_ui_error, defer_after)
        self.tree.add_command(self.review.menu())
        self._connection: asyncio.Task[None] | None = None

    # lifecycle

    async def start(self) -> None:
        """Logs in, connects the gateway (discord.py resumes after disconnects), waits until ready, syncs commands."""
        guilds = guild_ids(self.settings.discord_guild_ids)
        token = self.settings.discord_token.strip().removeprefix("Bot ")
        if not token:
            raise DiscordSetupError("DISCORD_TOKEN is empty: set it to the bot token (Developer Portal > Bot).")
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
        self.client.add_view(ShareView(self.share, self._on_ui_error))
        self.client.add_dynamic_items(self.review.button())
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

    # answering commands

    async def run(self, interaction: discord.Interaction, text: str) -> None:
        """Runs `text` through the core as the interaction's user and answers ephemerally."""
        caller = caller_for(interaction)
        if (refused := self.throttle.check(caller.ident, caller.channel)) is not None:
            await self.answer(interaction, refused, caller, text)
            return
        reply = await self._in_time(interaction, self.briefings.handle(text, caller, request_id(interaction)))
        await self.answer(interaction, reply, caller, text)

    async def _in_time(self, interaction: discord.Interaction, work: Awaitable[Reply]) -> Reply:
        """The reply `work` gives; when it is not ready within `defer_after`, the interaction is deferred first
        (Discord allows 3 s for the first response, then 15 minutes for the answer)."""
        answer = asyncio.ensure_future(work)
        done, _ = await asyncio.wait({answer}, timeout=self.defer_after)
        if not done and not interaction.response.is_done():
            await interaction.response.defer(ephemeral=True, thinking=True)
        return await answer

    async def answer(self, interaction: discord.Interaction, reply: Reply, caller: Caller, text: str) -> None:
        if has_cards(reply):
            await self.review.send(interaction, reply)
            return
        if not reply.ok:
            log.info("discord %r by %s in %s: %s (%s)", text, caller.ident, caller.channel, reply.title, reply.outcome)
            await self._say(interaction, content=render.content(reply))
            return
        fitted = paging.fit(reply, lambda candidate: len(render.render(candidate)), text)
        for number, embeds in enumerate(render.render(fitted)):
            await self._say(interaction, embeds=embeds, view=share_buttons(), **self._image(reply, embeds, number))

    @staticmethod
    def _image(reply: Reply, embeds: list[discord.Embed], number: int) -> dict[str, Any]:
        """The reply's chart, attached to its first message and shown in the first embed."""
        if reply.image is None or number > 0:
            return {}
        image = reply.image
        embeds[0].set_image(url=f"attachment://{image.filename}")
        return {"file": discord.File(io.BytesIO(image.png), filename=image.filename, description=image.alt[:1024])}

    async def _say(self, interaction: discord.Interaction, **message: Any) -> None:
        """The first response, or a follow-up once one went out; always ephemeral."""
        if interaction.response.is_done():
            await interaction.followup.send(ephemeral=True, **message)
        else:
            await interaction.response.send_message(ephemeral=True, **message)

    async def open_toll_form(self, interaction: discord.Interaction) -> None:
        """`/update` with no options: moderators get the form; anyone else the core's refusal."""
        caller = caller_for(interaction)
        if not self.briefings.moderators.allow(caller):
            await self.run(interaction, command_text("update", ["toll"]))
            return
        await interaction.response.send_modal(TollForm(self.submit_toll, self._on_ui_error))

    async def submit_toll(self, interaction: discord.Interaction, values: dict[str, str]) -> None:
        text = command_text("update", ["toll"], values)
        caller = caller_for(interaction)
        reply = self.throttle.check(caller.ident, caller.channel) or await self._in_time(
            interaction, self.briefings.handle(text, caller, request_id(interaction))
        )
        label = field_label(reply.field)
        if not reply.ok and label:
            log.info("discord toll form by %s: %s", caller.ident, reply.title)
            note = f"\nFix the “{label}” field and submit /update again."
            body = render.content(reply)
            await self._say(interaction, content=body[: render.CONTENT_LIMIT - len(note)] + note)
            return
        await self.answer(interaction, reply, caller, text)

    async def share(self, interaction: discord.Interaction) -> None:
        """The "Post to channel" button: the same embeds in the channel, saying who shared them."""
        message = interaction.message
        if message is None or not message.embeds or interaction.channel_id is None:
            await interaction.response.send_message("There is nothing here to post.", ephemeral=True)
            return
        caller = caller_for(interaction)
        if (refused := self.throttle.check(caller.ident, caller.channel)) is not None:
            await interaction.response.send_message(render.content(refused), ephemeral=True)
            return
        channel = self.client.get_partial_messageable(interaction.channel_id)
        who = inert(interaction.user.display_name)
        try:
            # the click's id as an enforced nonce: a send retried after a lost answer posts once
            await channel.send(content=f"Shared by {who}", embeds=message.embeds, nonce=str(interaction.id))
        except discord.Forbidden:
            log.warning("cannot post in channel %s (missing permissions)", interaction.channel_id)
            await interaction.response.send_message(
                "I can't post in this channel: ask an admin to give me Send Messages and Embed Links here.",
                ephemeral=True,
            )
            return
        await interaction.response.edit_message(view=None)

    # autocomplete

    async def _snapshot(self, interaction: discord.Interaction) -> Snapshot:
        slug = await self.briefings.situation_for(f"discord:{interaction.channel_id}")
        return await self.briefings.store.snapshot(slug)

    async def complete_places(self, interaction: discord.Interaction, current: str) -> Choices:
        try:
            snapshot = await self._snapshot(interaction)
            entries = [(key, p.name, p.aliases) for key, p in snapshot.all(Place)]
            return choices(matches(snapshot.places, entries, current))
        except Exception:
            log.exception("place autocomplete failed for %r", current)
            return []

    async def complete_actors(self, interaction: discord.Interaction, current: str) -> Choices:
        try:
            snapshot = await self._snapshot(interaction)
            entries = [(key, a.name, a.aliases) for key, a in snapshot.all(Actor)]
            return choices(matches(snapshot.actors, entries, current))
        except Exception:
            log.exception("actor autocomplete failed for %r", current)
            return []

    async def complete_sources(self, interaction: discord.Interaction, current: str) -> Choices:
        try:
            snapshot = await self._snapshot(interaction)
            entries = [(key, s.name, s.aliases) for key, s in snapshot.all(Source)]
            return choices(matches(snapshot.sources, entries, current))
        except Exception:
            log.exception("source autocomplete failed for %r", current)
            return []

    async def complete_situations(self, interaction: discord.Interaction, current: str) -> Choices:
        try:
            slugs = [s.slug for s in await self.briefings.store.situations()]
        except Exception:
            log.exception("situation autocomplete failed for %r", current)
            return []
        return choices(slug for slug in slugs if current.lower() in slug)

    # errors

    async def _on_command_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        name = interaction.command.name if interaction.command else "?"
        await self._on_ui_error(interaction, error, f"/{name}")

    async def _on_ui_error(self, interaction: discord.Interaction, error: Exception, what: str) -> None:
        """Logged with context; the person gets plain words, never a stack trace."""
        log.error(
            "discord %s failed for user %s in channel %s",
            what,
            interaction.user.id,
            interaction.channel_id,
            exc_info=error,
        )
        with contextlib.suppress(discord.HTTPException):
            await self._say(interaction, content=SORRY)

    # digests

    def _channel(self, channel: str) -> discord.PartialMessageable:
        try:
            return self.client.get_partial_messageable(int(channel.removeprefix("discord:")))
        except ValueError:
            raise PostError(f"'{channel}' is not a Discord channel id", permanent=True) from None

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        """Sends the reply's embeds with nonce `run_key` (enforced) and the run marker in the footer."""
        target = self._channel(channel)
        first: str | None = None
        for number, embeds in enumerate(render.render(reply, render.run_marker(run_key))):
            nonce = run_key[:NONCE_LIMIT] if number == 0 else f"{run_key[: NONCE_LIMIT - 4]}+{number}"
            try:
                message = await target.send(embeds=embeds, nonce=nonce, **self._image(reply, embeds, number))
            except (discord.Forbidden, discord.NotFound) as exc:
                raise PostError(f"Discord refused the post to {channel}: {exc}", permanent=True) from exc
            except (TimeoutError, discord.HTTPException, aiohttp.ClientError, OSError) as exc:
                raise PostError(f"posting to Discord channel {channel} failed: {exc}") from exc
            first = first or str(message.id)
        assert first is not None
        return first

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        """The first message of ours in the last 50 whose nonce or footer carries `run_key`."""
        target = self._channel(channel)
        me = self.client.user
        marker = render.run_marker(run_key)
        found: str | None = None
        try:
            async for message in target.history(limit=HISTORY_LIMIT):
                if me is not None and message.author.id != me.id:
                    continue
                footers = [embed.footer.text or "" for embed in message.embeds]
                if str(message.nonce or "") == run_key[:NONCE_LIMIT] or any(f.endswith(marker) for f in footers):
                    found = str(message.id)  # history runs newest first: keep the earliest
        except (discord.Forbidden, discord.NotFound) as exc:
            raise PostError(f"Discord refused to read {channel}: {exc}", permanent=True) from exc
        except (TimeoutError, discord.HTTPException, aiohttp.ClientError, OSError) as exc:
            raise PostError(f"reading Discord channel {channel} failed: {exc}") from exc
        return found
