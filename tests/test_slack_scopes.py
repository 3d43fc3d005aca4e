"""The Slack app without `files:write`: it starts, says at start-up which scope charts need, and a chart asked
for by slash command is refused in words that name the scope."""

from __future__ import annotations

import logging

import pytest

from briefings.access import Caller
from tests.fakes.slack import ALL_SCOPES, FakeSlack
from tests.test_charts import replay
from tests.test_slack import running

WITHOUT_FILES = ",".join(scope for scope in ALL_SCOPES.split(",") if scope != "files:write")


async def test_a_missing_files_write_scope_is_named_at_start_up(
    sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    fake = await FakeSlack(scopes=WITHOUT_FILES).start()
    try:
        with caplog.at_level(logging.WARNING):
            async with running(sqlite_url, fake) as bot:
                assert (await bot.command("/toll")).status_code == 200
        warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
        assert any("files:write" in message and "reinstall" in message for message in warnings), warnings
    finally:
        await fake.stop()


async def test_with_every_scope_nothing_is_said_about_charts(sqlite_url: str, caplog: pytest.LogCaptureFixture) -> None:
    fake = await FakeSlack().start()
    try:
        with caplog.at_level(logging.WARNING):
            async with running(sqlite_url, fake):
                pass
        assert not any("files:write" in r.getMessage() for r in caplog.records)
    finally:
        await fake.stop()


async def test_a_chart_refused_for_the_scope_says_which_scope(sqlite_url: str) -> None:
    fake = await FakeSlack(scopes=WITHOUT_FILES).start()
    fake.errors["files.getUploadURLExternal"] = "missing_scope"
    try:
        async with running(sqlite_url, fake) as bot:
            await replay(bot.briefings, Caller.operator())
            response = await bot.command("/toll chart")
            assert "Death toll over time" in response.text
            [told] = await fake.wait_for("response_url")
            assert "files:write" in str(told.params.get("text")), told.params
            assert not fake.uploads
    finally:
        await fake.stop()
