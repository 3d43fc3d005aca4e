"""The Slack adapter: slash commands, mentions, a share button, moderator forms, App Home and digest posts.

Every command goes through `Briefings.handle`; this module only turns Slack payloads into command text and a
`Caller`, and replies into Block Kit.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import Coroutine
from typing import Any

import aiohttp
from aiohttp import web
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.settings import Settings
from bot.slack_chat import blocks, forms, once, posting
from bot.slack_chat.callers import Callers, group_ids
from bot.slack_chat.entry import ASK, core_text, with_entry_note
from bot.slack_chat.errors import error_code
from bot.slack_chat.http import HttpServer
from bot.slack_chat.pages import fitted
from bot.slack_chat.sharing import command_name, shareable
from bot.slack_chat.startup import SlackSetupError, check_bot_token, open_socket_url
from bot.slack_chat.throttle import SlackThrottle
from briefings.access import Caller
from briefings.commands.registry import COMMANDS
from briefings.questions import looks_like_question
from briefings.reply import Reply, line, problem, u
from briefings.service import Briefings
from briefings.store.requests import RequestLedger

log = logging.getLogger(__name__)
ACK_WITHIN = 2.0
"""Seconds to wait for the core before acknowledging with "working on it" (Slack allows 3)."""
MAX_FOLLOW_UPS = 5
"""`response_url` takes at most five posts."""
WORKING = "Working on it…"
SORRY = "Something went wrong on my side; nothing was changed. The error has been logged — please try again."
NOT_IN_CHANNEL = "I can't post in this channel. Invite me first (/invite @Briefing), then try again."
NO_CHART_SCOPE = (
    "I can't upload charts: the app lacks the files:write scope (ask whoever runs me). The figures are above."
)
SEEN_EVENTS = 1000
_CHANNEL_ERRORS = frozenset({"not_in_channel", "channel_not_found", "is_archived"})


class _NoTokenWarning(logging.Filter):
    """Bolt warns that SLACK_BOT_TOKEN in the environment is unused when a client is given; it is the same token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "`token` will be unused" not in record.getMessage()


BOLT_LOG = logging.getLogger("bot.slack_chat.bolt")
BOLT_LOG.addFilter(_NoTokenWarning())


def command_names() -> list[str]:
    """Every slash command the app answers: the core's commands plus /digest and /ask (a question in plain words)."""
    return sorted({*COMMANDS, "digest", ASK})


def command_from_mention(text: str, bot_user: str = "") -> str:
    """`<@UBOT> toll rome` (or `hi <@UBOT> toll rome`) -> `/toll rome`: the words after the bot's mention.
    A question in plain words (`<@UBOT> how many died in Rome?`) is passed on as it is, for the core to read.
    Other mentions stay in the text (and are shown escaped); an unknown bot id takes the first mention as the bot's."""
    own = re.compile(rf"<@{re.escape(bot_user) if bot_user else '[A-Z0-9]+'}(?:\|[^>]*)?>")
    found = own.search(text)
    if found:
        text = text[found.end() :] if text[found.end() :].strip() else text[: found.start()]
    words = own.sub(" ", text).strip()
    if words.startswith("/"):
        return words
    first = words.split(maxsplit=1)[0].lower() if words else "help"
    if first in command_names() and not looks_like_question(words):
        return f"/{words or 'help'}"
    return words


