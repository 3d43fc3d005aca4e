"""Autocomplete: what the core suggests for an option, as Discord's choices. A failure offers nothing."""

from __future__ import annotations

import logging

import discord
from discord import app_commands

from briefings.service import Briefings
from briefings.suggest import SHOWN, Suggesting

log = logging.getLogger(__name__)
NAME_LIMIT = 100
Choices = list[app_commands.Choice[str]]


def choices(values: list[str], kind: Suggesting) -> Choices:
    """Each value as a choice; commands are shown with their slash (`/toll`)."""
    shown = "/{}" if kind is Suggesting.command else "{}"
    return [app_commands.Choice(name=shown.format(value)[:NAME_LIMIT], value=value[:NAME_LIMIT]) for value in values][
        :SHOWN
    ]


async def suggest(briefings: Briefings, interaction: discord.Interaction, kind: Suggesting, current: str) -> Choices:
    """The core's suggestions for what is typed so far in the interaction's channel."""
    try:
        return choices(await briefings.suggest(f"discord:{interaction.channel_id}", kind, current), kind)
    except Exception:
        log.exception("%s autocomplete failed for %r", kind.value, current)
        return []
