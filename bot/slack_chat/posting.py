"""Digest posts: `chat.postMessage` marked with the run key in message metadata, and finding such a post again."""

from __future__ import annotations

import logging

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.adapter import PostError
from bot.slack_chat.blocks import messages
from bot.slack_chat.errors import NETWORK_ERRORS, PERMANENT, error_code
from bot.slack_chat.once import Marker, find, post_once
from briefings.reply import Image, Reply

log = logging.getLogger(__name__)

EVENT_TYPE = "briefing_digest"


def channel_id(channel: str) -> str:
    """Slack's own id: `slack:C123` and `C123` both give `C123`."""
    return channel.removeprefix("slack:")


def post_error(action: str, channel: str, exc: Exception) -> PostError:
    """A PostError that says whether retrying can help."""
    if isinstance(exc, SlackApiError):
        error = error_code(exc)
        return PostError(f"Slack {action} in {channel} failed: {error}", permanent=error in PERMANENT)
    return PostError(f"Slack {action} in {channel} failed: {exc!r}")


def marker(run_key: str, part: int = 0) -> Marker:
    """The metadata of a digest's message: the run key, and the part after the first."""
    return Marker(EVENT_TYPE, {"run_key": run_key, **({"part": part} if part else {})})


async def post(client: AsyncWebClient, channel: str, reply: Reply, run_key: str) -> str:
    """Posts the reply (in several messages if long), each once (see `post_once`); the first carries the run key.
    Returns its ts."""
    channel = channel_id(channel)
    first = ""
    for number, message in enumerate(messages(reply)):
        try:
            ts = await post_once(
                client,
                channel,
                {"unfurl_links": False, "unfurl_media": False, **message.as_kwargs()},
                marker(run_key, number),
            )
        except (SlackApiError, *NETWORK_ERRORS) as exc:
            if first:  # the marked message went out; the digest counts as posted
                break
            raise post_error("chat.postMessage", channel, exc) from exc
        first = first or ts
    if reply.image is not None:
        try:  # the digest went out; a chart that fails to upload is logged, not retried (it would post twice)
            await upload(client, channel, reply.image, thread_ts=first)
        except (SlackApiError, *NETWORK_ERRORS) as exc:
            log.warning("the chart for digest %s in %s was not uploaded: %r", run_key, channel, exc)
    return first


async def upload(
    client: AsyncWebClient, channel: str, image: Image, *, thread_ts: str | None = None, comment: str | None = None
) -> None:
    """Uploads a chart with the files API (files.getUploadURLExternal, the upload, files.completeUploadExternal)."""
    await client.files_upload_v2(
        channel=channel_id(channel),
        file=image.png,
        filename=image.filename,
        title=image.filename.rsplit(".", 1)[0].replace("-", " ").capitalize(),
        alt_txt=image.alt[:1000],
        thread_ts=thread_ts or None,
        initial_comment=comment,
    )


async def find_posted(client: AsyncWebClient, channel: str, run_key: str) -> str | None:
    """The ts of a recent message whose metadata carries `run_key` (the digest's first message)."""
    channel = channel_id(channel)
    try:
        return await find(client, channel, marker(run_key))
    except (SlackApiError, *NETWORK_ERRORS) as exc:
        raise post_error("conversations.history", channel, exc) from exc
