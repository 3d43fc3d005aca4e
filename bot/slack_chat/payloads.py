"""The shape of the interactive payloads the app answers (form submissions, button clicks), checked before Bolt
sees them: a signed payload Slack would never send gets a 400 and one log line, never a 500 with a traceback."""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.slack_chat.blocks import ACTION_PREFIX, SHARE_ACTION
from bot.slack_chat.forms import FORMS
from bot.slack_chat.review_form import CALLBACK as EDIT_FORM
from bot.surface import MESSAGE_SHORTCUTS


class _Shape(BaseModel):
    """Only the fields the app reads are checked; anything else Slack adds is let through."""

    model_config = ConfigDict(extra="allow", strict=True)


class _User(_Shape):
    id: str
    name: str | None = None


class _Option(_Shape):
    value: str


class _Input(_Shape):
    """One input's state: text (`value`), a select (`selected_option`) or checkboxes (`selected_options`)."""

    type: str
    value: str | None = None
    selected_option: _Option | None = None
    selected_options: list[_Option] | None = None


class _State(_Shape):
    values: dict[str, dict[str, _Input]]


class _View(_Shape):
    type: str
    callback_id: str
    private_metadata: str = ""
    state: _State | None = None

    @field_validator("private_metadata")
    @classmethod
    def _json_object(cls, value: str) -> str:
        """The app stores a JSON object here (the channel the form was opened from)."""
        if value and not isinstance(json.loads(value), dict):
            raise ValueError("not a JSON object")
        return value


class _Submission(_Shape):
    type: Literal["view_submission"]
    user: _User
    view: _View


class _Action(_Shape):
    action_id: str
    value: str | None = None


class _Where(_Shape):
    id: str | None = None
    channel_id: str | None = None


class _Actions(_Shape):
    type: Literal["block_actions"]
    user: _User
    actions: list[_Action] = Field(min_length=1)
    channel: _Where | None = None
    container: _Where | None = None
    response_url: str | None = None


class _Message(_Shape):
    text: str | None = None
    ts: str | None = None


class _Shortcut(_Shape):
    type: Literal["message_action"]
    callback_id: str
    user: _User
    message: _Message
    channel: _Where | None = None
    response_url: str | None = None


SHAPES: dict[str, type[_Shape]] = {
    "view_submission": _Submission,
    "block_actions": _Actions,
    "message_action": _Shortcut,
}
"""Interactive payload type -> the shape the app needs; other types are refused (the app answers none)."""


def problem(payload: dict[str, Any]) -> str | None:
    """What is wrong with an interactive payload (`payload=` of a signed form body), in one line; None if fine."""
    kind = payload.get("type")
    if not isinstance(kind, str):
        return "the interactive payload has no type"
    shape = SHAPES.get(kind)
    if shape is None:
        return f"interactive payloads of type {kind[:40]!r} are not handled"
    try:
        shape.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        return f"{kind} payload: {where or 'payload'}: {first['msg']}"
    if kind == "view_submission" and payload["view"]["callback_id"] not in {*FORMS, EDIT_FORM}:
        return f"no form has the callback id {payload['view']['callback_id'][:40]!r}"
    action = payload["actions"][0]["action_id"] if kind == "block_actions" else ""
    if kind == "block_actions" and action != SHARE_ACTION and not action.startswith(ACTION_PREFIX):
        return f"no button has the action id {action[:40]!r}"
    if kind == "message_action" and payload["callback_id"] not in {c for c, _, _ in MESSAGE_SHORTCUTS}:
        return f"no shortcut has the callback id {payload['callback_id'][:40]!r}"
    return None
