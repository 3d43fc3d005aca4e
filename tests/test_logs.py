"""Log lines: secrets never written, text from people cannot start a new line, JSON lines on request."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from bot import logs


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    quiet = {name: logging.getLogger(name).level for name in logs.QUIET}
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    for name, old in quiet.items():
        logging.getLogger(name).setLevel(old)


ENV = {"SLACK_BOT_TOKEN": "xoxb-123-456-secretvalue", "DISCORD_TOKEN": "MTIz.discord.secret-token"}


def test_text_lines_escape_line_breaks_and_hide_secrets(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.configure("serve", ENV)
    log = logging.getLogger("bot.test")
    log.info("asked %s", "/toll\n2026-01-01 00:00:00 ERROR forged line")
    log.info("token %s and %s", ENV["SLACK_BOT_TOKEN"], ENV["DISCORD_TOKEN"])
    log.info("app token xapp-1-A0-99-abcdef and url postgresql://bot:hunter2@db/briefing")
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3, lines
    assert "/toll\\n2026-01-01 00:00:00 ERROR forged line" in lines[0]
    text = "\n".join(lines)
    for secret in (*ENV.values(), "xapp-1-A0-99-abcdef", "hunter2"):
        assert secret not in text
    assert "postgresql://bot:[redacted]@db/briefing" in text


def test_quiet_at_info_and_silent_below_warning_outside_serve(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.configure("serve", {})
    logging.getLogger("apscheduler.scheduler").info("Added job")
    logging.getLogger("alembic.runtime.migration").info("Context impl SQLiteImpl.")
    logging.getLogger("bot.serve").info("slack adapter ready")
    assert capsys.readouterr().err.count("\n") == 1
    logs.configure("ask", {})
    logging.getLogger("briefings.service").info("an answer")
    assert capsys.readouterr().err == ""


def test_json_lines(restore_logging: None, capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure("serve", {"BRIEFING_LOG_FORMAT": "json", **ENV})
    log = logging.getLogger("bot.test")
    log.info("asked %r", "two\nlines <@U1>", extra={"platform": "slack"})
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("failed with %s", ENV["SLACK_BOT_TOKEN"])
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 2, lines
    first, second = (json.loads(line) for line in lines)
    assert first["level"] == "INFO" and first["logger"] == "bot.test" and first["platform"] == "slack"
    assert "two" in first["message"] and "lines" in first["message"]
    assert second["level"] == "ERROR" and "ValueError: boom" in second["exc_info"]
    assert ENV["SLACK_BOT_TOKEN"] not in lines[1]


def test_an_unknown_format_falls_back_to_text_and_says_so(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    logs.configure("serve", {"BRIEFING_LOG_FORMAT": "xml"})
    assert "BRIEFING_LOG_FORMAT=xml is neither text nor json" in capsys.readouterr().err
