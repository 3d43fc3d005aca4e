"""A moderator's request runs once: the same request seen again (a replayed signed request, a form submitted
twice, an interaction delivered twice) changes nothing and says what the first one recorded."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from briefings.reply import Reply, Section, line
from briefings.store.requests import RequestLedger, Taken

log = logging.getLogger(__name__)


def already(taken: Taken) -> Reply:
    """The answer to a request seen before: what it recorded, or that it is still being recorded."""
    if taken.result is None:
        return Reply(
            "Already being recorded",
            [Section(None, [line("This request arrived twice; the first is still being recorded.")])],
            line("Nothing more was changed."),
        )
    return Reply(
        f"Already recorded: {taken.result}",
        [Section(None, [line("This request arrived again; it was recorded the first time.")])],
        line("Nothing more was changed."),
    )


async def once(ledger: RequestLedger, key: str, caller: str, run: Callable[[], Awaitable[Reply]]) -> Reply:
    """Runs the request unless it was taken before (then answers `already`). A request that changed nothing is
    released, so the same form may be submitted again once corrected."""
    taken = await ledger.claim(key, caller)
    if taken is not None:
        log.warning("request seen again (%s, first from %s at %s): not run again", key, taken.caller, taken.received_at)
        return already(taken)
    try:
        reply = await run()
    except Exception:
        await ledger.release(key)
        raise
    if reply.ok:
        await ledger.done(key, ", ".join(reply.written) or reply.title)
    else:
        await ledger.release(key)
    return reply
