"""A slash command's chart: files can't be ephemeral, so it is uploaded to the channel, saying who asked and which
command (never the typed words); when Slack refuses, the person is told why in words."""

from __future__ import annotations

import logging

from slack_bolt.async_app import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_chat import blocks, posting
from bot.slack_chat.errors import CHANNEL_ERRORS, NOT_IN_CHANNEL, error_code
from briefings.access import Caller
from briefings.reply import Reply, line, untrusted
from briefings.service import Plan

log = logging.getLogger(__name__)
NO_CHART_SCOPE = (
    "I can't upload charts: the app lacks the files:write scope (ask whoever runs me). The figures are above."
)
NOT_UPLOADED = "I couldn't upload the chart; the figures are above."


async def upload_asked(client: AsyncWebClient, reply: Reply, plan: Plan, caller: Caller, respond: AsyncRespond) -> None:
    """Uploads the chart of `reply` to the caller's channel with a comment naming who asked for what."""
    assert reply.image is not None
    comment = line(untrusted(reply.title), " (asked by ", untrusted(caller.name or "a member"), f": {plan.shared_as})")
    channel = caller.channel
    try:
        await posting.upload(client, channel, reply.image, comment=blocks.mrkdwn_text(comment))
    except SlackApiError as exc:
        error = error_code(exc)
        log.warning("uploading the chart of %r in %s failed: %s", plan.text, channel, error)
        words = NO_CHART_SCOPE if error == "missing_scope" else NOT_UPLOADED
        await respond(text=NOT_IN_CHANNEL if error in CHANNEL_ERRORS else words, replace_original=False)
