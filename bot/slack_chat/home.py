"""App Home: the briefing of the situation the person's channel follows, published when they open the tab."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncApp

from bot.slack_chat import blocks
from bot.slack_chat.serving import Serving

HOME_TEXT = "/brief"


def register(app: AsyncApp, serving: Serving) -> None:
    async def on_home(body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home" and serving.seen.first_delivery(body):
            serving.spawn(publish(serving, str(event.get("user", "")), str(event.get("channel", ""))), "App Home")

    app.event("app_home_opened")(on_home)


async def publish(serving: Serving, user: str, channel: str) -> None:
    caller = await serving.caller(user, channel)
    reply = await serving.briefings.handle(HOME_TEXT, caller)
    await serving.client.views_publish(user_id=user, view=blocks.home_view(reply))
