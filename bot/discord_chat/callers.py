"""Who is asking on Discord, where, and which request it is."""

from __future__ import annotations

import discord

from briefings.access import Caller


def channel_key(interaction: discord.Interaction) -> str:
    """The channel as the core knows it: `discord:ID`."""
    return f"discord:{interaction.channel_id}"


def caller_for(interaction: discord.Interaction) -> Caller:
    """Who is asking, in which channel, with which roles (role ids, for `discord:role:ID` moderators)."""
    user = interaction.user
    roles = frozenset(str(role.id) for role in getattr(user, "roles", []) if not role.is_default())
    return Caller("discord", str(user.id), channel_key(interaction), user.display_name, roles)


def request_id(interaction: discord.Interaction) -> str:
    """The interaction's id: Discord gives each one its own, so a moderator's change is made once per interaction."""
    return f"discord:interaction:{interaction.id}"
