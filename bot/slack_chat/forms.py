"""Moderator forms (Slack modals): `/update` with no arguments opens a toll form, `/add event` an event form (the
core says which: `Plan.opens_form`).

A submission becomes the same command text a moderator would type (`/update toll killed="70" source="Monitor"`),
so the core validates it exactly as it validates typed commands. An invalid reply names the option at fault
(`Reply.at_fault`); the form shows the error beside that option's block.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

from slack_sdk.models.blocks import (
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from briefings.reply import Reply
from briefings.untrusted import one_line

ACTION = "value"
QUOTES = '"“”„«»＂'
ERROR_CHARS = 300


@dataclass(frozen=True)
class Field:
    """One input of a form; `option` is both the command option and the block id."""

    option: str
    label: str
    kind: Literal["text", "select", "check"] = "text"
    optional: bool = True
    placeholder: str = ""
    hint: str = ""
    multiline: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Form:
    callback_id: str
    title: str
    command: str
    fields: tuple[Field, ...]

    @property
    def general(self) -> str:
        """The block that shows an error no single field is to blame for."""
        return self.fields[0].option

    def has(self, option: str) -> bool:
        return any(f.option == option for f in self.fields)


COUNT = "a whole number"
TOLL = Form(
    "update_toll",
    "New toll figure",
    "/update toll",
    (
        Field("killed", "Killed", placeholder=COUNT),
        Field("civilians", "Of whom civilians", placeholder=COUNT),
        Field("security", "Of whom security forces", placeholder=COUNT),
        Field("insurgents", "Of whom insurgents", placeholder=COUNT),
        Field("wounded", "Wounded", placeholder="a number, or several / dozens / hundreds"),
        Field("kidnapped", "Kidnapped or detained", placeholder="a number, or several / dozens / hundreds"),
        Field("qualifier", "The source says", kind="select", choices=("at least", "about", "more than", "exactly")),
        Field("place", "Place", placeholder="leave empty for the whole situation"),
        Field("source", "Source", optional=False, placeholder="its name or short name, as /sources lists it"),
        Field(
            "as_of", "As of", placeholder="YYYY-MM-DD or YYYY-MM-DDTHH:MM", hint="When the source's count was valid."
        ),
        Field("note", "Note", multiline=True),
        Field("confirm", "Lower than before?", kind="check", choices=("yes, the figure really went down",)),
    ),
)
EVENT = Form(
    "add_event",
    "New event",
    "/add event",
    (
        Field("date", "Date", optional=False, placeholder="YYYY-MM-DD or YYYY-MM-DDTHH:MM"),
        Field("text", "What happened", optional=False, multiline=True),
        Field("place", "Places", placeholder="names, separated by commas"),
        Field("actors", "Actors", placeholder="names, separated by commas"),
        Field("source", "Source", optional=False, placeholder="its name or short name, as /sources lists it"),
        Field("note", "Note", multiline=True),
    ),
)
FORMS = {form.callback_id: form for form in (TOLL, EVENT)}
NAMED = {"toll": TOLL, "event": EVENT}
"""The form for each name the core's plan gives (`Plan.opens_form`)."""


def _element(field: Field) -> Any:
    placeholder = PlainTextObject(text=field.placeholder) if field.placeholder else None
    if field.kind == "select":
        options = [Option(value=c, label=c) for c in field.choices]
        return StaticSelectElement(action_id=ACTION, options=options, placeholder=placeholder)
    if field.kind == "check":
        return CheckboxesElement(action_id=ACTION, options=[Option(value="yes", label=c) for c in field.choices])
    return PlainTextInputElement(action_id=ACTION, placeholder=placeholder, multiline=field.multiline)


def view(form: Form, channel: str) -> dict[str, Any]:
    """The modal for `form`; `channel` (the Slack channel id it was opened from) rides in private_metadata."""
    blocks = [
        InputBlock(
            block_id=f.option,
            label=PlainTextObject(text=f.label),
            element=_element(f),
            optional=f.optional,
            hint=PlainTextObject(text=f.hint) if f.hint else None,
        )
        for f in form.fields
    ]
    modal = View(
        type="modal",
        callback_id=form.callback_id,
        title=PlainTextObject(text=form.title),
        submit=PlainTextObject(text="Record"),
        close=PlainTextObject(text="Cancel"),
        private_metadata=json.dumps({"channel": channel}),
        blocks=blocks,
    )
    result: dict[str, Any] = modal.to_dict()
    return result


def channel_of(view_payload: dict[str, Any]) -> str:
    """The channel id a submitted form was opened from."""
    try:
        return str(json.loads(view_payload.get("private_metadata") or "{}").get("channel", ""))
    except ValueError:
        return ""


def values(form: Form, state: dict[str, Any]) -> dict[str, str]:
    """Option -> submitted text, leaving out empty fields."""
    found: dict[str, str] = {}
    for f in form.fields:
        entry = (state.get(f.option) or {}).get(ACTION) or {}
        if f.kind == "select":
            value = (entry.get("selected_option") or {}).get("value") or ""
        elif f.kind == "check":
            value = "yes" if entry.get("selected_options") else ""
        else:
            value = entry.get("value") or ""
        if value.strip():
            found[f.option] = value.strip()
    return found


def command_text(form: Form, state: dict[str, Any]) -> str | dict[str, str]:
    """The command a submission stands for, or errors by block id when a value cannot be put in one."""
    parts = [form.command]
    errors: dict[str, str] = {}
    for option, value in values(form, state).items():
        if any(q in value for q in QUOTES):
            errors[option] = "Double quotes can't be used here; use ' instead."
        parts.append(f'{option}="{value}"')
    return errors or " ".join(parts)


def field_errors(form: Form, reply: Reply) -> dict[str, str]:
    """`response_action: errors` for a refused submission: the message beside the block at fault."""
    option = "source" if reply.at_fault == "via" else reply.at_fault
    block = option if option and form.has(option) else form.general
    message = one_line(reply.title).removeprefix("Not recorded — ")
    if option:
        message = message.removeprefix(f"{option}: ")
    if len(message) > ERROR_CHARS:
        message = message[: ERROR_CHARS - 1] + "…"
    return {block: message}
