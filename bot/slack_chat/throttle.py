"""Rate limits for Slack: a Bolt middleware that refuses, politely and privately, a command, mention, share or
form from a person or channel past `BRIEFING_RATE_PER_PERSON` / `BRIEFING_RATE_PER_CHANNEL`, before any work."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings
from bot.slack_chat import blocks, forms
from bot.slack_chat.errors import NETWORK_ERRORS
from briefings.throttle import Throttle

log = logging.getLogger(__name__)


def asker(body: dict[str, Any]) -> tuple[str, str, str] | None:
    """(what, person, channel) of a request that runs a command; None for anything else (App Home, retries)."""
    kind = body.get("type")
    if body.get("command"):
        return "command", str(body.get("user_id") or ""), str(body.get("channel_id") or "")
    if kind == "event_callback":
        event = body.get("event") or {}
        if event.get("type") == "app_mention":
            return "mention", str(event.get("user") or ""), str(event.get("channel") or "")
        return None
    user = str((body.get("user") or {}).get("id") or "")
    if kind == "block_actions":
        channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
        return "share", user, str(channel or "")
    if kind == "view_submission":
        return "form", user, forms.channel_of(body.get("view") or {})
    return None


class SlackThrottle:
    """Holds the counts, and the few refusals still being delivered (mentions and shares answer after the ack)."""

    def __init__(self, throttle: Throttle) -> None:
        self.throttle = throttle
        self._tasks: set[asyncio.Task[None]] = set()

    @classmethod
    def configured(cls, settings: Settings) -> SlackThrottle:
        return cls(Throttle(settings.rate_per_person, settings.rate_per_channel))

    async def middleware(
        self, body: dict[str, Any], client: AsyncWebClient, next_: Callable[[], Awaitable[None]]
    ) -> BoltResponse | None:
        """Bolt global middleware: lets the request on, or answers it with the refusal."""
        found = asker(body)
        refusal = self.throttle.check(f"slack:{found[1]}", f"slack:{found[2]}") if found and found[1] else None
        if found is None or refusal is None:
            await next_()
            return None
        what, user, channel = found
        log.info("rate limit: %s by %s in %s refused: %s", what, user, channel, refusal.title)
        text = blocks.plain_text(refusal)
        if what == "command":
            return _json({"response_type": "ephemeral", "text": text})
        if what == "form":
            form = forms.FORMS.get(str((body.get("view") or {}).get("callback_id")))
            return _json({"response_action": "errors", "errors": {form.general if form else "": text}})
        if what == "mention":
            thread = str((body.get("event") or {}).get("thread_ts") or (body.get("event") or {}).get("ts") or "")
            self._later(client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread, text=text))
        elif body.get("response_url"):
            self._later(client.chat_postEphemeral(channel=channel, user=user, text=text))
        return BoltResponse(status=200, body="")

    def _later(self, call: Coroutine[Any, Any, Any]) -> None:
        async def quietly() -> None:
            try:
                await call
            except (SlackApiError, *NETWORK_ERRORS) as exc:
                log.warning("could not tell a rate-limited person so: %r", exc)

        task = asyncio.get_running_loop().create_task(quietly())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _json(data: dict[str, Any]) -> BoltResponse:
    return BoltResponse(status=200, body=json.dumps(data), headers={"content-type": "application/json"})
