"""Posting to Slack once: a post whose answer was lost is looked for on Slack before it is sent again.

`chat.postMessage` is not idempotent: when the connection drops after Slack took the message, sending it again
posts it twice. So the Web API client never repeats such a call by itself (`retry_handlers`), and every post
that must go out once (digests, urgent updates, shares, thread answers) goes through `post_once`, which marks
the message with metadata and, after a lost answer, asks Slack whether the marked message is already there.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_chat.errors import NETWORK_ERRORS
from bot.slack_chat.retries import CountedRateLimitRetries

NOT_REPEATABLE = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.meMessage",
        "chat.scheduleMessage",
        "files.completeUploadExternal",
        "files.upload",
        "views.open",
        "views.push",
    }
)
"""Web API methods that may act twice if sent again after a lost answer."""
ATTEMPTS = 3
LOOK_AFTER = 0.5
"""Seconds to wait after a lost answer before looking for the message (Slack may still be storing it)."""
HISTORY_LIMIT = 100


def api_method(url: str) -> str:
    """`https://slack.com/api/chat.postMessage` -> `chat.postMessage`."""
    return urlparse(url).path.rstrip("/").rsplit("/", 1)[-1]


class RepeatableRetryHandler(AsyncConnectionErrorRetryHandler):
    """Retries a call whose connection failed, unless repeating it could post or act twice."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if api_method(request.url) in NOT_REPEATABLE:
            return False
        return await super()._can_retry_async(state=state, request=request, response=response, error=error)


def retry_handlers() -> list[AsyncRetryHandler]:
    """For the Web API client: connection errors on calls safe to repeat, and 429s (Slack took nothing)."""
    return [RepeatableRetryHandler(), CountedRateLimitRetries(max_retry_count=3)]


@dataclass(frozen=True)
class Marker:
    """What a post carries in its message metadata, to be found again."""

    event_type: str
    payload: dict[str, Any]

    def metadata(self) -> dict[str, Any]:
        return {"event_type": self.event_type, "event_payload": self.payload}

    def matches(self, message: dict[str, Any]) -> bool:
        metadata = message.get("metadata") or {}
        return bool(metadata.get("event_type") == self.event_type and metadata.get("event_payload") == self.payload)


def lost(exc: BaseException) -> bool:
    """True when the call may or may not have taken effect: no answer, or a server error after sending."""
    if isinstance(exc, SlackApiError):
        status = getattr(exc.response, "status_code", 200) or 200
        return int(status) >= 500
    return isinstance(exc, NETWORK_ERRORS)


async def find(client: AsyncWebClient, channel: str, marker: Marker, thread_ts: str | None = None) -> str | None:
    """The ts of a recent message (in the thread, when given) that carries `marker`; the earliest if several."""
    if thread_ts:
        response = await client.conversations_replies(
            channel=channel, ts=thread_ts, include_all_metadata=True, limit=HISTORY_LIMIT
        )
    else:
        response = await client.conversations_history(channel=channel, include_all_metadata=True, limit=HISTORY_LIMIT)
    found = [str(m["ts"]) for m in response.get("messages") or [] if marker.matches(m)]
    return min(found, key=float) if found else None


async def post_once(
    client: AsyncWebClient,
    channel: str,
    message: dict[str, Any],
    marker: Marker,
    *,
    attempts: int = ATTEMPTS,
    look_after: float = LOOK_AFTER,
) -> str:
    """Posts `message` (chat.postMessage arguments) marked with `marker`; returns its ts. After a lost answer it
    looks for the marked message and sends again only if it is not there. Raises the last failure otherwise."""
    thread_ts = message.get("thread_ts") or None
    failure: BaseException | None = None
    for _ in range(attempts):
        try:
            response = await client.chat_postMessage(channel=channel, metadata=marker.metadata(), **message)
            return str(response["ts"])
        except (SlackApiError, *NETWORK_ERRORS) as exc:
            if not lost(exc):
                raise
            failure = exc
        await asyncio.sleep(look_after)
        found = await find(client, channel, marker, thread_ts)
        if found:
            return found
    assert failure is not None
    raise failure


def request_key(body: dict[str, Any]) -> str:
    """One key per Slack request: the same signed request sent again gives the same key (a slash command's body
    holds its own trigger_id, so two commands typed alike still differ)."""
    digest = hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()
    team = str(body.get("team_id") or (body.get("team") or {}).get("id") or "")
    return f"slack:{team}:request:{digest}"


def view_key(body: dict[str, Any], view: dict[str, Any]) -> str:
    """One key per opened form: a form submitted again (by a person or a replay) gives the same key."""
    team = str((body.get("team") or {}).get("id") or view.get("team_id") or "")
    view_id = str(view.get("id") or "")
    return f"slack:{team}:view:{view_id}" if view_id else request_key(body)
