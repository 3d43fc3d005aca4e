"""Signed interactive payloads Slack would never send (a form submission whose view has no `type`, fields of the
wrong kind, unknown forms and buttons): each gets a 4xx and one log line, never a 500 or a traceback, and
nothing changes. Sent as signed HTTP to the real server (Bolt behind aiohttp on 127.0.0.1)."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest

from tests.test_faults_http import MODERATOR, Server, check_refused, payload, server, sign

__all__ = ["server"]

VIEW = {"type": "modal", "callback_id": "update_toll", "private_metadata": json.dumps({"channel": "C1"})}
STATE = {"killed": {"value": {"type": "plain_text_input", "value": "999"}}}


def submission(**changes: Any) -> dict[str, Any]:
    """A toll form submission by a moderator, with `changes` to its top level or (`view_…`) to its view."""
    view: dict[str, Any] = {**VIEW, "state": {"values": STATE}}
    data: dict[str, Any] = {"type": "view_submission", "user": {"id": MODERATOR, "name": "mod"}, "view": view}
    for key, value in changes.items():
        target, name = (view, key.removeprefix("view_")) if key.startswith("view_") else (data, key)
        if value is None:
            target.pop(name, None)
        else:
            target[name] = value
    return data


def click(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": "U0READER"},
        "channel": {"id": "C1"},
        "actions": [{"action_id": "share", "value": "/toll"}],
        **changes,
    }
    return {key: value for key, value in data.items() if value is not None}


MALFORMED = [
    pytest.param(submission(view_type=None), id="view-without-type"),
    pytest.param(submission(type=None), id="submission-without-type"),
    pytest.param(submission(view="update_toll"), id="view-not-an-object"),
    pytest.param(submission(view_callback_id=None), id="view-without-callback"),
    pytest.param(submission(view_callback_id=["update_toll"]), id="callback-a-list"),
    pytest.param(submission(user="U0MOD"), id="user-not-an-object"),
    pytest.param(submission(user=None), id="no-user"),
    pytest.param(submission(view_state={"values": []}), id="values-a-list"),
    pytest.param(submission(view_state={"values": {"killed": "999"}}), id="value-a-string"),
    pytest.param(submission(view_state={"values": {"killed": {"value": {"value": 999}}}}), id="value-a-number"),
    pytest.param(submission(view_private_metadata="[]"), id="metadata-a-list"),
    pytest.param(submission(view_private_metadata="{not json"), id="metadata-not-json"),
    pytest.param(submission(view_callback_id="no_such_form"), id="unknown-form"),
    pytest.param({"type": 5, "view": VIEW}, id="type-a-number"),
    pytest.param({"view": VIEW, "user": {"id": MODERATOR}}, id="no-type"),
    pytest.param(click(actions="share"), id="actions-a-string"),
    pytest.param(click(actions=[]), id="no-actions"),
    pytest.param(click(actions=[{"action_id": "share", "value": 5}]), id="action-value-a-number"),
    pytest.param(click(user="U0READER"), id="clicker-not-an-object"),
    pytest.param(click(channel="C1"), id="channel-not-an-object"),
    pytest.param(click(actions=[{"action_id": "nope"}]), id="unknown-button"),
    pytest.param({"type": "shortcut", "callback_id": "x"}, id="unhandled-type"),
]


@pytest.mark.parametrize("data", MALFORMED)
async def test_malformed_interactive_payloads_get_4xx_and_one_log_line(
    server: Server, data: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    body = payload(data)
    caplog.clear()
    response = await server.post(body, headers=sign(body))
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(problems) == 1, [r.getMessage() for r in problems]
    assert "\n" not in problems[0].getMessage()
    assert not any(r.exc_info for r in caplog.records), [r.getMessage() for r in caplog.records if r.exc_info]
    await check_refused(server, response)


async def test_well_formed_submissions_and_clicks_still_work(server: Server) -> None:
    """The checks refuse only what Slack never sends: a real form submission records, a real click shares."""
    before = await server.revision_count()
    body = payload(submission(view_state={"values": {**STATE, "source": {"value": {"type": "x", "value": "SOHR"}}}}))
    response = await server.post(body, headers=sign(body))
    assert response.status_code == 200, response.text[:300]
    assert await server.revision_count() == before + 1
    body = payload(click(response_url=server.fake.response_url()))
    response = await server.post(body, headers=sign(body))
    assert response.status_code == 200, response.text[:300]
    posted = await server.fake.wait_for("chat.postMessage")
    assert "killed" in json.dumps(posted[0].params)
