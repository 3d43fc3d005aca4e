"""What the service tells its observers about each answer: which command, for which platform, how it went."""

from __future__ import annotations

from dataclasses import dataclass

from briefings.commands.plan import command_run
from briefings.commands.table import COMMANDS

QUESTION = "question"
"""The command label of text read as a question in plain words."""
UNKNOWN = "unknown"
"""The command label of text that names no command."""


@dataclass(frozen=True)
class Answered:
    command: str
    """A command's name, `question` or `unknown`: a small, fixed set (safe as a metric label)."""
    platform: str
    outcome: str
    """`answered`, `invalid` or `refused`."""
    seconds: float
    moderator_change: bool
    """A moderator's command that changed the situation."""


def command_of(text: str) -> str:
    """The label of the command `text` runs (never the text itself: it may come from anyone): the command's name,
    typed with or without its slash; `question` for other plain words; `unknown` for a slash naming nothing."""
    name = command_run(text)
    if name is not None:
        return name
    return UNKNOWN if text.strip().startswith("/") else QUESTION


def answered(text: str, platform: str, outcome: str, seconds: float) -> Answered:
    command = command_of(text)
    found = COMMANDS.get(command)
    change = found is not None and found.moderators_only and outcome == "answered"
    return Answered(command, platform, outcome, seconds, change)
