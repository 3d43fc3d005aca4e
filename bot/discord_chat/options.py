"""Discord's typed options for each command of the core's table, and how their values become core command text.

Discord asks for typed options where chat text has words and `key=value`s; the table names the commands, this
says how each one's usage is asked for. A command of the table missing here is offered with one free-text
option (`text`), so every command can be reached."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.discord_chat.text import OptionValue, command_text
from briefings.commands.table import ADDABLE
from briefings.facts import Qualifier
from briefings.suggest import Suggesting


class Placed(StrEnum):
    """Where an option's value goes in the command text."""

    word = "word"
    """A positional word: `/toll Northport`."""
    key = "key"
    """`key=value`: `/update toll killed=5`."""
    flag = "flag"
    """A yes/no option that, when yes, is its own name as a word before the other words: `/toll chart Northport`."""
    raw = "raw"
    """Free text as typed, after everything else: `/add event date=… text="…"`."""


@dataclass(frozen=True)
class Option:
    name: str
    description: str
    kind: type[str] | type[int] | type[bool] = str
    placed: Placed = Placed.key
    required: bool = False
    suggest: Suggesting | None = None
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Usage:
    """How one command is asked for: words that always come first, then its options in order."""

    options: tuple[Option, ...] = ()
    words: tuple[str, ...] = ()

    def text(self, name: str, values: dict[str, OptionValue]) -> str:
        """The core command text for these option values."""
        words: list[str | None] = list(self.words)
        words += [o.name for o in self.options if o.placed is Placed.flag and values.get(o.name)]
        keys: dict[str, OptionValue] = {}
        raw = ""
        for option in self.options:
            value = values.get(option.name)
            if option.placed is Placed.word:
                words.append(None if value is None else str(value))
            elif option.placed is Placed.flag:
                continue
            elif option.placed is Placed.raw:
                raw = str(value or "")
            else:
                keys[option.name] = value
        return command_text(name, words, keys, raw)


def word(
    name: str,
    description: str,
    *,
    required: bool = False,
    suggest: Suggesting | None = None,
    choices: tuple[str, ...] = (),
) -> Option:
    """A positional word."""
    return Option(name, description, placed=Placed.word, required=required, suggest=suggest, choices=choices)


def number(name: str, description: str) -> Option:
    """A whole number, never negative."""
    return Option(name, description, kind=int)


ID = "A fact's id, shown in square brackets: t1, e4, r2"
FREE = Usage((Option("text", "Everything after the command name, as you would type it", placed=Placed.raw),))
"""For a command this table does not describe."""
QUALIFIERS = tuple(q.value for q in Qualifier)


USAGES: dict[str, Usage] = {
    "brief": Usage(),
    "toll": Usage(
        (
            word("category", "One category on its own: civilians, displaced …", suggest=Suggesting.category),
            word("place", "A place, for its own figures (any common spelling)", suggest=Suggesting.place),
            Option("chart", "A chart of the toll over time (every category)", kind=bool, placed=Placed.flag),
        )
    ),
    "reactions": Usage((word("actor", "A government, official or body", suggest=Suggesting.actor),)),
    "timeline": Usage((word("day", "A day: 2025-03-06, thursday, yesterday"),)),
    "where": Usage((word("place", "A place, for what happened there", suggest=Suggesting.place),)),
    "sources": Usage(),
    "whatchanged": Usage(
        (
            Option("since", "24h, 3d, yesterday, 2025-03-08 or 2025-03-08T08:00 (default: 24 hours)"),
            number("page", "Which page of a long answer"),
        )
    ),
    "help": Usage((word("command", "A command, for its usage and examples", suggest=Suggesting.command),)),
    "situations": Usage(),
    "history": Usage((word("id", ID, required=True),)),
    "digest": Usage(
        (Option("args", "subscribe [HH:MM] [timezone] [days] | unsubscribe | list | preview", placed=Placed.raw),)
    ),
    "update": Usage(
        (
            number("killed", "Total killed"),
            number("civilians", "Of whom civilians"),
            number("security", "Of whom security forces"),
            number("insurgents", "Of whom insurgents"),
            Option("wounded", "Wounded: a number, or words like dozens"),
            Option("kidnapped", "Kidnapped or detained: a number, or words"),
            Option("qualifier", "How the source words the total", choices=QUALIFIERS),
            number("low", "Lowest figure of a range"),
            number("high", "Highest figure of a range"),
            Option("place", "Where (default: the whole situation)", suggest=Suggesting.place),
            Option("source", "Who reported it", suggest=Suggesting.source),
            Option("via", "Who passed the report on", suggest=Suggesting.source),
            Option("as_of", "YYYY-MM-DD or YYYY-MM-DDTHH:MM (default: now)"),
            Option("note", "A short note"),
            Option("confirm", "Record even if lower than the source's last figure", kind=bool),
        ),
        words=("toll",),
    ),
    "add": Usage(
        (
            word("kind", "What to add", required=True, choices=ADDABLE),
            Option("fields", 'key=value ..., e.g. date=YYYY-MM-DD text="..." source="..."', placed=Placed.raw),
        )
    ),
    "correct": Usage(
        (
            word("id", "The fact's id: t1, e4, r2", required=True),
            Option("fields", "key=value ... to change", placed=Placed.raw, required=True),
            Option("reason", "Why", required=True),
        )
    ),
    "retract": Usage((word("id", "The fact's id: t1, e4, r2", required=True), Option("reason", "Why", required=True))),
    "undo": Usage(),
    "situation": Usage(
        (word("slug", "The situation this channel should follow", required=True, suggest=Suggesting.situation),),
        words=("use",),
    ),
    "propose": Usage(
        (
            Option("text", "The article's text, or its address", placed=Placed.raw, required=True),
            Option("published", "When it was published: YYYY-MM-DD"),
            Option("url", "Where it was published"),
            Option("title", "Its title"),
            Option("source", "Who published it", suggest=Suggesting.source),
        )
    ),
    "review": Usage(
        (
            word(
                "action",
                "What to do with a proposal (empty: list what waits)",
                choices=("show", "accept", "edit", "reject"),
            ),
            word("id", "The proposal's id"),
            Option("changes", "key=value … to change before accepting", placed=Placed.raw),
            Option("confirm", "Accept even if lower than the source's last figure", kind=bool),
        )
    ),
    "feed": Usage(
        (
            word("action", "List the feeds followed, add one or remove one", choices=("list", "add", "remove")),
            word("address", "The feed's address (https://…)"),
        )
    ),
    "weblink": Usage((word("mode", "Who may open the web page", choices=("public", "secret", "off")),)),
}


def usage(name: str) -> Usage:
    return USAGES.get(name, FREE)
