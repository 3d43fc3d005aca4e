"""Answers in at most a few Slack messages: a longer one is cut at an entry and ends with "N more: …", saying how
to see the rest (`briefings/paging.py`), instead of being dropped in silence."""

from __future__ import annotations

from bot.slack_chat import blocks
from briefings import paging
from briefings.reply import Line, Reply


def fitted(
    reply: Reply, text: str, *, share: str | None = None, note: Line | None = None, limit: int = paging.MAX_MESSAGES
) -> list[blocks.Message]:
    """`reply` (an answer to `text`) as at most `limit` messages, with the share button and `note` as usual."""

    def count(candidate: Reply) -> int:
        return len(blocks.messages(candidate, share=share, note=note))

    return blocks.messages(paging.fit(reply, count, text, limit), share=share, note=note)
