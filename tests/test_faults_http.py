"""Abuse of the Slack endpoint: malformed, unsigned, oversized and mislabelled requests to `POST /slack/events`.

Each gets a 4xx, the server keeps answering good requests, and nothing is written (revision count unchanged,
nothing posted to Slack)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from sqlalchemy import func, select

from bot.slack_chat.adapter import SlackAdapter
from briefings.service import Briefings
from briefings.store.schema import revisions
from tests.fakes.slack import SECRET, FakeSlack
from tests.test_slack import running

MODERATOR = "U0MOD"
FORM = "application/x-www-form-urlencoded"


def sign(body: bytes, secret: str = SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Slack's signature over the raw bytes (works for any body, not only UTF-8)."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def form(**fields: str) -> bytes:
    return urllib.parse.urlencode(fields).encode()


def command(text: str, user: str = MODERATOR, **extra: str) -> bytes:
    name, _, rest = text.partition(" ")
    return form(command=name, text=rest, user_id=user, user_name="mod", channel_id="C1", team_id="T0TEST", **extra)


def payload(data: object) -> bytes:
    return form(payload=json.dumps(data))


UPDATE = command("/update toll killed=999 source=SOHR confirm=yes")


@dataclass
class Server:
    fake: FakeSlack
    adapter: SlackAdapter
    briefings: Briefings
    http: httpx.AsyncClient

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.adapter.port}/slack/events"

    async def post(
        self, body: bytes, content_type: str = FORM, headers: dict[str, str] | None = None
    ) -> httpx.Response:
        return await self.http.post(self.url, content=body, headers={"Content-Type": content_type, **(headers or {})})

    async def revision_count(self) -> int:
        async with self.briefings.store.reading() as db:
            return int(await db.scalar(select(func.count()).select_from(revisions)) or 0)

    async def still_serves(self) -> None:
        """A good signed request is answered, and /healthz too."""
        body = command("/toll", user="U0READER")
        response = await self.post(body, headers=sign(body))
        assert response.status_code == 200 and "killed" in response.text, response.text[:300]
        health = await self.http.get(f"http://127.0.0.1:{self.adapter.port}/healthz")
        assert health.status_code == 200


@pytest.fixture
async def server(sqlite_url: str) -> AsyncIterator[Server]:
    fake = await FakeSlack().start()
    try:
        async with running(sqlite_url, fake, moderators=f"slack:{MODERATOR}") as bot:
            yield Server(bot.fake, bot.adapter, bot.briefings, bot.http)
    finally:
        await fake.stop()


async def check_refused(server: Server, response: httpx.Response) -> None:
    before = await server.revision_count()
    assert 400 <= response.status_code < 500, (response.status_code, response.text[:300])
    await server.still_serves()
    assert await server.revision_count() == before
    assert not server.fake.called("chat.postMessage")


# ---- unsigned, forged, stale: refused before anything is parsed or run

BAD_SIGNATURE = {"X-Slack-Signature": "v0=" + "0" * 64, "X-Slack-Request-Timestamp": str(int(time.time()))}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(UPDATE, FORM, id="update-form"),
        pytest.param(b"", FORM, id="empty"),
        pytest.param(
            json.dumps({"type": "event_callback", "event": {"type": "app_mention"}}).encode(),
            "application/json",
            id="event",
        ),
        pytest.param(UPDATE, "text/plain", id="text-plain"),
        pytest.param(b"{not json", "application/json", id="bad-json"),
        pytest.param(b"[1, 2]", "application/json", id="json-array"),
        pytest.param(b"null", "application/json", id="json-null"),
        pytest.param(form(payload="{nope"), FORM, id="bad-payload"),
        pytest.param(bytes(range(256)) * 4, "application/octet-stream", id="binary"),
    ],
)
@pytest.mark.parametrize("headers", [{}, BAD_SIGNATURE], ids=["unsigned", "forged"])
async def test_unsigned_requests_are_refused(
    server: Server, body: bytes, content_type: str, headers: dict[str, str]
) -> None:
    before = await server.revision_count()
    response = await server.post(body, content_type, headers)
    assert response.status_code in (401, 403), (response.status_code, response.text[:300])
    await server.still_serves()
    assert await server.revision_count() == before
    assert not server.fake.called("chat.postMessage")


async def test_stale_and_wrong_secret_signatures_are_refused(server: Server) -> None:
    before = await server.revision_count()
    stale = await server.post(UPDATE, headers=sign(UPDATE, timestamp=int(time.time()) - 301))
    future = await server.post(UPDATE, headers=sign(UPDATE, timestamp=int(time.time()) + 301))
    other = await server.post(UPDATE, headers=sign(UPDATE, secret="not-the-secret"))
    replay_other_body = await server.post(command("/retract t1 reason=x"), headers=sign(UPDATE))
    no_timestamp = await server.post(UPDATE, headers={"X-Slack-Signature": sign(UPDATE)["X-Slack-Signature"]})
    for response in (stale, future, other, replay_other_body, no_timestamp):
        assert response.status_code == 401, response.text[:200]
    await server.still_serves()
    assert await server.revision_count() == before


# ---- oversized bodies


@pytest.mark.parametrize("signed", [False, True])
async def test_huge_bodies_get_413_and_change_nothing(server: Server, signed: bool) -> None:
    body = command("/update toll killed=5 source=SOHR note=" + "a" * (3 * 1024 * 1024))
    response = await server.post(body, headers=sign(body) if signed else {})
    assert response.status_code == 413
    await check_refused(server, response)


async def test_a_long_but_acceptable_command_is_answered_not_crashed(server: Server) -> None:
    body = command("/toll " + "x" * 200_000, user="U0READER")
    response = await server.post(body, headers=sign(body))
    assert response.status_code == 200
    assert "characters long" in response.text  # the parser's own limit, in plain words
    await server.still_serves()


# ---- signed but malformed (only Slack, holding the secret, could send these)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        pytest.param(b"{not json", "application/json", id="bad-json"),
        pytest.param(b"[1, 2]", "application/json", id="json-array"),
        pytest.param(b'"text"', "application/json", id="json-string"),
        pytest.param(form(payload="{nope"), FORM, id="bad-payload-json"),
        pytest.param(form(payload="[]"), FORM, id="payload-list"),
        pytest.param(b"", FORM, id="empty"),
        pytest.param(form(payload="{}"), FORM, id="payload-no-type"),
        pytest.param(json.dumps({"type": "event_callback"}).encode(), "application/json", id="event-without-event"),
        pytest.param(command("/nope"), FORM, id="unknown-command"),
        pytest.param(
            payload(
                {"type": "view_submission", "user": {"id": MODERATOR}, "view": {"type": "modal", "callback_id": "x"}}
            ),
            FORM,
            id="unknown-form",
        ),
        pytest.param(payload({"type": "block_actions", "actions": [{"action_id": "nope"}]}), FORM, id="unknown-action"),
    ],
)
async def test_signed_malformed_requests_get_4xx(server: Server, body: bytes, content_type: str) -> None:
    response = await server.post(body, content_type, sign(body))
    await check_refused(server, response)


async def test_signed_requests_missing_fields_change_nothing(server: Server) -> None:
    """No user, no text, no channel: answered in plain words (never a 5xx), and nothing is written."""
    before = await server.revision_count()
    for body in (
        form(command="/update"),
        form(command="/update", text="toll killed=999 source=SOHR"),
        form(command="/retract", text="t1 reason=x", user_id=""),
        form(command="/toll"),
        payload({"type": "view_submission", "view": {"type": "modal", "callback_id": "update_toll"}}),
        payload({"type": "block_actions", "actions": [{"action_id": "share"}], "user": {"id": MODERATOR}}),
    ):
        response = await server.post(body, headers=sign(body))
        assert response.status_code < 500, (body[:80], response.status_code, response.text[:300])
    await server.still_serves()
    assert await server.revision_count() == before
    assert not server.fake.called("chat.postMessage")


async def test_wrong_content_type_is_refused_and_changes_nothing(server: Server) -> None:
    response = await server.post(UPDATE, "text/plain", sign(UPDATE))
    await check_refused(server, response)


async def test_wrong_methods_and_paths(server: Server) -> None:
    base = f"http://127.0.0.1:{server.adapter.port}"
    assert (await server.http.get(f"{base}/slack/events")).status_code == 405
    assert (await server.http.put(f"{base}/slack/events", content=UPDATE)).status_code == 405
    assert (await server.http.post(f"{base}/slack/other", content=UPDATE, headers=sign(UPDATE))).status_code == 404
    await server.still_serves()


async def test_a_burst_of_garbage_then_good_requests(server: Server) -> None:
    """Many bad requests in a row do not wear the server down (bounded: 200 requests)."""
    before = await server.revision_count()
    for number in range(200):
        body = UPDATE + f"&n={number}".encode()
        response = await server.post(body, headers=sign(body, secret=f"wrong-{number}"))
        assert response.status_code == 401
    await server.still_serves()
    assert await server.revision_count() == before
