"""The "Post to channel" button under a private answer: posts that answer for everyone, saying who shared it and
which command it answers (`Plan.shared_as`, never the typed words), each part once however often the click is
delivered (the request ledger, then `once.post_once`).

The click runs the command again, as the person who clicks, rather than carrying the answer they saw: Slack sends
no content of an ephemeral message with the click, and keeping every private answer until someone may share it
would need a table shared by every instance. Running it again gives the same answer while the situation is
unchanged (the core hands out the very reply it gave, kept by situation version); when a moderator changed the
situation in between, the channel gets the figures as they are now, each with its source and as-of — what a post
for everyone should carry. Only what the plan calls shareable runs: read-only commands, never a change.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError

from bot.adapter import SORRY
from bot.slack_chat import blocks, once, posting
from bot.slack_chat.errors import CHANNEL_ERRORS, NOT_IN_CHANNEL, error_code
from bot.slack_chat.pages import fitted
from bot.slack_chat.serving import Serving
from briefings.reply import line, untrusted

log = logging.getLogger(__name__)
EVENT_TYPE = "briefing_share"
NOT_SHAREABLE = "That answer can't be posted to the channel."
ALREADY = "That answer was posted to the channel already."


def register(app: AsyncApp, serving: Serving) -> None:
    async def on_share(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        action = (body.get("actions") or [{}])[0]
        serving.spawn(share(serving, body, str(action.get("value") or ""), respond), "Post to channel")

    app.action(blocks.SHARE_ACTION)(on_share)


async def share(serving: Serving, body: dict[str, Any], text: str, respond: AsyncRespond) -> None:
    user_info = body.get("user") or {}
    channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")
    user = str(user_info.get("id", ""))
    caller = await serving.caller(user, channel, str(user_info.get("name") or ""))
    plan = serving.briefings.plan(text, caller)
    if not (text.strip() and channel and user) or not plan.shareable:  # a click carrying no command or no place
        await respond(text=NOT_SHAREABLE, replace_original=False)
        return
    key = once.request_key(body)
    if not await serving.briefings.claim_request(key, caller):  # a click delivered again
        await respond(text=ALREADY, replace_original=False)
        return
    reply = await serving.briefings.handle(plan.text, caller)
    if not reply.ok:
        await respond(text=blocks.plain_text(reply), replace_original=False)
        return
    note = line("Shared by ", untrusted(caller.name or "a member"), f" · {plan.shared_as}")
    try:
        for part, message in enumerate(fitted(reply, plan, note=note)):
            marker = once.Marker(EVENT_TYPE, {"request": key[-16:], "part": part})
            kwargs = {"unfurl_links": False, "unfurl_media": False, **message.as_kwargs()}
            await once.post_once(serving.client, channel, kwargs, marker)
        if reply.image is not None:
            await posting.upload(serving.client, channel, reply.image)
    except SlackApiError as exc:
        error = error_code(exc)
        log.warning("sharing %r by %s in %s failed: %s", plan.text, user, channel, error)
        await respond(text=NOT_IN_CHANNEL if error in CHANNEL_ERRORS else SORRY, replace_original=False)
