"""Moderators' forms at work: opening one for `/update` alone (or `/add event`), and its submission, which runs as
the command a moderator would type. Slack closes a form only when the answer to its submission comes within 3 s:
a slower outcome closes the form at once and follows as a private message."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError

from bot.adapter import SORRY
from bot.slack_chat import blocks, forms, timing
from bot.slack_chat.errors import error_code
from bot.slack_chat.once import view_key
from bot.slack_chat.pages import fitted
from bot.slack_chat.serving import Serving
from briefings.reply import Reply, problem
from briefings.service import Plan

log = logging.getLogger(__name__)


def register(app: AsyncApp, serving: Serving) -> None:
    async def on_submit(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        await submitted(serving, ack, body, view)

    for form in forms.FORMS.values():
        app.view(form.callback_id)(on_submit)


async def open_form(serving: Serving, ack: AsyncAck, name: str, channel: str, trigger_id: str) -> None:
    """Opens the form `name` (from `Plan.opens_form`), remembering the channel it was opened from."""
    form = forms.NAMED[name]
    try:
        await serving.client.views_open(trigger_id=trigger_id, view=forms.view(form, channel))
    except SlackApiError as exc:
        log.error("Slack views.open for %s failed: %s", form.callback_id, error_code(exc))
        await ack(text=f"I couldn't open the form; type the command instead: {form.command} key=value ...")
        return
    await ack()


async def submitted(serving: Serving, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
    form = forms.FORMS[str(view.get("callback_id"))]
    user_info = body.get("user") or {}
    user = str(user_info.get("id", ""))
    channel = forms.channel_of(view)
    built = forms.command_text(form, (view.get("state") or {}).get("values") or {})
    if isinstance(built, dict):
        await ack(response_action="errors", errors=built)
        return

    async def submit() -> tuple[Reply, Plan]:
        caller = await serving.caller(user, channel, str(user_info.get("name") or ""))
        plan = serving.briefings.plan(built, caller)
        return await serving.briefings.handle(plan.text, caller, view_key(body, view)), plan

    try:
        job = await timing.started(submit(), serving.ack_within)
        if not job.done():  # the form closes within Slack's 3 s; the outcome follows as a message
            await ack()
            serving.spawn(_tell_when_done(serving, job, user, channel), f"{form.callback_id} for {user}")
            return
        reply, plan = job.result()
    except Exception:
        log.exception("Slack form %s failed for %s in %s", form.callback_id, user, channel)
        await ack(response_action="errors", errors={form.general: SORRY})
        return
    if not reply.ok:
        await ack(response_action="errors", errors=forms.field_errors(form, reply))
        return
    await ack()
    serving.spawn(_tell(serving, user, channel, reply, plan), f"confirmation of {form.callback_id} to {user}")


async def _tell_when_done(serving: Serving, job: asyncio.Future[tuple[Reply, Plan]], user: str, channel: str) -> None:
    try:
        reply, plan = await job
    except Exception:
        log.exception("Slack form failed for %s in %s", user, channel)
        reply, plan = problem(SORRY), None
    await _tell(serving, user, channel, reply, plan)


async def _tell(serving: Serving, user: str, channel: str, reply: Reply, plan: Plan | None) -> None:
    """Shows `reply` to one person: ephemerally where they opened the form, else by direct message."""
    message = fitted(reply, plan, limit=1)[0] if plan is not None else blocks.messages(reply)[0]
    if channel:
        try:
            await serving.client.chat_postEphemeral(channel=channel, user=user, **message.as_kwargs())
            return
        except SlackApiError as exc:
            log.info("ephemeral confirmation in %s failed (%s); sending a DM", channel, error_code(exc))
    await serving.client.chat_postMessage(channel=user, **message.as_kwargs())
