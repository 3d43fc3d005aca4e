"""Mentions: `@Briefing toll rome` or `@Briefing how many died in Rome?` in a channel, answered in a thread for
everyone (refusals only to the asker), each part posted once (`once.post_once`), any chart in the same thread."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.slack_chat import blocks, once, posting
from bot.slack_chat.pages import fitted
from bot.slack_chat.serving import Serving

EVENT_TYPE = "briefing_answer"


def mention_words(text: str, bot_user: str = "") -> str:
    """What a mention asks the core: `<@UBOT> toll rome` (or `hi <@UBOT> toll rome`, or `toll rome <@UBOT>`) ->
    `toll rome`, the words after the bot's mention (before it, when nothing follows). The core reads them as a
    command or a question in plain words, as it reads `/ask`; nothing at all is `/help`. Other mentions stay in
    the text (and are shown escaped); an unknown bot id takes the first mention as the bot's."""
    own = re.compile(rf"<@{re.escape(bot_user) if bot_user else '[A-Z0-9]+'}(?:\|[^>]*)?>")
    found = own.search(text)
    if found:
        text = text[found.end() :] if text[found.end() :].strip() else text[: found.start()]
    return own.sub(" ", text).strip() or "/help"


def register(app: AsyncApp, serving: Serving) -> None:
    async def on_mention(body: dict[str, Any], event: dict[str, Any]) -> None:
        if serving.seen.first_delivery(body):
            serving.spawn(answer(serving, event, once.request_key(body)), f"mention in {event.get('channel')}")

    app.event("app_mention")(on_mention)


async def answer(serving: Serving, event: dict[str, Any], request_id: str = "") -> None:
    words = blocks.unescape(mention_words(str(event.get("text") or ""), serving.bot_user))
    channel, user = str(event.get("channel", "")), str(event.get("user", ""))
    thread = str(event.get("thread_ts") or event.get("ts") or "")
    caller = await serving.caller(user, channel)
    plan = serving.briefings.plan(words, caller)
    reply = await serving.briefings.handle(plan.text, caller, request_id)
    if not reply.ok:
        text = blocks.plain_text(reply)
        await serving.client.chat_postEphemeral(channel=channel, user=user, thread_ts=thread, text=text)
        return
    for part, message in enumerate(fitted(reply, plan)):
        marker = once.Marker(EVENT_TYPE, {"asked": str(event.get("ts") or ""), "part": part})
        kwargs = {"thread_ts": thread, "unfurl_links": False, "unfurl_media": False, **message.as_kwargs()}
        await once.post_once(serving.client, channel, kwargs, marker)
    if reply.image is not None:
        await posting.upload(serving.client, channel, reply.image, thread_ts=thread)
