"""The contract between the core and a chat platform, both ways. Every adapter (Slack, Discord, the in-memory one
in `bot/testing.py`) keeps it; the serve loop and the digest scheduler rely on nothing else.

Inbound — a person asks (a slash command, a mention, a button, a form):

1. Read the platform's event into the text a person typed for the core (`/toll rome`, the words after a mention,
   a question in plain words, a form's values as `key="value"` options) and a `Caller` (platform, user, channel
   key such as `slack:C123`, display name, the groups or roles the moderators setting may name).
2. Ask the core once: `plan = briefings.plan(text, caller)`. The plan answers every policy question before
   anything runs — whether the text opens a moderators' form (`plan.opens_form`), whether its answer may be
   posted for everyone and what such a post may say about the request (`plan.shareable`, `plan.shared_as`),
   whether it is for moderators and this caller is one (`plan.moderators_only`, `plan.moderator`). An adapter
   never parses command text nor reads the moderators setting itself.
3. Run it: `reply = await briefings.handle(plan.text, caller, request_id)`. `request_id` names the platform's
   request (the same request delivered twice gives the same id), so a moderator's change is made once.
   `handle` never raises for bad input; a refusal or an error is a reply whose `ok` is False.
4. Answer within the platform's deadline: Slack wants the 3 s acknowledgement, Discord the first response
   within 3 s. Wait for the reply a little less than that, then acknowledge ("working on it" / defer) and send
   the reply when it is ready.
5. Render the reply document (`briefings/reply.py`): untrusted spans shown literally (they never mention,
   format, link or start a line), a chart as a file with its alt text. A long answer is cut with
   `plan.cut(reply, messages)` to what the platform can carry, saying what was left out. Refusals and errors
   go only to the person who asked, in plain words; an unexpected failure says `SORRY`, never a traceback.
6. Offer sharing when `plan.shareable`: a "Post to channel" button that posts the answer for everyone, saying
   who shared it and `plan.shared_as` (never the typed words), exactly once per click.

Outbound — the bot speaks first (digests, urgent updates): `Poster.post` and `Poster.find_posted`, declared once
beside the digest runner (`briefings/digests/posting.py`), with exactly-once markers: a post carries its run key
where `find_posted` can see it again (Slack message metadata, a Discord nonce and footer), so the runner looks
before it posts again after a failure or a restart.
"""

from __future__ import annotations

from typing import Protocol

from briefings.digests.posting import Poster, PostError

__all__ = ["SORRY", "Adapter", "PostError", "Poster", "SetupError"]

SORRY = "Something went wrong on my side; nothing was changed. The error has been logged — please try again."
"""What an adapter tells a person when handling their request failed unexpectedly (the failure is logged)."""


class SetupError(RuntimeError):
    """An adapter cannot start: missing or wrong credentials or scopes. The message says what to fix."""


class Adapter(Poster, Protocol):
    """A platform the bot serves: it answers people (inbound, above) and posts for the digest runner (`Poster`)."""

    platform: str
    """`slack` or `discord`: the prefix of the channel keys it serves (`slack:C123`)."""

    async def start(self) -> None:
        """Connects or starts serving; returns once ready. Bad credentials raise with a message saying what to fix."""

    async def stop(self) -> None:
        """Stops taking requests, lets work in flight finish briefly, then disconnects."""