class SlackAdapter:
    """Serves Slack over HTTP (`/slack/events`) or, with SLACK_APP_TOKEN, over Socket Mode."""

    platform = "slack"

    def __init__(self, briefings: Briefings, settings: Settings) -> None:
        self.briefings = briefings
        self.settings = settings
        self.ack_within = ACK_WITHIN
        self.client = AsyncWebClient(
            token=settings.slack_bot_token,
            base_url=settings.slack_api_url,
            retry_handlers=once.retry_handlers(),
        )
        self.socket_mode = bool(settings.slack_app_token)
        self.app = AsyncApp(
            client=self.client,
            signing_secret=settings.slack_signing_secret,
            process_before_response=True,
            request_verification_enabled=not self.socket_mode,
            logger=BOLT_LOG,
        )
        self.callers = Callers(self.client, briefings.moderators)
        self.bot_user = ""
        self.http: HttpServer | None = None
        self.routes: list[web.RouteDef] = []
        """More routes for the HTTP server (health and metrics), set before `start`."""
        self.socket: Any = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._seen_events: OrderedDict[str, None] = OrderedDict()
        self._register()

    @property
    def port(self) -> int | None:
        """The HTTP port actually bound (useful with port 0), or None in Socket Mode."""
        return self.http.port if self.http else None

    # ---- lifecycle

    async def start(self) -> None:
        """Checks the credentials, then listens (HTTP) or connects (Socket Mode); returns when ready."""
        if not self.settings.slack_bot_token:
            raise SlackSetupError("SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token from OAuth & Permissions.")
        if not self.socket_mode and not self.settings.slack_signing_secret:
            raise SlackSetupError(
                "SLACK_SIGNING_SECRET is not set: copy the Signing Secret from the app's Basic Information page "
                "(or set SLACK_APP_TOKEN to use Socket Mode instead of HTTP)."
            )
        identity = await check_bot_token(self.client, need_groups=bool(group_ids(self.briefings.moderators)))
        self.bot_user = str(identity.get("user_id") or "")
        self.client.session = aiohttp.ClientSession()  # from here on, Web API calls reuse their connections
        try:
            if self.socket_mode:
                await self._connect_socket()
            else:
                server = HttpServer.configured(self.app, self.settings, self.routes)
                await server.start()
                self.http = server
                log.info("Slack events endpoint on http://%s:%s/slack/events", self.settings.host, self.port)
        except BaseException:
            await self._close_session()
            raise

    async def _connect_socket(self) -> None:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        url = await open_socket_url(self.client, self.settings.slack_app_token)
        handler: Any = AsyncSocketModeHandler(self.app, self.settings.slack_app_token, web_client=self.client)
        handler.client.wss_uri = url
        self.socket = handler
        try:
            await asyncio.wait_for(handler.connect_async(), 15)
        except TimeoutError:
            await handler.close_async()
            raise SlackSetupError(f"Could not open the Socket Mode connection to {url}; check the network.") from None
        log.info("Slack Socket Mode connected")

    async def connected(self) -> bool:
        if self.socket is not None:
            return bool(await self.socket.client.is_connected())
        return self.http is not None

    async def stop(self) -> None:
        """Stops taking requests, lets work in flight finish (briefly), then closes."""
        if self.http is not None:
            await self.http.stop()
            self.http = None
        if self.socket is not None:
            await self.socket.close_async()
            self.socket = None
        if self._tasks:
            _, pending = await asyncio.wait(set(self._tasks), timeout=5)
            for task in pending:
                task.cancel()
        await self._close_session()

    async def _close_session(self) -> None:
        session, self.client.session = self.client.session, None
        if session is not None:
            await session.close()

    def _spawn(self, work: Coroutine[Any, Any, None], what: str) -> None:
        """Runs work after the ack; failures are logged with `what`."""

        async def guarded() -> None:
            try:
                await work
            except Exception:
                log.exception("Slack: %s failed", what)

        task = asyncio.get_running_loop().create_task(guarded())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ---- the digest runner's side

    async def post(self, channel: str, reply: Reply, run_key: str) -> str:
        return await posting.post(self.client, channel, reply, run_key)

    async def find_posted(self, channel: str, run_key: str) -> str | None:
        return await posting.find_posted(self.client, channel, run_key)

    # ---- listeners

    def _register(self) -> None:
        # one listener for every command: Bolt tries listeners in turn, so this keeps each request's dispatch short
        every = "|".join(re.escape(name) for name in {*command_names(), self.settings.command})
        self.app.command(re.compile(f"^/(?:{every})$"))(self._on_command)
        self.app.action(blocks.SHARE_ACTION)(self._on_share)
        self.app.event("app_mention")(self._on_mention)
        self.app.event("app_home_opened")(self._on_home)
        for form in forms.FORMS.values():
            self.app.view(form.callback_id)(self._on_submit)
        self.app.error(self._on_error)
        self.app.middleware(SlackThrottle.configured(self.settings).middleware)

    async def _on_error(self, error: Exception, body: dict[str, Any]) -> None:
        log.error("Slack request failed: %r (payload type %s)", error, body.get("type") or body.get("command"))

    async def _on_command(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        typed = blocks.unescape(str(body.get("text") or ""))
        text = core_text(str(body.get("command", "")), typed, self.settings.command)
        channel, user = str(body.get("channel_id", "")), str(body.get("user_id", ""))
        try:
            caller = await self.callers.caller(user, channel, str(body.get("user_name") or ""))
            form = forms.form_for(text)
            if form is not None and self.briefings.moderators.allow(caller):
                await self._open_form(ack, form, channel, str(body.get("trigger_id", "")))
                return
            job = asyncio.ensure_future(self.briefings.handle(text, caller, once.request_key(body)))
            await asyncio.wait((job,), timeout=self.ack_within)
            if not job.done():
                await ack(text=WORKING, response_type="ephemeral")
                self._spawn(
                    self._answer_later(job, text, respond, channel, caller), f"{text!r} for {user} in {channel}"
                )
                return
            reply = job.result()
            if text.startswith("/help"):
                reply = with_entry_note(reply, str(body.get("command", "")), self.settings.command)
            pages = self._pages(reply, text)
            await ack(**pages[0])
            if len(pages) > 1:
                self._spawn(self._follow_up(pages[1:], respond), f"follow-ups of {text!r}")
            if reply.ok and reply.image is not None:
                self._spawn(self._chart(reply, channel, caller, text, respond), f"chart of {text!r} in {channel}")
        except Exception:
            log.exception("Slack %r failed for %s in %s", text, user, channel)
            await ack(text=SORRY, response_type="ephemeral")

    def _pages(self, reply: Reply, text: str) -> list[dict[str, Any]]:
        """Ephemeral answers: blocks with a share button, or plain words for refusals and errors."""
        if not reply.ok:
            return [{"text": blocks.plain_text(reply), "response_type": "ephemeral"}]
        share = text if shareable(text) else None
        key = ("slack", share)
        pages: list[dict[str, Any]] | None = reply.renderings.get(key)
        if pages is None:
            found = fitted(reply, text, share=share)
            pages = reply.renderings[key] = [{**m.as_kwargs(), "response_type": "ephemeral"} for m in found]
        return pages

    async def _answer_later(
        self, job: asyncio.Future[Reply], text: str, respond: AsyncRespond, channel: str, caller: Caller
    ) -> None:
        reply = await job
        await self._follow_up(self._pages(reply, text), respond, replace=True)
        if reply.ok and reply.image is not None:
            await self._chart(reply, channel, caller, text, respond)

    async def _chart(self, reply: Reply, channel: str, caller: Caller, text: str, respond: AsyncRespond) -> None:
        """A slash command's chart: files can't be ephemeral, so it is uploaded to the channel, saying who asked."""
        assert reply.image is not None
        comment = line(u(reply.title), " (asked by ", u(caller.name or "a member"), f": {command_name(text)})")
        try:
            await posting.upload(self.client, channel, reply.image, comment=blocks.mrkdwn_text(comment))
        except SlackApiError as exc:
            error = error_code(exc)
            log.warning("uploading the chart of %r in %s failed: %s", text, channel, error)
            words = (
                NO_CHART_SCOPE if error == "missing_scope" else "I couldn't upload the chart; the figures are above."
            )
            await respond(text=NOT_IN_CHANNEL if error in _CHANNEL_ERRORS else words, replace_original=False)

    async def _follow_up(self, pages: list[dict[str, Any]], respond: AsyncRespond, replace: bool = False) -> None:
        for number, page in enumerate(pages[:MAX_FOLLOW_UPS]):
            await respond(**page, replace_original=replace and number == 0)

    async def _open_form(self, ack: AsyncAck, form: forms.Form, channel: str, trigger_id: str) -> None:
        try:
            await self.client.views_open(trigger_id=trigger_id, view=forms.view(form, channel))
        except SlackApiError as exc:
            log.error("Slack views.open for %s failed: %s", form.callback_id, error_code(exc))
            await ack(text=f"I couldn't open the form; type the command instead: {form.command} key=value ...")
            return
        await ack()

    async def _on_submit(self, ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        form = forms.FORMS[str(view.get("callback_id"))]
        user_info = body.get("user") or {}
        user = str(user_info.get("id", ""))
        channel = forms.channel_of(view)
        built = forms.command_text(form, (view.get("state") or {}).get("values") or {})
        if isinstance(built, dict):
            await ack(response_action="errors", errors=built)
            return

        async def submit() -> Reply:
            caller = await self.callers.caller(user, channel, str(user_info.get("name") or ""))
            return await self.briefings.handle(built, caller, once.view_key(body, view))

        try:
            job = asyncio.ensure_future(submit())
            await asyncio.wait((job,), timeout=self.ack_within)
            if not job.done():  # the form closes within Slack's 3 s; the outcome follows as a message
                await ack()
                self._spawn(self._tell_when_done(job, user, channel), f"{form.callback_id} for {user}")
                return
            reply = job.result()
        except Exception:
            log.exception("Slack form %s failed for %s in %s", form.callback_id, user, channel)
            await ack(response_action="errors", errors={form.general: SORRY})
            return
        if not reply.ok:
            await ack(response_action="errors", errors=forms.field_errors(form, reply))
            return
        await ack()
        self._spawn(self._tell(user, channel, reply), f"confirmation of {form.callback_id} to {user}")

    async def _tell_when_done(self, job: asyncio.Future[Reply], user: str, channel: str) -> None:
        try:
            reply = await job
        except Exception:
            log.exception("Slack form failed for %s in %s", user, channel)
            reply = problem(SORRY)
        await self._tell(user, channel, reply)

    async def _tell(self, user: str, channel: str, reply: Reply) -> None:
        """Shows `reply` to one person: ephemerally where they opened the form, else by direct message."""
        message = fitted(reply, "", limit=1)[0]
        if channel:
            try:
                await self.client.chat_postEphemeral(channel=channel, user=user, **message.as_kwargs())
                return
            except SlackApiError as exc:
                log.info("ephemeral confirmation in %s failed (%s); sending a DM", channel, error_code(exc))
        await self.client.chat_postMessage(channel=user, **message.as_kwargs())

    async def _on_share(self, ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        action = (body.get("actions") or [{}])[0]
        self._spawn(self._share(body, str(action.get("value") or ""), respond), "Post to channel")

    async def _share(self, body: dict[str, Any], text: str, respond: AsyncRespond) -> None:
        user_info = body.get("user") or {}
        channel = str((body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id") or "")
        user = str(user_info.get("id", ""))
        if not shareable(text):
            await respond(text="That answer can't be posted to the channel.", replace_original=False)
            return
        caller = await self.callers.caller(user, channel, str(user_info.get("name") or ""))
        key = once.request_key(body)
        if await RequestLedger(self.briefings.store).claim(key, caller.ident) is not None:  # a click sent again
            await respond(text="That answer was posted to the channel already.", replace_original=False)
            return
        reply = await self.briefings.handle(text, caller)
        if not reply.ok:
            await respond(text=blocks.plain_text(reply), replace_original=False)
            return
        note = line("Shared by ", u(caller.name or "a member"), f" · {command_name(text)}")
        try:
            for part, message in enumerate(fitted(reply, text, note=note)):
                marker = once.Marker("briefing_share", {"request": key[-16:], "part": part})
                kwargs = {"unfurl_links": False, "unfurl_media": False, **message.as_kwargs()}
                await once.post_once(self.client, channel, kwargs, marker)
            if reply.image is not None:
                await posting.upload(self.client, channel, reply.image)
        except SlackApiError as exc:
            error = error_code(exc)
            log.warning("sharing %r by %s in %s failed: %s", text, user, channel, error)
            await respond(text=NOT_IN_CHANNEL if error in _CHANNEL_ERRORS else SORRY, replace_original=False)

    def _first_delivery(self, body: dict[str, Any]) -> bool:
        """False for an event Slack delivers again (it retries when an answer seems slow): answer once."""
        event_id = str(body.get("event_id") or "")
        if not event_id:
            return True
        if event_id in self._seen_events:
            return False
        self._seen_events[event_id] = None
        while len(self._seen_events) > SEEN_EVENTS:
            self._seen_events.popitem(last=False)
        return True

    async def _on_mention(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if self._first_delivery(body):
            self._spawn(self._mention(event, once.request_key(body)), f"mention in {event.get('channel')}")

    async def _mention(self, event: dict[str, Any], request_id: str = "") -> None:
        """`@Briefing toll rome` is `/toll rome`, and `@Briefing how many died in Rome?` a question: answered
        in a thread, with any chart uploaded to the thread (refusals only to the asker)."""
        text = blocks.unescape(command_from_mention(str(event.get("text") or ""), self.bot_user))
        channel, user = str(event.get("channel", "")), str(event.get("user", ""))
        thread = str(event.get("thread_ts") or event.get("ts") or "")
        caller = await self.callers.caller(user, channel)
        reply = await self.briefings.handle(text, caller, request_id)
        if not reply.ok:
            await self.client.chat_postEphemeral(
                channel=channel, user=user, thread_ts=thread, text=blocks.plain_text(reply)
            )
            return
        for part, message in enumerate(fitted(reply, text)):
            marker = once.Marker("briefing_answer", {"asked": str(event.get("ts") or ""), "part": part})
            kwargs = {"thread_ts": thread, "unfurl_links": False, "unfurl_media": False, **message.as_kwargs()}
            await once.post_once(self.client, channel, kwargs, marker)
        if reply.image is not None:
            await posting.upload(self.client, channel, reply.image, thread_ts=thread)

    async def _on_home(self, body: dict[str, Any], event: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home" and self._first_delivery(body):
            self._spawn(self._publish_home(str(event.get("user", "")), str(event.get("channel", ""))), "App Home")

    async def _publish_home(self, user: str, channel: str) -> None:
        caller: Caller = await self.callers.caller(user, channel)
        reply = await self.briefings.handle("/brief", caller)
        await self.client.views_publish(user_id=user, view=blocks.home_view(reply))


__all__ = ["SlackAdapter", "SlackSetupError"]
