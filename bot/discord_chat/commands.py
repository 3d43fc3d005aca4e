"""The application commands, made from the core's command table: one per command, with the typed options
`options.USAGES` gives it, each turned into core command text; plus `ask`, for questions in plain words."""

from __future__ import annotations

import inspect
from typing import Any, Protocol

import discord
from discord import app_commands

from bot.discord_chat.options import Option, Usage, usage
from bot.discord_chat.text import OptionValue
from briefings.commands.table import COMMANDS, Command
from briefings.suggest import Suggesting

Choices = list[app_commands.Choice[str]]
AnyCommand = app_commands.Command[Any, ..., Any]
ASK = "ask"
MODERATOR_PERMISSIONS = discord.Permissions(manage_messages=True)
"""Hides moderator commands from members by default; the core checks BRIEFING_MODERATORS again when run."""
LIMIT = 100
"""Discord's length limit for descriptions and choice names."""


class Runner(Protocol):
    """What the commands need from the adapter."""

    async def run(self, interaction: discord.Interaction, text: str) -> None: ...

    async def command(self, interaction: discord.Interaction, name: str, text: str) -> None:
        """Runs a command of the table given as `text` (the adapter may open a form instead)."""

    async def suggest(self, interaction: discord.Interaction, kind: Suggesting, current: str) -> Choices: ...


def shorter(text: str) -> str:
    """`text` within Discord's 100 characters."""
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"


def moderated(command: AnyCommand) -> AnyCommand:
    """Moderator commands: hidden from members, and only in servers (roles decide who moderates)."""
    command = app_commands.default_permissions(MODERATOR_PERMISSIONS)(command)
    return app_commands.guild_only(command)


def annotation(option: Option) -> Any:
    """The type discord.py reads an option's Discord type from (numbers are never negative)."""
    kind: Any = app_commands.Range[int, 0] if option.kind is int else option.kind
    return kind if option.required else kind | None


def signature(options: tuple[Option, ...]) -> inspect.Signature:
    """The callback's signature as discord.py reads it: the interaction, then one parameter per option."""
    first = inspect.Parameter("interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction)
    rest = [
        inspect.Parameter(
            o.name,
            inspect.Parameter.KEYWORD_ONLY,
            annotation=annotation(o),
            default=inspect.Parameter.empty if o.required else None,
        )
        for o in options
    ]
    return inspect.Signature([first, *rest])


def table_command(runner: Runner, found: Command, how: Usage) -> AnyCommand:
    """`found` as a Discord command whose options are `how`'s."""

    async def callback(interaction: discord.Interaction, **values: OptionValue) -> None:
        await runner.command(interaction, found.name, how.text(found.name, values))

    callback.__signature__ = signature(how.options)  # type: ignore[attr-defined]
    callback.__discord_app_commands_param_description__ = {  # type: ignore[attr-defined]
        o.name: shorter(o.description) for o in how.options
    }
    choices = {o.name: [app_commands.Choice(name=c, value=c) for c in o.choices] for o in how.options if o.choices}
    if choices:
        app_commands.choices(**choices)(callback)
    made: AnyCommand = app_commands.Command(name=found.name, description=shorter(found.summary), callback=callback)
    for option in how.options:
        if option.suggest is not None:
            made.autocomplete(option.name)(suggester(runner, option.suggest))
    return moderated(made) if found.moderators_only else made


def suggester(runner: Runner, kind: Suggesting) -> Any:
    async def suggest(interaction: discord.Interaction, current: str) -> Choices:
        return await runner.suggest(interaction, kind, current)

    return suggest


def ask_command(runner: Runner) -> AnyCommand:
    """Questions in plain words, answered by the command they map to."""

    @app_commands.command(
        name=ASK, description="Ask in your own words: how many died, and where? who said what? what changed today?"
    )
    @app_commands.describe(question="Your question about this situation")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        await runner.run(interaction, question.strip().lstrip("/") or "help")

    return ask


def build(runner: Runner) -> list[AnyCommand]:
    """Every command of the table and `ask`, bound to `runner`."""
    return [ask_command(runner), *(table_command(runner, found, usage(name)) for name, found in COMMANDS.items())]
