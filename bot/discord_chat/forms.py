"""The moderators' forms (modals) on Discord: `/update` alone opens the toll form, `/add event` alone the event form
(the core says which: `Plan.opens_form`). Each is one `Form` built from a `Spec`; a submission becomes the command
text a moderator would type (`/add event date=2025-03-08 text="…" source=Monitor`), so the core validates it as it
validates typed commands, and an invalid value is answered naming the field's label."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

import discord

from bot.discord_chat.text import command_text

FORM_TIMEOUT = 15 * 60.0
MOST_FIELDS = 5
"""Discord's limit of inputs in a modal."""
LONGEST = 4000
"""Discord's limit of characters in an input."""
SHORT, LONG = discord.TextStyle.short, discord.TextStyle.paragraph
SOURCE_HINT = "its name or short name, as /sources lists it"

FormSubmit = Callable[[discord.Interaction, dict[str, str]], Awaitable[None]]
ErrorHandler = Callable[[discord.Interaction, Exception, str], Awaitable[None]]


@dataclass(frozen=True)
class Field:
    """One input; `option` is the command option it fills, and the input's custom id is `<form>:<option>`."""

    option: str
    label: str
    placeholder: str = ""
    style: discord.TextStyle = SHORT
    required: bool = False

    @property
    def limit(self) -> int:
        return 1000 if self.style is LONG else 100


def room(limit: int, value: str) -> int:
    """An input's limit, grown to fit the value it is filled in with (up to Discord's), so none is cut short."""
    return min(max(limit, len(value)), LONGEST)


@dataclass(frozen=True)
class Spec:
    """A form: `name` as the plan names it (and the custom ids' prefix), the command it runs, at most 5 fields."""

    name: str
    title: str
    command: str
    fields: tuple[Field, ...]

    def __post_init__(self) -> None:
        if len(self.fields) > MOST_FIELDS:
            raise ValueError(f"{self.name}: a Discord form shows at most {MOST_FIELDS} inputs")

    def label(self, option: str | None) -> str | None:
        """The label shown for an option, to name the field at fault."""
        return next((f.label for f in self.fields if f.option == option), None)

    def text(self, values: Mapping[str, str]) -> str:
        """The command a submission stands for; empty fields are left out."""
        name, *words = self.command.removeprefix("/").split()
        return command_text(name, words, values)


TOLL = Spec(
    "toll",
    "New toll claim",
    "/update toll",
    (
        Field("killed", "Killed (total)", "e.g. 120"),
        Field("civilians", "Of whom civilians", "e.g. 60"),
        Field("source", "Source (who reported it)", SOURCE_HINT, required=True),
        Field("as_of", "As of (YYYY-MM-DD or YYYY-MM-DDTHH:MM)", "empty: now"),
        Field("note", "Note", "optional", LONG),
    ),
)
EVENT = Spec(
    "event",
    "New event",
    "/add event",
    (
        Field("date", "Date", "YYYY-MM-DD or YYYY-MM-DDTHH:MM", required=True),
        Field("text", "What happened", "in a sentence or two", LONG, required=True),
        Field("place", "Places", "names, separated by commas"),
        Field("actors", "Actors", "names, separated by commas"),
        Field("source", "Source", SOURCE_HINT, required=True),
    ),
)
"""The event command's three required options, then places and actors rather than a note: /where and /reactions
find events by them, while a note only adds words (typed `/add event … note=…` still takes one)."""
SPECS = {spec.name: spec for spec in (TOLL, EVENT)}
"""The form for each name the core's plan gives (`Plan.opens_form`)."""


class Form(discord.ui.Modal):
    """A moderators' form: its submission gives `submit` the values by option (stripped, empty when left empty)."""

    def __init__(
        self,
        spec: Spec,
        submit: FormSubmit,
        on_failure: ErrorHandler,
        values: Mapping[str, str] | None = None,
        title: str | None = None,
    ) -> None:
        """`values` fill the fields in (a proposal to edit), a field's limit growing to fit its value so that none is
        cut short; the form starts empty without them."""
        super().__init__(title=title or spec.title, timeout=FORM_TIMEOUT)
        self.spec = spec
        self._submit, self._on_failure = submit, on_failure
        self.inputs: dict[str, discord.ui.TextInput[Form]] = {}
        for field in spec.fields:
            value = (values or {}).get(field.option, "")
            limit = room(field.limit, value)
            text_input: discord.ui.TextInput[Form] = discord.ui.TextInput(
                label=field.label,
                placeholder=field.placeholder or None,
                style=field.style,
                required=field.required,
                max_length=limit,
                custom_id=f"{spec.name}:{field.option}",
                default=value[:limit] or None,
            )
            self.inputs[field.option] = text_input
            self.add_item(text_input)

    def label(self, option: str | None) -> str | None:
        return self.spec.label(option)

    def values(self) -> dict[str, str]:
        return {option: text_input.value.strip() for option, text_input in self.inputs.items()}

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self._submit(interaction, self.values())

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        await self._on_failure(interaction, error, f"{self.spec.name} form")
