"""Slash commands: `/briefing toll rome`, `/toll rome`, `/ask how many …`. The answer is private (ephemeral) with a
share button when it may be shared; `/update` alone opens a moderator's form instead; a chart is uploaded to the
channel. Answers not ready within `Serving.ack_within` are acknowledged at once and follow through `response_url`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Iterable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.adapter import SORRY
from bot.slack_chat import blocks, charts, submissions, timing
from bot.slack_chat.entry import ASK, core_text, with_entry_note
from bot.slack_chat.once import request_key
from bot.slack_chat.pages import private
from bot.slack_chat.serving import Serving
from briefings.access import Caller
from briefings.reply import Reply
from briefings.service import Plan

log = logging.getLogger(__name__)


def command_names(core: Iterable[str], entry: str) -> list[str]:
    """Every slash command the app answers: the core's commands, /ask (a question in plain words) and the entry
    command (`/briefing`, followed by any of them)."""
    return sorted({*core, ASK, entry})


def register(app: AsyncApp, serving: Serving) -> None:
    # one listener for every command: Bolt tries listeners in turn, so this keeps each request's dispatch short
    names = command_names(serving.briefings.command_names(), serving.settings.command)
    every = "|".join(re.escape(name) for name in names)

    async def on_command(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await answer(serving, ack, body, respond)

    app.command(re.compile(f"^/(?:{every})$"))(on_command)


async def answer(serving: Serving, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
    command = str(body.get("command", ""))
    text = core_text(command, blocks.unescape(str(body.get("text") or "")), serving.settings.command)
    channel, user = str(body.get("channel_id", "")), str(body.get("user_id", ""))
    try:
        caller = await serving.caller(user, channel, str(body.get("user_name") or ""))
        plan = serving.briefings.plan(text, caller)
        if plan.opens_form is not None:
            await submissions.open_form(serving, ack, plan.opens_form, channel, str(body.get("trigger_id", "")))
            return
        job = await timing.started(serving.briefings.handle(plan.text, caller, request_key(body)), serving.ack_within)
        if not job.done():
            await ack(text=timing.WORKING, response_type="ephemeral")
            serving.spawn(_later(serving, job, plan, caller, respond), f"{text!r} for {user} in {channel}")
            return
        reply = job.result()
        if plan.command == "help":
            reply = with_entry_note(reply, command, serving.settings.command)
        pages = private(reply, plan)
        await ack(**pages[0])
        if len(pages) > 1:
            serving.spawn(timing.follow_up(pages[1:], respond), f"follow-ups of {text!r}")
        if reply.ok and reply.image is not None:
            chart = charts.upload_asked(serving.client, reply, plan, caller, respond)
            serving.spawn(chart, f"chart of {text!r} in {channel}")
    except Exception:
        log.exception("Slack %r failed for %s in %s", text, user, channel)
        await ack(text=SORRY, response_type="ephemeral")


async def _later(
    serving: Serving, job: asyncio.Future[Reply], plan: Plan, caller: Caller, respond: AsyncRespond
) -> None:
    reply = await job
    await timing.follow_up(private(reply, plan), respond, replace=True)
    if reply.ok and reply.image is not None:
        await charts.upload_asked(serving.client, reply, plan, caller, respond)
