"""Fuzzing the two front doors for hostile input: moderator commands through `Briefings.handle` (on SQLite and
PostgreSQL) and situation files through the loader.

No exception escapes, no "went wrong on my side", every reply fits Slack's and Discord's limits, and a file is
either loaded or refused with problems that each name a place in it. bench/fuzz.py runs the same with many more
examples."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from dataclasses import replace

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefings.access import Caller
from briefings.loader import SituationFile, SituationFileError, load_text
from briefings.render_text import render
from briefings.reply import Outcome, Reply
from briefings.service import Briefings
from briefings.settings import CoreSettings
from tests.conftest import POSTGRES, SEEDS, admin
from tests.fuzzing import anything_as_a_file, commands, situation_texts, unusual_valid_texts
from tests.test_properties import check_discord, check_slack

SORRY = "went wrong on my side"
MODERATOR = Caller("console", "mod", "console")
COMMANDS = settings(max_examples=800, deadline=None, suppress_health_check=list(HealthCheck))
FILES = settings(max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def service(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[asyncio.Runner, Briefings]]:
    """One service for the module's examples on each database (they add to one situation as they go)."""
    name = f"briefings_fuzz_{uuid.uuid4().hex[:12]}"
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}"
    else:
        try:
            asyncio.run(admin(f'CREATE DATABASE "{name}"'))
        except (OSError, asyncpg.PostgresError) as exc:
            if os.environ.get("CI"):
                pytest.fail(f"PostgreSQL at {POSTGRES} is required in CI: {exc}")
            pytest.skip(f"PostgreSQL not reachable at {POSTGRES}: {exc}")
        url = f"{POSTGRES.rsplit('/', 1)[0]}/{name}"
    settings_ = CoreSettings(database_url=url, seeds=SEEDS, moderators="console:mod")
    try:
        with asyncio.Runner() as runner:
            briefings = runner.run(Briefings.start(settings_))
            try:
                yield runner, briefings
            finally:
                runner.run(briefings.close())
    finally:
        if request.param == "postgres":
            asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def check_reply(reply: Reply, text: str) -> None:
    assert isinstance(reply, Reply)
    assert reply.outcome in (Outcome.answered, Outcome.invalid, Outcome.refused)
    shown = render(reply)
    assert SORRY not in shown, (text, shown)
    assert "Traceback" not in shown and "int()" not in shown, (text, shown)
    check_slack(reply)
    check_discord(reply)


@COMMANDS
@given(commands)
def test_moderator_commands_with_wild_values(service: tuple[asyncio.Runner, Briefings], text: str) -> None:
    runner, briefings = service
    check_reply(runner.run(briefings.handle(text, MODERATOR)), text)


def check_file(text: str) -> SituationFile | None:
    try:
        return load_text(text, "fuzz.yaml")
    except SituationFileError as exc:
        assert exc.problems, text
        assert all(isinstance(p, str) and p.strip() for p in exc.problems)
        assert str(exc).startswith("fuzz.yaml: ")
        return None


@FILES
@given(anything_as_a_file)
def test_situation_files_load_or_are_refused_by_name(text: str) -> None:
    check_file(text)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(unusual_valid_texts(), situation_texts()))
def test_a_file_the_loader_accepts_can_be_stored(service: tuple[asyncio.Runner, Briefings], text: str) -> None:
    """Whatever passes validation is written as it is on both databases (no value only one of them can hold)."""
    file = check_file(text)
    if file is None:
        return
    runner, briefings = service
    file.situation = replace(file.situation, slug=f"fuzz-{uuid.uuid4().hex[:12]}")
    assert runner.run(briefings.store.import_situation(file, "fuzz"))
    stored = runner.run(briefings.store.snapshot(file.situation.slug))
    assert stored.facts == file.facts


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(["situation: [", "a: {", "- [", "x: &a [*a]"]), st.integers(1, 30_000))
def test_deep_or_broken_nesting_never_crashes_the_loader(start: str, depth: int) -> None:
    check_file(start + "[" * depth + "]" * depth)


def test_the_seed_still_loads() -> None:
    file = check_file((SEEDS / "syria-coast-2025-03.yaml").read_text(encoding="utf-8"))
    assert file is not None and len(file.facts) > 40
