"""The Edit form of a review card: the moderators' own form for the proposal's kind (the toll form, the event form),
pre-filled with the proposal's values, plus a field for each value that form does not have; other kinds get a form
of their values. Submitting it accepts the proposal with the values as edited."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.slack_chat import forms
from briefings.reviewing import EditForm

CALLBACK = "review_edit"
LONG = frozenset({"text", "quote", "summary", "note"})
NOTE_HINT = "Your own note, if any: the article and its sentence are kept in the note anyway."


@dataclass(frozen=True)
class Opened:
    """What the form carries in private_metadata, to be read back on submission."""

    proposal: int
    kind: str
    extra: tuple[str, ...]
    channel: str
    response_url: str
    private: bool = True
    """The card is in a list only the moderator sees (else in a channel)."""


def form_of(kind: str, extra: tuple[str, ...]) -> forms.Form:
    """The form for a proposal of `kind` with `extra` values its kind's form lacks (every field optional: the
    core says what a fact needs)."""
    base = {"toll": forms.TOLL, "event": forms.EVENT}.get(kind)
    fields = [
        forms.Field(f.option, f.label, f.kind, True, f.placeholder, f.hint, f.multiline, f.choices)
        for f in (base.fields if base else ())
    ]
    known = {f.option for f in fields}
    fields += [forms.Field(o, o.replace("_", " ").capitalize(), multiline=o in LONG) for o in extra if o not in known]
    if "note" not in {f.option for f in fields}:
        fields.append(forms.Field("note", "Note", multiline=True))
    command = "/update toll" if kind == "toll" else f"/add {kind}"
    return forms.Form(CALLBACK, "Edit proposal", command, tuple(fields))


def view(edit: EditForm, channel: str, response_url: str, private: bool = True) -> dict[str, Any]:
    """The modal, pre-filled; `response_url` is the card's, so accepting can update it."""
    base = {"toll": forms.TOLL, "event": forms.EVENT}.get(edit.kind)
    known = {f.option for f in base.fields} if base else set()
    extra = tuple(o for o in edit.values if o not in known)
    form = form_of(edit.kind, extra)
    modal = forms.view(form, channel)
    opened = Opened(edit.proposal, edit.kind, extra, channel, response_url, private)
    modal["private_metadata"] = json.dumps(opened.__dict__)
    modal["title"]["text"] = f"Edit proposal #{edit.proposal}"[:24]
    modal["submit"]["text"] = "Accept"
    for block in modal["blocks"]:
        value = edit.values.get(block["block_id"], "")
        element = block["element"]
        if block["block_id"] == "note":
            block["hint"] = {"type": "plain_text", "text": NOTE_HINT}
        if not value:
            continue
        if element["type"] == "static_select":
            choices = [o["value"] for o in element["options"]]
            if value in choices:
                element["initial_option"] = next(o for o in element["options"] if o["value"] == value)
        elif element["type"] == "plain_text_input":
            element["initial_value"] = value
    return modal


def opened(view_payload: dict[str, Any]) -> Opened | None:
    """The proposal a submitted Edit form is about, or None for metadata that is not ours."""
    try:
        data = json.loads(view_payload.get("private_metadata") or "{}")
        return Opened(
            int(data["proposal"]),
            str(data["kind"]),
            tuple(data["extra"]),
            str(data["channel"]),
            str(data["response_url"]),
            bool(data.get("private", True)),
        )
    except (ValueError, KeyError, TypeError):
        return None


def read(form: forms.Form, state: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """Every field's value (an empty one as "", so a cleared value is left out) and errors by block id."""
    given = forms.values(form, state)
    quoted = "Double quotes can't be used here; use ' instead."
    errors = {o: quoted for o, v in given.items() if any(q in v for q in forms.QUOTES)}
    return {f.option: given.get(f.option, "") for f in form.fields}, errors
