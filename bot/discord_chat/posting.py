"""Digest posts on Discord, exactly once: each carries its run key as an enforced nonce and in its footer, so a
post that went out is found again in the channel's recent history."""

from __future__ import annotations

import aiohttp
import discord

from bot.adapter import PostError
from bot.discord_chat import render
from bot.discord_chat.review import channel_posts
from briefings.reply import Reply

HISTORY_LIMIT = 50
NONCE_LIMIT = 25


class Poster:
    """Posts replies to channels as the bot, and finds its own posts again."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client

    def _channel(self, channel: str) -> discord.PartialMessageable:
        try:
            return self.client.get_partial_messageable(int(channel.removeprefix("discord:")))
        except ValueError:
            raise PostError(f"'{channel}' is not a Discord channel id", permanent=True) from None

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        """Sends the reply's embeds with nonce `run_key` (enforced) and the run marker in the footer; review cards
        (proposals from a feed) follow one message each, with their buttons."""
        target = self._channel(channel)
        first: str | None = None
        for number, sent in enumerate(channel_posts(reply, render.run_marker(run_key))):
            nonce = run_key[:NONCE_LIMIT] if number == 0 else f"{run_key[: NONCE_LIMIT - 4]}+{number}"
            try:
                message = await target.send(nonce=nonce, **sent, **render.attachment(reply, sent["embeds"], number))
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
