"""Bad settings and unreachable services end every `briefing` command with a message naming the setting, a
non-zero exit and no traceback; run for real as a subprocess of the installed `briefing` script."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SEEDS

BRIEFING = str(Path(sys.executable).parent / "briefing")
PLATFORM_VARIABLES = ("SLACK_", "DISCORD_", "PORT", "DATABASE_URL")


def briefing(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", *PLATFORM_VARIABLES))}
    clean |= {"BRIEFING_DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}", "BRIEFING_SEEDS": str(SEEDS)}
    return subprocess.run(
        [BRIEFING, *args], env=clean | env, cwd=tmp_path, text=True, capture_output=True, timeout=120, stdin=None
    )


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def assert_clean(done: subprocess.CompletedProcess[str], *names: str) -> None:
    """A non-zero exit, a short message naming each of `names`, and no traceback."""
    assert done.returncode != 0, done.stdout
    assert "Traceback" not in done.stderr and 'File "' not in done.stderr, done.stderr
    assert len(done.stderr.strip().splitlines()) <= 3, done.stderr
    for name in names:
        assert name in done.stderr, done.stderr


@pytest.mark.parametrize(
    "args",
    [("serve",), ("serve", "slack"), ("ask", "/toll"), ("migrate",), ("digest",), ("export",), ("console",)],
    ids=lambda a: "-".join(a),
)
def test_an_unreachable_database_names_the_setting(tmp_path: Path, args: tuple[str, ...]) -> None:
    url = f"postgresql://bot:secret-word@127.0.0.1:{closed_port()}/briefings"
    done = briefing(
        tmp_path,
        *args,
        BRIEFING_DATABASE_URL=url,
        SLACK_BOT_TOKEN="xoxb-1",
        SLACK_SIGNING_SECRET="s",
        DISCORD_TOKEN="d",
    )
    assert_clean(done, "BRIEFING_DATABASE_URL", "cannot open the database")
    assert "secret-word" not in done.stderr


@pytest.mark.parametrize(
    ("url", "said"),
    [("mysql://root@127.0.0.1/b", "unsupported database URL"), ("not a url", "is not a database URL")],
)
def test_an_unusable_database_url_when_serving(tmp_path: Path, url: str, said: str) -> None:
    done = briefing(tmp_path, "serve", BRIEFING_DATABASE_URL=url, SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s")
    assert_clean(done, "BRIEFING_DATABASE_URL", said)


def test_the_platform_database_url_is_named_when_it_is_the_one_used(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "BRIEFING_DATABASE_URL"}
    url = f"postgres://bot@127.0.0.1:{closed_port()}/briefings"
    done = subprocess.run(
        [BRIEFING, "ask", "/toll"], env=env | {"DATABASE_URL": url}, cwd=tmp_path, text=True, capture_output=True
    )
    assert_clean(done, "DATABASE_URL")
    assert "BRIEFING_DATABASE_URL" not in done.stderr


def test_a_sqlite_file_in_a_missing_folder_is_refused_and_no_folder_is_made(tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    done = briefing(tmp_path, "ask", "/toll", BRIEFING_DATABASE_URL=f"sqlite:///{missing / 'b.db'}")
    assert_clean(done, "BRIEFING_DATABASE_URL", str(missing), "does not exist")
    assert not (tmp_path / "no").exists()


def test_a_bad_port_names_the_variable_the_user_set(tmp_path: Path) -> None:
    done = briefing(tmp_path, "serve", "slack", PORT="abc", SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="s")
    assert_clean(done, "PORT", "'abc'")
    assert "BRIEFING_PORT" not in done.stderr


def test_a_bad_core_setting_keeps_its_prefix(tmp_path: Path) -> None:
    done = briefing(tmp_path, "ask", "/toll", BRIEFING_DIGEST_GRACE="soon")
    assert_clean(done, "BRIEFING_DIGEST_GRACE", "'soon'")


def test_serving_discord_without_a_token_names_only_discords_variable(tmp_path: Path) -> None:
    done = briefing(tmp_path, "serve", "discord")
    assert_clean(done, "DISCORD_TOKEN")
    assert "SLACK" not in done.stderr
    assert not (tmp_path / "b.db").exists()  # nothing to serve: the database is not even opened


def test_serving_slack_without_tokens_names_only_slacks_variables(tmp_path: Path) -> None:
    done = briefing(tmp_path, "serve", "slack")
    assert_clean(done, "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")
    assert "DISCORD" not in done.stderr


def test_an_unwritable_chart_folder_names_its_setting(tmp_path: Path) -> None:
    assert briefing(tmp_path, "ask", "/update toll killed=90 source=SOHR as_of=2025-03-08").returncode == 0
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    done = briefing(tmp_path, "ask", "/toll chart", BRIEFING_CHART_DIR=str(blocker))
    assert_clean(done, "BRIEFING_CHART_DIR")


async def test_a_port_in_use_names_the_setting(tmp_path: Path) -> None:
    from tests.fakes.slack import FakeSlack

    slack = await FakeSlack().start()
    try:
        with socket.socket() as taken:
            taken.bind(("0.0.0.0", 0))
            taken.listen()
            port = str(taken.getsockname()[1])
            tokens = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "s"}
            done = await asyncio.to_thread(
                briefing, tmp_path, "serve", "slack", PORT=port, SLACK_API_URL=slack.api_url, **tokens
            )
    finally:
        await slack.stop()
    assert_clean(done, "Set PORT to a free port", port)
