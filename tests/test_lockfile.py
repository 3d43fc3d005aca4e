"""The pinned dependencies: they cover pyproject.toml, carry hashes, and a fresh environment installed from
them alone runs the Procfile's release step against PostgreSQL given as a hosting platform gives it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEEDS

RUNTIME, DEV = ROOT / "requirements.txt", ROOT / "requirements-dev.txt"


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wanted(extra: str | None = None) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return {normal(re.split(r"[\s\[<>=!~;]", spec, maxsplit=1)[0]) for spec in specs}


def pinned(lock: Path) -> dict[str, str]:
    """Each pinned package in a lock file and its entry (the line with its hashes)."""
    entries = re.split(r"\n(?=\S)", lock.read_text())
    found = {}
    for entry in entries:
        match = re.match(r"([A-Za-z0-9_.-]+)==", entry)
        if match:
            found[normal(match.group(1))] = entry
    return found


def test_the_lock_files_cover_pyproject_and_every_pin_has_a_hash() -> None:
    runtime, dev = pinned(RUNTIME), pinned(DEV)
    assert wanted() <= set(runtime), f"run scripts/lock: missing {wanted() - set(runtime)}"
    assert wanted() | wanted("dev") <= set(dev), f"run scripts/lock: missing {(wanted() | wanted('dev')) - set(dev)}"
    assert not wanted("dev") & set(runtime) - wanted(), "development tools are not deployed"
    for name, entry in {**runtime, **dev}.items():
        assert "--hash=sha256:" in entry, name


def test_the_procfile_runs_the_bot_without_installing_it() -> None:
    processes = dict(line.split(": ", 1) for line in (ROOT / "Procfile").read_text().splitlines() if line.strip())
    assert processes == {
        "release": "python -m bot migrate",
        "web": "python -m bot serve slack",
        "worker": "python -m bot serve discord",
    }
    oldest = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"].removeprefix(">=")
    assert (ROOT / ".python-version").read_text().strip() == oldest  # the version the lock files resolve for


@pytest.mark.slow
def test_a_fresh_environment_from_the_lock_alone_migrates_and_answers(tmp_path: Path, postgres_url: str) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    python = str(venv / "bin" / "python")
    install = [python, "-m", "pip", "install", "--quiet", "--require-hashes", "--no-deps", "-r", str(RUNTIME)]
    done = subprocess.run(install, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", "SLACK_", "DISCORD_", "PYTHON"))}
    env |= {"DATABASE_URL": postgres_url.replace("postgresql://", "postgres://", 1), "BRIEFING_SEEDS": str(SEEDS)}
    release = (ROOT / "Procfile").read_text().split("release: ", 1)[1].splitlines()[0].split()
    assert release[0] == "python"
    migrated = subprocess.run([python, *release[1:]], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert migrated.returncode == 0, migrated.stderr
    assert "Database ready" in migrated.stdout
    asked = subprocess.run(
        [python, "-m", "bot", "ask", "/toll"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert asked.returncode == 0, asked.stderr
    assert "At least 70 killed, according to SOHR" in asked.stdout
    dev_only = subprocess.run([python, "-c", "import pytest"], capture_output=True, timeout=60)
    assert dev_only.returncode != 0  # nothing came from the development environment
