"""A command loads only what it uses: answering from the command line never loads the chat platforms, the
scheduler, the migration tool (on a database already up to date) or the chart library."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TypedDict

import pytest

from tests.conftest import SEEDS

HEAVY = ("slack_bolt", "slack_sdk", "discord", "matplotlib", "apscheduler", "alembic", "aiohttp")
OTHER_DATABASE = "sqlalchemy.dialects.postgresql"
"""PostgreSQL's dialect: an answer from an SQLite database has no use for it."""
ON_DEMAND = (
    "yaml",
    "briefings.loader",
    "briefings.ingest",
    "briefings.store.proposals",
    "briefings.store.subscriptions",
    "briefings.store.runs",
    "briefings.store.run_history",
    "briefings.digests.urgent",
    "briefings.schedules",
    "briefings.search.understand",
    "briefings.store.requests",
    "briefings.commands.questions",
    "briefings.commands.help",
    "briefings.digests.compose",
    "pydantic_settings",
    "dotenv",
    "pydantic",
    "briefings.validation",
)
"""The core's own parts a read command has no use for: situation files, article reading, the review queue,
digest subscriptions, the plain-word question reader, the request ledger of moderators' retries, help, the
digest composer, the settings library (plain settings are read from the environment without it) and the
validation library (input is validated; stored facts are read back as they were written)."""
PROBE = """
import contextlib, io, json, sys
from bot.cli import main
with contextlib.redirect_stdout(io.StringIO()) as out:
    code = main(sys.argv[1:])
loaded = {m.split(".")[0] for m in sys.modules} | {
    m for m in sys.modules if m.startswith(("sqlalchemy.dialects.", "briefings."))
}
print(json.dumps({"code": code, "out": out.getvalue(), "loaded": sorted(loaded)}))
"""


class Probed(TypedDict):
    code: int
    out: str
    loaded: list[str]


def loaded_by(tmp_path: Path, *args: str) -> Probed:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", "SLACK_", "DISCORD_"))}
    env |= {"BRIEFING_DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}", "BRIEFING_SEEDS": str(SEEDS)}
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *args], env=env, cwd=tmp_path, text=True, capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result: Probed = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.parametrize("command", ["/toll", "/brief", "/timeline", "how many were killed?"])
def test_answering_on_an_existing_database_loads_nothing_heavy(tmp_path: Path, command: str) -> None:
    first = loaded_by(tmp_path, "ask", "/toll")  # creates the database: migrations run (and load their tool)
    assert first["code"] == 0 and "At least 70 killed" in str(first["out"])
    again = loaded_by(tmp_path, "ask", command)
    assert again["code"] == 0, again["out"]
    assert not {*HEAVY, OTHER_DATABASE} & set(again["loaded"]), set(again["loaded"])


def test_a_chart_loads_the_chart_library_and_nothing_else_heavy(tmp_path: Path) -> None:
    loaded_by(tmp_path, "ask", "/update toll killed=90 source=SOHR as_of=2025-03-08")
    charted = loaded_by(tmp_path, "ask", "/toll chart")
    assert "chart saved to" in str(charted["out"])
    loaded = set(charted["loaded"])
    assert "matplotlib" in loaded
    assert not (set(HEAVY) - {"matplotlib"}) & loaded


@pytest.mark.parametrize("command", ["/toll", "/brief", "/timeline"])
def test_a_read_command_loads_none_of_the_cores_other_parts(tmp_path: Path, command: str) -> None:
    loaded_by(tmp_path, "ask", "/toll")  # creates the database and loads the seed (situation files)
    again = loaded_by(tmp_path, "ask", command)
    assert again["code"] == 0, again["out"]
    assert not set(ON_DEMAND) & set(again["loaded"]), set(ON_DEMAND) & set(again["loaded"])
