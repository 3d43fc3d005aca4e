"""The application commands: one per core command, with typed options, each turned into core command text."""

from __future__ import annotations

from typing import Any, Protocol

import discord
from discord import app_commands

from bot.discord_chat.text import command_text
from briefings.commands.registry import COMMANDS
from briefings.commands.writing import ADDABLE
from briefings.facts import Qualifier

Choices = list[app_commands.Choice[str]]
AnyCommand = app_commands.Command[Any, ..., Any]
QUALIFIERS = [app_commands.Choice(name=q.value, value=q.value) for q in Qualifier]
KINDS = [app_commands.Choice(name=kind, value=kind) for kind in ADDABLE]
MODERATOR_PERMISSIONS = discord.Permissions(manage_messages=True)
"""Hides moderator commands from members by default; the core checks BRIEFING_MODERATORS again when run."""


class Runner(Protocol):
    """What the commands need from the adapter."""

    async def run(self, interaction: discord.Interaction, text: str) -> None: ...

    async def open_toll_form(self, interaction: discord.Interaction) -> None: ...

    async def complete_places(self, interaction: discord.Interaction, current: str) -> Choices: ...

    async def complete_actors(self, interaction: discord.Interaction, current: str) -> Choices: ...

    async def complete_sources(self, interaction: discord.Interaction, current: str) -> Choices: ...

    async def complete_situations(self, interaction: discord.Interaction, current: str) -> Choices: ...


def summary(name: str) -> str:
    """The core's one-line summary, within Discord's 100 characters."""
    text = COMMANDS[name].summary if name in COMMANDS else name
    return text if len(text) <= 100 else text[:99] + "…"


def moderated(command: AnyCommand) -> AnyCommand:
    """Moderator commands: hidden from members, and only in servers (roles decide who moderates)."""
    command = app_commands.default_permissions(MODERATOR_PERMISSIONS)(command)
    return app_commands.guild_only(command)


def complete_commands(current: str) -> Choices:
    wanted = current.lstrip("/").lower()
    names = [name for name in COMMANDS if name.startswith(wanted)] or list(COMMANDS)
    return [app_commands.Choice(name=f"/{name}", value=name) for name in names][:25]


