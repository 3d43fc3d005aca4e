"""The `briefing` command line, run for real as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SEEDS

SEED = SEEDS / "syria-coast-2025-03.yaml"


def env_for(database_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env["BRIEFING_DATABASE_URL"] = database_url
    return env


def run(
    tmp_path: Path, *args: str, url: str | None = None, cwd: Path | None = None, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("stdout", subprocess.PIPE)
    kwargs.setdefault("stderr", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        text=True,
        env=env_for(url or f"sqlite:///{tmp_path / 'b.db'}"),
        cwd=cwd or tmp_path,
        timeout=120,
        **kwargs,
    )


def test_ask_toll(tmp_path: Path) -> None:
    done = run(tmp_path, "ask", "/toll")
    assert done.returncode == 0, done.stderr
    assert "At least 70 killed, according to SOHR (as of Fri 7 Mar 2025, morning)" in done.stdout
    assert (tmp_path / "b.db").exists()


def test_ask_toll_on_postgresql(tmp_path: Path, postgres_url: str) -> None:
    done = run(tmp_path, "ask", "/toll", url=postgres_url)
    assert done.returncode == 0, done.stderr
    assert "SOHR" in done.stdout and "70" in done.stdout and "as of Fri 7 Mar 2025" in done.stdout


@pytest.mark.parametrize(
    ("command", "expected"),
    [
        ("/toll Jabla", "Death toll — Clashes on Syria's coast: Jableh"),
        ("/reactions turkey", "Such provocations must not be allowed"),
        ("/timeline", "Thu 6 Mar 2025"),
        ("/where", "Latakia province"),
        ("/sources", "war monitor"),
        ("/brief", "Toll: At least 70 killed"),
    ],
)
def test_ask_read_commands(tmp_path: Path, command: str, expected: str) -> None:
    done = run(tmp_path, "ask", command)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout


def test_ask_unknown_place_exits_1_with_a_suggestion(tmp_path: Path) -> None:
    done = run(tmp_path, "ask", "/toll Atlantis")
    assert done.returncode == 1
    assert "I don't know a place called “Atlantis”" in done.stdout
    assert "Did you mean" in done.stdout


def test_ask_as_a_reader_is_refused(tmp_path: Path) -> None:
    done = run(tmp_path, "ask", "--user", "someone", "/situation use x")
    assert done.returncode == 1
    assert "for moderators" in done.stdout


def test_digest(tmp_path: Path) -> None:
    done = run(tmp_path, "digest")
    assert done.returncode == 0, done.stderr
    assert "Clashes on Syria's coast" in done.stdout
    assert "At least 70 killed, according to SOHR" in done.stdout


def test_load_dry_run(tmp_path: Path) -> None:
    done = run(tmp_path, "load", "--dry-run", "seeds/syria-coast-2025-03.yaml", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "valid situation 'syria-coast-2025-03'" in done.stdout
    assert "3 tolls" in done.stdout and "7 sources" in done.stdout


def test_load_of_the_seed_again_changes_nothing(tmp_path: Path) -> None:
    done = run(tmp_path, "load", str(SEED))
    assert done.returncode == 1
    assert "already exists; nothing was changed" in done.stderr


def test_load_of_a_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "situation: {slug: bad-one, title: Bad, region: Nowhere}\n"
        "sources:\n  - {id: s1, name: Agency, type: news-agency}\n"
        "tolls:\n  - {id: t1, source: Agency, as_of: 2025-03-07, killed: -5}\n",
        encoding="utf-8",
    )
    done = run(tmp_path, "load", str(bad))
    assert done.returncode == 1
    assert str(bad) in done.stderr
    assert "tolls[0].killed" in done.stderr
    assert "Loaded" not in done.stdout
    situations = run(tmp_path, "ask", "/situations")
    assert "bad-one" not in situations.stdout


def test_load_of_a_new_file(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(
        "situation: {slug: good-one, title: Good, region: Somewhere}\n"
        "sources:\n  - {id: s1, name: Agency, type: news-agency}\n"
        "tolls:\n  - {source: Agency, as_of: 2025-03-07, killed: 5}\n",
        encoding="utf-8",
    )
    done = run(tmp_path, "load", str(good))
    assert done.returncode == 0, done.stderr
    assert "Loaded 'good-one'" in done.stdout
    assert "good-one — Good" in run(tmp_path, "ask", "/situations").stdout


def test_export(tmp_path: Path) -> None:
    done = run(tmp_path, "export")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["situation"]["slug"] == "syria-coast-2025-03"
    facts = {fact["id"]: fact for fact in data["facts"]}
    t1 = facts["t1"]
    assert t1["kind"] == "toll"
    assert t1["current"]["killed"] == 70 and t1["current"]["as_of"] == "2025-03-07 morning"
    assert len(t1["history"]) == 1
    assert t1["history"][0]["action"] == "load"
    assert t1["history"][0]["number"] == 1
    assert t1["history"][0]["data"] == t1["current"]
    assert all(len(fact["history"]) == 1 for fact in facts.values())


def test_a_closed_stdout_is_not_reported_as_a_database_problem(tmp_path: Path) -> None:
    assert run(tmp_path, "ask", "/toll").returncode == 0  # create the database first
    read_end, write_end = os.pipe()
    os.close(read_end)  # nobody will read: the first flush fails with a broken pipe
    try:
        done = run(tmp_path, "export", stdout=write_end)
    finally:
        os.close(write_end)
    assert done.returncode != 0
    assert "database" not in done.stderr.lower()  # the database is fine: stdout is what failed
