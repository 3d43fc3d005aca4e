"""Logging for the command line and `briefing serve`: one line per event, quiet at INFO, JSON lines when
BRIEFING_LOG_FORMAT=json, and never a token, a password or an unescaped line break in a message."""

from __future__ import annotations

import logging
import os
import re
import sys

FORMAT_SETTING = "BRIEFING_LOG_FORMAT"
TEXT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET = ("apscheduler", "alembic")
"""Libraries whose INFO lines say nothing an operator needs (each tick of the timer, each migration check)."""
SECRET_SETTINGS = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DISCORD_TOKEN")
TOKEN = re.compile(r"\b(?:xox[abposre]|xapp)-[A-Za-z0-9-]+")
PASSWORD = re.compile(r"(://[^:/@\s]+:)[^@\s]+@")
CONTROL = {code: f"\\u{code:04x}" for code in (*range(0x20), 0x7F, 0x85, 0x2028, 0x2029)}
CONTROL |= {0x0A: "\\n", 0x0D: "\\r", 0x09: "\\t"}
REDACTED = "[redacted]"


class Scrub(logging.Filter):
    """Rewrites each record's message: secrets and credentials out, control characters escaped, so that what a
    person typed can neither forge a log line nor leak a token."""

    def __init__(self, secrets: list[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self.secrets:
            message = message.replace(secret, REDACTED)
        message = PASSWORD.sub(rf"\g<1>{REDACTED}@", TOKEN.sub(REDACTED, message))
        record.msg, record.args = message.translate(CONTROL), None
        return True


def formatter(kind: str) -> logging.Formatter:
    if kind == "json":
        from pythonjsonlogger.json import JsonFormatter

        return JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    return logging.Formatter(TEXT)


def configure(command: str, environ: dict[str, str] | None = None) -> None:
    """Logs to stderr: INFO and up while serving, warnings and errors otherwise."""
    environ = dict(os.environ) if environ is None else environ
    kind = environ.get(FORMAT_SETTING, "text").strip().lower() or "text"
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter(kind if kind in ("text", "json") else "text"))
    handler.addFilter(Scrub([environ.get(name, "") for name in SECRET_SETTINGS]))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO if command == "serve" else logging.WARNING)
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    if kind not in ("text", "json"):
        logging.getLogger(__name__).warning("%s=%s is neither text nor json; logging text", FORMAT_SETTING, kind)