def build(runner: Runner) -> list[AnyCommand]:
    """Every command, bound to `runner`."""

    @app_commands.command(name="brief", description=summary("brief"))
    async def brief(interaction: discord.Interaction) -> None:
        await runner.run(interaction, command_text("brief"))

    @app_commands.command(name="toll", description=summary("toll"))
    @app_commands.describe(
        place="A place, for its own figures (any common spelling)", chart="A chart of the toll over time"
    )
    async def toll(interaction: discord.Interaction, place: str | None = None, chart: bool | None = None) -> None:
        await runner.run(interaction, command_text("toll", ["chart" if chart else None, place]))

    @app_commands.command(
        name="ask", description="Ask in your own words: how many died, and where? who said what? what changed today?"
    )
    @app_commands.describe(question="Your question about this situation")
    async def ask(interaction: discord.Interaction, question: str) -> None:
        await runner.run(interaction, question.strip().lstrip("/") or "help")

    @app_commands.command(name="reactions", description=summary("reactions"))
    @app_commands.describe(actor="A government, official or body")
    async def reactions(interaction: discord.Interaction, actor: str | None = None) -> None:
        await runner.run(interaction, command_text("reactions", [actor]))

    @app_commands.command(name="timeline", description=summary("timeline"))
    @app_commands.describe(day="A day: 2025-03-06, thursday, yesterday")
    async def timeline(interaction: discord.Interaction, day: str | None = None) -> None:
        await runner.run(interaction, command_text("timeline", [day]))

    @app_commands.command(name="where", description=summary("where"))
    @app_commands.describe(place="A place, for what happened there")
    async def where(interaction: discord.Interaction, place: str | None = None) -> None:
        await runner.run(interaction, command_text("where", [place]))

    @app_commands.command(name="sources", description=summary("sources"))
    async def sources(interaction: discord.Interaction) -> None:
        await runner.run(interaction, command_text("sources"))

    @app_commands.command(name="whatchanged", description=summary("whatchanged"))
    @app_commands.describe(since="24h, 3d, yesterday, 2025-03-08 or 2025-03-08T08:00 (default: 24 hours)")
    async def whatchanged(interaction: discord.Interaction, since: str | None = None) -> None:
        await runner.run(interaction, command_text("whatchanged", options={"since": since}))

    @app_commands.command(name="help", description=summary("help"))
    @app_commands.describe(command="A command, for its usage and examples")
    async def help_(interaction: discord.Interaction, command: str | None = None) -> None:
        await runner.run(interaction, command_text("help", [command]))

    @app_commands.command(name="situations", description=summary("situations"))
    async def situations(interaction: discord.Interaction) -> None:
        await runner.run(interaction, command_text("situations"))

    @app_commands.command(name="history", description=summary("history"))
    @app_commands.describe(id="A fact's id, shown in square brackets: t1, e4, r2")
    async def history(interaction: discord.Interaction, id: str) -> None:
        await runner.run(interaction, command_text("history", [id]))

    @app_commands.command(name="digest", description=summary("digest"))
    @app_commands.describe(args="subscribe [HH:MM] [timezone] [days] | unsubscribe | list | preview")
    async def digest(interaction: discord.Interaction, args: str | None = None) -> None:
        await runner.run(interaction, command_text("digest", raw=args or ""))

    @app_commands.command(name="update", description=summary("update"))
    @app_commands.describe(
        killed="Total killed",
        civilians="Of whom civilians",
        security="Of whom security forces",
        insurgents="Of whom insurgents",
        wounded="Wounded: a number, or words like dozens",
        kidnapped="Kidnapped or detained: a number, or words",
        qualifier="How the source words the total",
        low="Lowest figure of a range",
        high="Highest figure of a range",
        place="Where (default: the whole situation)",
        source="Who reported it",
        as_of="YYYY-MM-DD or YYYY-MM-DDTHH:MM (default: now)",
        note="A short note",
        confirm="Record even if lower than the source's last figure",
    )
    @app_commands.choices(qualifier=QUALIFIERS)
    async def update(
        interaction: discord.Interaction,
        killed: app_commands.Range[int, 0] | None = None,
        civilians: app_commands.Range[int, 0] | None = None,
        security: app_commands.Range[int, 0] | None = None,
        insurgents: app_commands.Range[int, 0] | None = None,
        wounded: str | None = None,
        kidnapped: str | None = None,
        qualifier: str | None = None,
        low: app_commands.Range[int, 0] | None = None,
        high: app_commands.Range[int, 0] | None = None,
        place: str | None = None,
        source: str | None = None,
        as_of: str | None = None,
        note: str | None = None,
        confirm: bool | None = None,
    ) -> None:
        options = {
            "killed": killed,
            "civilians": civilians,
            "security": security,
            "insurgents": insurgents,
            "wounded": wounded,
            "kidnapped": kidnapped,
            "qualifier": qualifier,
            "low": low,
            "high": high,
            "place": place,
            "source": source,
            "as_of": as_of,
            "note": note,
            "confirm": confirm,
        }
        if all(value is None for value in options.values()):
            await runner.open_toll_form(interaction)
        else:
            await runner.run(interaction, command_text("update", ["toll"], options))

    @app_commands.command(name="add", description=summary("add"))
    @app_commands.describe(kind="What to add", fields='key=value ..., e.g. date=YYYY-MM-DD text="..." source="..."')
    @app_commands.choices(kind=KINDS)
    async def add(interaction: discord.Interaction, kind: str, fields: str | None = None) -> None:
        await runner.run(interaction, command_text("add", [kind], raw=fields or ""))

    @app_commands.command(name="correct", description=summary("correct"))
    @app_commands.describe(id="The fact's id: t1, e4, r2", fields="key=value ... to change", reason="Why")
    async def correct(interaction: discord.Interaction, id: str, fields: str, reason: str) -> None:
        await runner.run(interaction, command_text("correct", [id], {"reason": reason}, raw=fields))

    @app_commands.command(name="retract", description=summary("retract"))
    @app_commands.describe(id="The fact's id: t1, e4, r2", reason="Why")
    async def retract(interaction: discord.Interaction, id: str, reason: str) -> None:
        await runner.run(interaction, command_text("retract", [id], {"reason": reason}))

    @app_commands.command(name="undo", description=summary("undo"))
    async def undo(interaction: discord.Interaction) -> None:
        await runner.run(interaction, command_text("undo"))

    @app_commands.command(name="situation", description=summary("situation"))
    @app_commands.describe(slug="The situation this channel should follow")
    async def situation(interaction: discord.Interaction, slug: str) -> None:
        await runner.run(interaction, command_text("situation", ["use", slug]))

    @toll.autocomplete("place")
    @where.autocomplete("place")
    @update.autocomplete("place")
    async def place_names(interaction: discord.Interaction, current: str) -> Choices:
        return await runner.complete_places(interaction, current)

    @reactions.autocomplete("actor")
    async def actor_names(interaction: discord.Interaction, current: str) -> Choices:
        return await runner.complete_actors(interaction, current)

    @update.autocomplete("source")
    async def source_names(interaction: discord.Interaction, current: str) -> Choices:
        return await runner.complete_sources(interaction, current)

    @situation.autocomplete("slug")
    async def situation_slugs(interaction: discord.Interaction, current: str) -> Choices:
        return await runner.complete_situations(interaction, current)

    @help_.autocomplete("command")
    async def command_names(interaction: discord.Interaction, current: str) -> Choices:
        return complete_commands(current)

    public: list[AnyCommand] = [
        brief,
        toll,
        ask,
        reactions,
        timeline,
        where,
        sources,
        whatchanged,
        help_,
        situations,
        history,
        digest,
    ]
    moderators: list[AnyCommand] = [update, add, correct, retract, undo, situation]
    return public + [moderated(command) for command in moderators]
