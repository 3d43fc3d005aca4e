"""A fake Discord on 127.0.0.1: the REST routes discord.py uses here, and a gateway websocket.

It records every request (`calls`), answers JSON with exactly `Content-Type: application/json`, and lets a
test dispatch gateway events (`interact`), drop the websocket (`drop`) and refuse things (`reject_token`,
`forbidden_channels`)."""

from __future__ import annotations

import asyncio
import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yarl
from aiohttp import BodyPartReader, WSMsgType, web

JSON = {"Content-Type": "application/json"}
APP_ID = "1300000000000000001"
BOT_ID = "1300000000000000002"
GUILD_ID = "4242"
CHANNEL_ID = "1300000000000000003"
MOD_ROLE = "999"
TIMESTAMP = "2025-03-08T12:00:00.000000+00:00"
SENT = (1741435200000 - 1420070400000) << 22
"""A snowflake id's time part for TIMESTAMP (milliseconds since Discord's epoch, 2015-01-01)."""
Json = dict[str, Any]


@dataclass
class Call:
    method: str
    path: str
    body: Any
    query: dict[str, str] = field(default_factory=dict)
    files: list[Json] = field(default_factory=list)
    """Files of a multipart request: `{"name", "filename", "content_type", "data"}` (data as bytes)."""


def user(user_id: str, name: str, bot: bool = False) -> Json:
    return {"id": user_id, "username": name, "global_name": name, "discriminator": "0", "avatar": None, "bot": bot}


def role(role_id: str, name: str, position: int) -> Json:
    return {
        "id": role_id,
        "name": name,
        "permissions": "0",
        "position": position,
        "color": 0,
        "hoist": False,
        "managed": False,
        "mentionable": False,
        "flags": 0,
    }


