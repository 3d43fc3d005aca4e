"""Answers in at most a few Slack messages: a longer one is cut at an entry and ends with "N more: …", saying how
to see the rest (`Plan.cut`), instead of being dropped in silence."""

from __future__ import annotations

from typing import Any

from bot.slack_chat import blocks
from briefings.reply import Line, Reply
from briefings.service import Plan

MAX_MESSAGES = 3
"""Messages one answer may take in a thread or a private answer."""


def fitted(
    reply: Reply, plan: Plan, *, share: bool = False, note: Line | None = None, limit: int = MAX_MESSAGES
) -> list[blocks.Message]:
    """`reply` (the answer to `plan`) as at most `limit` messages, with `note` and, if `share`, the share button."""
    button = plan.text if share else None

    def count(candidate: Reply) -> int:
        return len(blocks.messages(candidate, share=button, note=note))

    return blocks.messages(plan.cut(reply, count, limit), share=button, note=note)


def private(reply: Reply, plan: Plan) -> list[dict[str, Any]]:
    """A reply to one person, as `respond`/`ack` arguments: blocks (with the share button if `plan.shareable`),
    or plain words for refusals and errors. Kept on the reply: the core gives the same reply again."""
    if not reply.ok:
        return [{"text": blocks.plain_text(reply), "response_type": "ephemeral"}]
    key = ("slack", plan.text if plan.shareable else None)
    pages: list[dict[str, Any]] | None = reply.renderings.get(key)
    if pages is None:
        found = fitted(reply, plan, share=plan.shareable)
        pages = reply.renderings[key] = [{**m.as_kwargs(), "response_type": "ephemeral"} for m in found]
    return pages
