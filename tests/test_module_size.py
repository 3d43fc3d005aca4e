"""Modules stay small: every file of `briefings/` and `bot/` has at most 300 lines. The few still over are listed,
and the list only shrinks: a listed file that is no longer over fails too, so it must leave the list."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MOST = 300

STILL_OVER: set[str] = set()
"""Files being split (`"briefings/x.py"`); each leaves the list as soon as it is split."""


def sizes() -> dict[str, int]:
    return {
        path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
        for package in ("briefings", "bot")
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def test_modules_are_at_most_300_lines() -> None:
    over = {name: lines for name, lines in sizes().items() if lines > MOST and name not in STILL_OVER}
    assert not over, f"over {MOST} lines (split them by what each part does): {over}"


def test_a_listed_file_is_still_over() -> None:
    size = sizes()
    done = sorted(name for name in STILL_OVER if size.get(name, 0) <= MOST)
    assert not done, f"now at most {MOST} lines (or gone): take them off STILL_OVER: {done}"


def test_the_limit_is_checked_on_real_files() -> None:
    size = sizes()
    assert "briefings/service.py" in size and "bot/cli.py" in size and size["briefings/service.py"] > 0