class FakeDiscord:
    """Start with `await fake.start()`; `rest_url` and `gateway_url` are what discord.py is pointed at."""

    def __init__(self, token: str = "test-token") -> None:
        self.token = token
        self.calls: list[Call] = []
        self.gateway_ops: list[Json] = []
        self.gateway_paths: list[str] = []
        self.messages: dict[str, list[Json]] = {}
        self.forbidden_channels: set[str] = set()
        self.lost_answers = 0
        """How many of the next channel message posts take effect and then answer HTTP 500 (the answer is lost)."""
        self.hang_ups = 0
        self.rate_limited = 0
        """How many of the next channel message posts answer HTTP 429 (not taken; retry after 50 ms)."""
        """How many of the next channel message posts take effect and then close the connection unanswered."""
        self._nonces: dict[tuple[str, str], Json] = {}
        self.bot = user(BOT_ID, "briefing-bot", bot=True)
        self._ids = itertools.count(1300000000000001000)
        self._seq = itertools.count(1)
        self._changed = asyncio.Condition()
        self._socket: web.WebSocketResponse | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0

    # server

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/resume", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def rest_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> yarl.URL:
        return yarl.URL(f"ws://127.0.0.1:{self.port}/gateway")

    @property
    def resume_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/resume"

    def next_id(self) -> str:
        return str(next(self._ids))

    async def _record(self, call: Call | None = None, op: Json | None = None) -> None:
        async with self._changed:
            if call is not None:
                self.calls.append(call)
            if op is not None:
                self.gateway_ops.append(op)
            self._changed.notify_all()

    async def wait_for(self, found: Callable[[], Any], timeout: float = 5.0) -> Any:
        """Waits until `found()` returns something truthy (checked after each recorded call) and returns it."""

        async def check() -> Any:
            async with self._changed:
                while not (result := found()):
                    await self._changed.wait()
                return result

        return await asyncio.wait_for(check(), timeout)

    # REST

    def _json(self, data: Any, status: int = 200) -> web.Response:
        return web.Response(body=json.dumps(data).encode(), status=status, headers=JSON)

    def _error(self, status: int, message: str, code: int = 0) -> web.Response:
        return self._json({"message": message, "code": code}, status)

    async def _rest(self, request: web.Request) -> web.Response:
        files: list[Json] = []
        if request.content_type.startswith("multipart/"):
            body = None
            reader = await request.multipart()
            async for part in reader:
                if not isinstance(part, BodyPartReader):
                    continue
                data = await part.read()
                if part.name == "payload_json":
                    body = json.loads(data)
                else:
                    files.append(
                        {
                            "name": part.name,
                            "filename": part.filename,
                            "content_type": part.headers.get("Content-Type", ""),
                            "data": bytes(data),
                        }
                    )
        else:
            raw = await request.text()
            body = json.loads(raw) if raw else None
        path = "/" + request.match_info["path"]
        call = Call(request.method, path, body, dict(request.query), files)
        await self._record(call)
        if request.headers.get("Authorization") not in (f"Bot {self.token}", None):
            return self._error(401, "401: Unauthorized")
        parts = path.strip("/").split("/")
        route = (request.method, *parts)
        if self.rate_limited and route[:2] == ("POST", "channels") and route[3:] == ("messages",):
            self.rate_limited -= 1
            limited = self._json({"message": "You are being rate limited.", "retry_after": 0.05, "global": False}, 429)
            limited.headers["Via"] = "1.1 fake"  # what discord.py takes as Discord's own 429, not a proxy's
            return limited
        if route == ("GET", "users", "@me"):
            return self._json(self.bot)
        if route == ("GET", "oauth2", "applications", "@me"):
            return self._json(self._application())
        if request.method == "PUT" and parts[0] == "applications" and parts[-1] == "commands":
            return self._json([self._registered(command) for command in body or []])
        if request.method == "POST" and parts[0] == "interactions" and parts[-1] == "callback":
            return self._json(self._callback(parts[1], body or {}))
        if parts[0] == "webhooks":
            return self._json(self._message(CHANNEL_ID, body or {}))
        if parts[0] == "channels" and parts[-1] == "messages":
            channel = parts[1]
            if channel in self.forbidden_channels:
                return self._error(403, "Missing Permissions", 50013)
            if request.method == "GET":
                limit = int(request.query.get("limit", "50"))
                return self._json(list(reversed(self.messages.get(channel, [])))[:limit])
            message = self._sent(channel, body or {})
            if self.lost_answers:
                self.lost_answers -= 1
                return self._error(500, "500: Internal Server Error")
            if self.hang_ups:
                self.hang_ups -= 1
                if request.transport is not None:
                    request.transport.close()
                raise web.HTTPInternalServerError()
            return self._json(message)
        return self._error(404, f"Unknown route {request.method} {path}", 10000)

    def _sent(self, channel: str, body: Json) -> Json:
        """A new message, or, as Discord does for `enforce_nonce`, the one already sent with the same nonce."""
        nonce = body.get("nonce")
        if nonce and body.get("enforce_nonce") and (channel, str(nonce)) in self._nonces:
            return self._nonces[(channel, str(nonce))]
        message = self._message(channel, body)
        self.messages.setdefault(channel, []).append(message)
        if nonce:
            self._nonces[(channel, str(nonce))] = message
        return message

    def _application(self) -> Json:
        return {
            "id": APP_ID,
            "name": "Briefings",
            "icon": None,
            "description": "",
            "bot_public": False,
            "bot_require_code_grant": False,
            "owner": user("1300000000000000009", "owner"),
            "verify_key": "0" * 64,
            "flags": 0,
            "team": None,
        }

    def _registered(self, command: Json) -> Json:
        # context menu commands have no description; Discord answers with an empty one
        registered = {"id": self.next_id(), "application_id": APP_ID, "version": "1", "type": 1, "description": ""}
        return {**registered, **command}

    def _callback(self, interaction_id: str, body: Json) -> Json:
        data = body.get("data") or {}
        message = self._message(CHANNEL_ID, data) if body.get("type") in (4, 5) else None
        return {
            "interaction": {
                "id": interaction_id,
                "type": body.get("type"),
                "response_message_id": message["id"] if message else None,
                "response_message_loading": body.get("type") == 5,
                "response_message_ephemeral": bool(data.get("flags", 0) & 64),
            },
            "resource": {"type": body.get("type"), "message": message} if message else None,
        }

    def message_for(self, callback: Json) -> Json:
        """The message an interaction callback created, as Discord shows it in later interactions."""
        return self._message(CHANNEL_ID, callback.get("data") or {})

    def _message(self, channel: str, body: Json) -> Json:
        return {
            "id": self.next_id(),
            "channel_id": channel,
            "type": 0,
            "content": body.get("content") or "",
            "author": self.bot,
            "embeds": body.get("embeds") or [],
            "attachments": [],
            "mentions": [],
            "mention_roles": [],
            "mention_everyone": False,
            "pinned": False,
            "tts": False,
            "timestamp": TIMESTAMP,
            "edited_timestamp": None,
            "flags": body.get("flags") or 0,
            "components": body.get("components") or [],
            "nonce": body.get("nonce"),
        }

    # gateway

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._socket = socket
        self.gateway_paths.append(request.path)
        await socket.send_json({"op": 10, "d": {"heartbeat_interval": 41250}, "s": None, "t": None})
        async for frame in socket:
            if frame.type is not WSMsgType.TEXT:
                continue
            payload = json.loads(frame.data)
            await self._record(op=payload)
            op = payload.get("op")
            if op == 1:
                await socket.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif op == 2:
                await self.dispatch("READY", self._ready())
                await self.dispatch("GUILD_CREATE", self._guild())
            elif op == 6:
                await self.dispatch("RESUMED", {})
        return socket

    async def dispatch(self, event: str, data: Json) -> None:
        assert self._socket is not None and not self._socket.closed, "no gateway connection"
        await self._socket.send_json({"op": 0, "t": event, "s": next(self._seq), "d": data})

    async def drop(self, code: int = 4000) -> None:
        """Closes the websocket with a resumable code, as Discord does now and then."""
        assert self._socket is not None
        await self._socket.close(code=code)

    def _ready(self) -> Json:
        return {
            "v": 10,
            "user": self.bot,
            "guilds": [{"id": GUILD_ID, "unavailable": True}],
            "session_id": "fake-session",
            "resume_gateway_url": self.resume_url,
            "application": {"id": APP_ID, "flags": 0},
            "shard": [0, 1],
        }

    def _guild(self) -> Json:
        return {
            "id": GUILD_ID,
            "name": "Newsroom",
            "icon": None,
            "owner_id": "1300000000000000009",
            "roles": [role(GUILD_ID, "@everyone", 0), role(MOD_ROLE, "Moderators", 1)],
            "channels": [{"id": CHANNEL_ID, "type": 0, "name": "general", "position": 0, "permission_overwrites": []}],
            "members": [],
            "member_count": 3,
            "unavailable": False,
            "features": [],
            "emojis": [],
            "stickers": [],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "large": False,
            "joined_at": TIMESTAMP,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "nsfw_level": 0,
            "preferred_locale": "en-US",
        }

    # interactions

    def interaction(self, kind: int, data: Json, *, user_id: str = "222", roles: list[str] | None = None) -> Json:
        """An INTERACTION_CREATE payload from a member of the guild in the text channel."""
        member_user = user(user_id, f"user{user_id}")
        return {
            "id": self.next_id(),
            "application_id": APP_ID,
            "type": kind,
            "data": data,
            "guild_id": GUILD_ID,
            "channel_id": CHANNEL_ID,
            "channel": {"id": CHANNEL_ID, "type": 0, "guild_id": GUILD_ID, "name": "general"},
            "member": {
                "user": member_user,
                "roles": roles or [],
                "joined_at": TIMESTAMP,
                "deaf": False,
                "mute": False,
                "flags": 0,
                "permissions": "1099511627775",
            },
            "token": f"token-{self.next_id()}",
            "version": 1,
            "app_permissions": "1099511627775",
            "locale": "en-US",
            "guild_locale": "en-US",
            "entitlements": [],
            "authorizing_integration_owners": {"0": GUILD_ID},
            "context": 0,
            "attachment_size_limit": 8388608,
        }

    def command(self, name: str, options: Json | None = None, **who: Any) -> Json:
        """A slash command (type 2) with `options` as name -> value; `briefing toll` is a group's subcommand."""
        given = [{"name": k, "type": _option_type(v), "value": v} for k, v in (options or {}).items()]
        data = {"id": self.next_id(), "name": name, "type": 1, "guild_id": GUILD_ID, **_nested(name, given)}
        return self.interaction(2, data, **who)

    def autocomplete(self, name: str, option: str, value: str, **who: Any) -> Json:
        given = [{"name": option, "type": 3, "value": value, "focused": True}]
        data = {"id": self.next_id(), "name": name, "type": 1, "guild_id": GUILD_ID, **_nested(name, given)}
        return self.interaction(4, data, **who)

    def button(self, message: Json, custom_id: str, **who: Any) -> Json:
        """A click (type 3) on a button of `message`."""
        payload = self.interaction(3, {"custom_id": custom_id, "component_type": 2}, **who)
        payload["message"] = message
        return payload

    def modal_submit(self, custom_id: str, values: dict[str, str], message: Json | None = None, **who: Any) -> Json:
        """A form submitted; `message` is the one whose button opened it (Discord sends it along)."""
        rows = [{"type": 1, "components": [{"type": 4, "custom_id": k, "value": v}]} for k, v in values.items()]
        payload = self.interaction(5, {"custom_id": custom_id, "components": rows}, **who)
        if message is not None:
            payload["message"] = message
        return payload

    def posted_by(self, user_id: str, content: str) -> Json:
        """A message a person (not the bot) wrote in the text channel at TIMESTAMP (which its id tells too)."""
        written = self._message(CHANNEL_ID, {"content": content})
        return {**written, "id": str(int(written["id"]) % 2**22 + SENT), "author": user(user_id, f"user{user_id}")}

    def message_command(self, name: str, target: Json, **who: Any) -> Json:
        """A message command (type 2, command type 3) chosen on `target` from its context menu."""
        resolved = {"messages": {target["id"]: target}}
        data = {"id": self.next_id(), "name": name, "type": 3, "guild_id": GUILD_ID, "target_id": target["id"]}
        return self.interaction(2, {**data, "resolved": resolved}, **who)

    def callbacks(self, interaction: Json) -> list[Call]:
        return [c for c in self.calls if c.path == f"/interactions/{interaction['id']}/{interaction['token']}/callback"]

    def callbacks_with_files(self) -> list[Call]:
        """Interaction callbacks and follow-ups that came as multipart with files."""
        return [c for c in self.calls if c.files and ("/callback" in c.path or c.path.startswith("/webhooks/"))]

    def followups(self, interaction: Json) -> list[Call]:
        return [c for c in self.calls if c.path.startswith(f"/webhooks/{APP_ID}/{interaction['token']}")]

    async def interact(self, interaction: Json, timeout: float = 5.0) -> Json:
        """Dispatches the interaction and returns the body of its callback."""
        await self.dispatch("INTERACTION_CREATE", interaction)
        call: Call = await self.wait_for(lambda: next(iter(self.callbacks(interaction)), None), timeout)
        body: Json = call.body
        return body


def _nested(name: str, options: list[Json]) -> Json:
    """The interaction's name and options: `briefing toll` is the subcommand `toll` (option type 1) of `briefing`."""
    group, _, sub = name.partition(" ")
    if not sub:
        return {"name": name, "options": options}
    return {"name": group, "options": [{"name": sub, "type": 1, "options": options}]}


def _option_type(value: Any) -> int:
    if isinstance(value, bool):
        return 5
    if isinstance(value, int):
        return 4
    return 3
