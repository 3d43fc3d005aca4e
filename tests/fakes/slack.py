"""A fake Slack on 127.0.0.1: the Web API methods the bot calls, `response_url` posts, and a Socket Mode websocket.

It records every call, answers Slack-shaped JSON, can answer a method with an error or with HTTP 429 and
`Retry-After`, and lets a test wait for a call instead of sleeping.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import WSMsgType, web

from bot.settings import Settings
from tests.conftest import SEEDS

ALL_SCOPES = (
    "commands,chat:write,chat:write.public,app_mentions:read,channels:history,groups:history,"
    "usergroups:read,users:read,im:write,files:write"
)


@dataclass
class Call:
    """One request the bot made: the API method (or `response_url`), its parameters and the bearer token."""

    method: str
    params: dict[str, Any]
    token: str = ""
    path: str = ""


@dataclass
class FakeSlack:
    team_id: str = "T0TEST"
    bot_user: str = "UBOT"
    scopes: str | None = ALL_SCOPES
    calls: list[Call] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    """Method -> Slack error code to answer it with (`{"ok": false, "error": ...}`)."""
    rate_limits: dict[str, list[int]] = field(default_factory=dict)
    """Method -> Retry-After values: each call first consumes one and gets a 429."""
    dropped: dict[str, int] = field(default_factory=dict)
    """Method -> how many of its next calls take effect and then lose their answer (the connection is closed)."""
    lost: dict[str, int] = field(default_factory=dict)
    """Method -> how many of its next calls are lost before taking effect (the connection is closed)."""
    usergroups: dict[str, list[str]] = field(default_factory=dict)
    users: dict[str, str] = field(default_factory=dict)
    """User id -> display name for users.info."""
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    socket_messages: list[dict[str, Any]] = field(default_factory=list)
    uploads: dict[str, dict[str, Any]] = field(default_factory=dict)
    """File id -> {"filename", "length", "alt_txt", "data" (bytes, once uploaded), "channel", "thread_ts", ...}."""
    port: int = 0

    def __post_init__(self) -> None:
        self._changed = asyncio.Condition()
        self._ts = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._socket: web.WebSocketResponse | None = None
        self.socket_connected = asyncio.Event()

    # ---- lifecycle and addresses

    async def start(self) -> Self:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{name}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._websocket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        return self

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"http://127.0.0.1:{self.port}/respond/{name}"

    # ---- what tests look at

    def called(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Waits until `method` has been called `count` times; returns those calls."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: len(self.called(method)) >= count)
        return self.called(method)

    def rate_limit(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        self.rate_limits.setdefault(method, []).extend([retry_after] * times)

    async def _record(self, call: Call) -> None:
        async with self._changed:
            self.calls.append(call)
            self._changed.notify_all()

    # ---- Web API

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
        elif request.can_read_body:
            params.update(dict(await request.post()))
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        params = await self._params(request)
        await self._record(Call(method, params, token, request.path))
        waits = self.rate_limits.get(method)
        if waits:
            retry_after = waits.pop(0)
            body = json.dumps({"ok": False, "error": "ratelimited"})
            return web.Response(
                status=429, text=body, content_type="application/json", headers={"Retry-After": str(retry_after)}
            )
        if method in self.errors:
            return web.json_response({"ok": False, "error": self.errors[method]})
        if self.lost.get(method):
            self.lost[method] -= 1
            self._hang_up(request)
        answer = getattr(self, "_" + method.replace(".", "_"), None)
        data: dict[str, Any] = answer(params, token) if answer else {}
        if self.dropped.get(method):
            self.dropped[method] -= 1
            self._hang_up(request)  # done, but the bot never hears back
        headers = {"X-OAuth-Scopes": self.scopes} if method == "auth.test" and self.scopes is not None else None
        return web.json_response({"ok": True, **data}, headers=headers)

    @staticmethod
    def _hang_up(request: web.Request) -> None:
        """Closes the connection without an answer."""
        if request.transport is not None:
            request.transport.close()
        raise web.HTTPInternalServerError()

    def _auth_test(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        return {
            "url": "https://test.slack.com/",
            "team": "Test",
            "team_id": self.team_id,
            "user": "briefing",
            "user_id": self.bot_user,
            "bot_id": "B0BOT",
        }

    def _chat_postMessage(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        channel = str(params["channel"])
        message = {
            "type": "message",
            "ts": f"1700000000.{next(self._ts):06d}",
            "text": params.get("text", ""),
            "blocks": params.get("blocks") or [],
            "bot_id": "B0BOT",
        }
        if params.get("thread_ts"):
            message["thread_ts"] = params["thread_ts"]
        if params.get("metadata"):
            metadata = params["metadata"]
            message["metadata"] = json.loads(metadata) if isinstance(metadata, str) else metadata
        self.history.setdefault(channel, []).append(message)
        return {"channel": channel, "ts": message["ts"], "message": message}

    def _chat_postEphemeral(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        return {"message_ts": f"1700000000.{next(self._ts):06d}"}

    def _conversations_history(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        messages = list(reversed(self.history.get(str(params.get("channel")), [])))
        if not with_metadata:
            messages = [{k: v for k, v in m.items() if k != "metadata"} for m in messages]
        return {"messages": messages[: int(params.get("limit") or 100)], "has_more": False}

    def _conversations_replies(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        thread = str(params.get("ts"))
        messages = [
            m for m in self.history.get(str(params.get("channel")), []) if thread in (m["ts"], m.get("thread_ts"))
        ]
        return {"messages": messages[: int(params.get("limit") or 100)], "has_more": False}

    def _views_open(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        return {"view": {"id": "V0VIEW", **_decoded(params.get("view"))}}

    def _views_publish(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        return {"view": {"id": "V0HOME", **_decoded(params.get("view"))}}

    def _usergroups_users_list(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        return {"users": self.usergroups.get(str(params.get("usergroup")), [])}

    def _users_info(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        user = str(params.get("user"))
        name = self.users.get(user, user.lower())
        return {"user": {"id": user, "name": name, "profile": {"display_name": name}}}

    # ---- files: files_upload_v2 = getUploadURLExternal, a POST of the bytes to upload_url, completeUploadExternal

    def _files_getUploadURLExternal(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        file_id = f"F{len(self.uploads) + 1:07d}"
        self.uploads[file_id] = {
            "filename": params.get("filename"),
            "length": int(params.get("length") or 0),
            "alt_txt": params.get("alt_txt"),
            "data": None,
        }
        return {"upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}", "file_id": file_id}

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        data = await request.read()
        if file_id not in self.uploads:
            return web.Response(status=404, text="unknown upload")
        self.uploads[file_id]["data"] = data
        await self._record(Call("upload", {"file_id": file_id, "size": len(data)}, path=request.path))
        return web.Response(text=f"OK - {len(data)}")

    def _files_completeUploadExternal(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        files = params.get("files")
        files = json.loads(files) if isinstance(files, str) else files or []
        done = []
        for item in files:
            upload = self.uploads.get(str(item.get("id")))
            if upload is None or upload["data"] is None:
                continue
            upload.update(
                title=item.get("title"),
                channel=params.get("channel_id"),
                thread_ts=params.get("thread_ts"),
                initial_comment=params.get("initial_comment"),
            )
            done.append({"id": item["id"], "name": upload["filename"], "title": item.get("title")})
        return {"files": done}

    def _apps_connections_open(self, params: dict[str, Any], token: str) -> dict[str, Any]:
        return {"url": f"ws://127.0.0.1:{self.port}/socket"}

    # ---- response_url

    async def _respond(self, request: web.Request) -> web.Response:
        await self._record(Call("response_url", await request.json(), path=request.path))
        return web.Response(text="ok")

    # ---- Socket Mode

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        await socket.send_str(json.dumps({"type": "hello", "num_connections": 1, "debug_info": {}}))
        self.socket_connected.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                async with self._changed:
                    self.socket_messages.append(json.loads(message.data))
                    self._changed.notify_all()
        return socket

    async def send_envelope(self, kind: str, payload: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
        """Sends a Socket Mode envelope and returns the bot's acknowledgement of it."""
        await asyncio.wait_for(self.socket_connected.wait(), timeout)
        assert self._socket is not None
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": 0,
            "retry_reason": "",
        }
        await self._socket.send_str(json.dumps(envelope))

        def acked() -> list[dict[str, Any]]:
            return [m for m in self.socket_messages if m.get("envelope_id") == envelope_id]

        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(lambda: bool(acked()))
        return acked()[0]


def _decoded(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        decoded: dict[str, Any] = json.loads(value)
        return decoded
    return dict(value or {})


SECRET = "secret"
"""The signing secret `bot_settings` gives the bot (sign test requests with it)."""


def bot_settings(database_url: str, slack: FakeSlack, **extra: Any) -> Settings:
    """Settings for a bot served against `slack`: HTTP on a free port of 127.0.0.1, the project's seeds, U0MOD
    moderating; `extra` overrides any of them."""
    values: dict[str, Any] = {
        "database_url": database_url,
        "seeds": SEEDS,
        "moderators": "slack:U0MOD",
        "situation": "",
        "slack_bot_token": "xoxb-test",
        "slack_signing_secret": SECRET,
        "slack_app_token": "",
        "slack_api_url": slack.api_url,
        "port": 0,
        "host": "127.0.0.1",
        **extra,
    }
    return Settings(**values)
