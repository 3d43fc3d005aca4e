"""The Discord command tree, from the same table as Slack's manifest: one `/briefing` group (the name is
BRIEFING_COMMAND) with every command anyone may use as a subcommand, the read commands people know also on
their own, and the moderators' commands on their own too, because Discord hides a command from members (default
permissions) only at the top level."""

from __future__ import annotations

from discord import app_commands

from bot.discord_chat.commands import AnyCommand, Runner, build
from bot.surface import SHORT

DESCRIPTION = "Sourced situation briefings: toll, reactions, timeline, where, sources, what changed, help"


def tree_commands(runner: Runner, entry: str) -> list[AnyCommand | app_commands.Group]:
    """The top-level commands and the entry group, each bound to `runner`."""
    group = app_commands.Group(name=entry, description=DESCRIPTION)
    top: list[AnyCommand | app_commands.Group] = [group]
    for command in build(runner):  # the group's own copies: a command belongs to one parent
        if command.default_permissions is None:
            group.add_command(command)
    for command in build(runner):
        if command.name in SHORT or command.default_permissions is not None:
            top.append(command)
    return top


def install(tree: app_commands.CommandTree, runner: Runner, entry: str) -> None:
    """Adds every command to `tree`."""
    for command in tree_commands(runner, entry):
        tree.add_command(command)
