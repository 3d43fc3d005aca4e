"""The moderators' toll form (a modal) on Discord."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

import discord

FORM_TIMEOUT = 15 * 60.0
TOLL_FIELDS: dict[str, tuple[str, str, discord.TextStyle]] = {
    "killed": ("Killed (total)", "e.g. 120", discord.TextStyle.short),
    "civilians": ("Of whom civilians", "e.g. 60", discord.TextStyle.short),
    "source": ("Source (who reported it)", "its name or short name, as /sources lists it", discord.TextStyle.short),
    "as_of": ("As of (YYYY-MM-DD or YYYY-MM-DDTHH:MM)", "empty: now", discord.TextStyle.short),
    "note": ("Note", "optional", discord.TextStyle.paragraph),
}
"""Option -> (label, placeholder, style); at most five, Discord's limit for a modal."""

FormSubmit = Callable[[discord.Interaction, dict[str, str]], Awaitable[None]]
ErrorHandler = Callable[[discord.Interaction, Exception, str], Awaitable[None]]


def field_label(option: str | None) -> str | None:
    """The label a form shows for an option, to name the field at fault."""
    return TOLL_FIELDS[option][0] if option in TOLL_FIELDS else None


class TollForm(discord.ui.Modal):
    """A new toll claim: its submission runs `/update toll ...` through the core."""

    def __init__(
        self,
        submit: FormSubmit,
        on_failure: ErrorHandler,
        values: Mapping[str, str] | None = None,
        title: str = "New toll claim",
    ) -> None:
        """`values` fill the fields in (a proposed toll to edit); the form starts empty without them."""
        super().__init__(title=title, timeout=FORM_TIMEOUT)
        self._submit, self._on_failure = submit, on_failure
        self.inputs: dict[str, discord.ui.TextInput[TollForm]] = {}
        for option, (label, placeholder, style) in TOLL_FIELDS.items():
            limit = 1000 if style is discord.TextStyle.paragraph else 100
            text_input: discord.ui.TextInput[TollForm] = discord.ui.TextInput(
                label=label,
                placeholder=placeholder,
                style=style,
                required=option == "source",
                max_length=limit,
                custom_id=f"toll:{option}",
                default=(values or {}).get(option, "")[:limit] or None,
            )
            self.inputs[option] = text_input
            self.add_item(text_input)

    def values(self) -> dict[str, str]:
        return {option: text_input.value.strip() for option, text_input in self.inputs.items()}

    async def on_submit(self, interaction: discord.Interaction) -> None:
        await self._submit(interaction, self.values())

    async def on_error(self, interaction: discord.Interaction, error: Exception, /) -> None:  # type: ignore[override]
        await self._on_failure(interaction, error, "toll form")
