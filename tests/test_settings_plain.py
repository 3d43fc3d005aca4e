"""The core's settings read without pydantic-settings give what `CoreSettings` gives, in every case it reads
itself; anything else (a `.env` file, a value to convert, a wrong value) is read and refused by `CoreSettings`,
with the same message on the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from briefings.plain_settings import PlainCoreSettings, read_core_settings
from briefings.settings import CoreSettings
from tests.conftest import SEEDS

FIELDS = ("database_url", "moderators", "seeds", "situation", "digest_grace")
CASES: list[dict[str, str]] = [
    {},
    {"BRIEFING_DATABASE_URL": "sqlite:///ours.db"},
    {"DATABASE_URL": "postgresql://bot@db/briefings"},
    {"DATABASE_URL": "sqlite:///platform.db", "briefing_database_url": "sqlite:///ours.db"},
    {"Briefing_Moderators": "console:ana, slack:U1,discord:role:7", "BRIEFING_SITUATION": "coast"},
    {"BRIEFING_SEEDS": "elsewhere/seeds", "BRIEFING_DATABASE_URL": ""},
    {"BRIEFING_SEEDS": "", "BRIEFING_SITUATION": " spaced "},
]


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in os.environ:
        if name.upper().startswith("BRIEFING_") or name.upper() == "DATABASE_URL":
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return monkeypatch


@pytest.mark.parametrize("variables", CASES, ids=lambda v: ",".join(v) or "nothing-set")
def test_plain_values_are_read_as_core_settings_reads_them(
    environment: pytest.MonkeyPatch, variables: dict[str, str]
) -> None:
    for name, value in variables.items():
        environment.setenv(name, value)
    plain = read_core_settings()
    assert isinstance(plain, PlainCoreSettings)
    full = CoreSettings()
    assert {f: getattr(plain, f) for f in FIELDS} == {f: getattr(full, f) for f in FIELDS}


@pytest.mark.parametrize(
    ("variables", "dotenv"),
    [
        ({"BRIEFING_DIGEST_GRACE": "PT2H"}, ""),
        ({"BRIEFING_MODERATORS": "console:ana,slack:"}, ""),
        ({}, "BRIEFING_DATABASE_URL=sqlite:///from-dotenv.db\n"),
    ],
    ids=["a-value-to-convert", "a-wrong-value", "a-dotenv-file"],
)
def test_anything_else_is_left_to_core_settings(
    environment: pytest.MonkeyPatch, tmp_path: Path, variables: dict[str, str], dotenv: str
) -> None:
    for name, value in variables.items():
        environment.setenv(name, value)
    if dotenv:
        (tmp_path / ".env").write_text(dotenv)
    if "slack:" in variables.get("BRIEFING_MODERATORS", ""):
        with pytest.raises(ValueError, match="'slack:' is not a moderator entry"):
            read_core_settings()
        return
    settings = read_core_settings()
    assert isinstance(settings, CoreSettings)
    if dotenv:
        assert settings.database_url == "sqlite:///from-dotenv.db"
    else:
        assert settings.digest_grace == timedelta(hours=2)


@pytest.mark.parametrize(
    ("variable", "value", "said"),
    [
        (
            "BRIEFING_MODERATORS",
            "console:ana,bob",
            "Invalid setting BRIEFING_MODERATORS (got 'console:ana,bob'): 'bob'",
        ),
        ("BRIEFING_DIGEST_GRACE", "soon", "Invalid setting BRIEFING_DIGEST_GRACE (got 'soon'): Input should be"),
    ],
)
def test_a_wrong_setting_is_refused_on_the_command_line_naming_it(
    tmp_path: Path, variable: str, value: str, said: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.upper().startswith(("BRIEFING_", "DATABASE_URL"))}
    env |= {"BRIEFING_DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}", "BRIEFING_SEEDS": str(SEEDS), variable: value}
    briefing = str(Path(sys.executable).parent / "briefing")
    done = subprocess.run(
        [briefing, "ask", "/toll"], env=env, cwd=tmp_path, text=True, capture_output=True, timeout=120
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(said), done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "b.db").exists()
