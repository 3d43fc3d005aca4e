"""The core stays platform-free, and both entry points start."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

FORBIDDEN = {"discord", "slack_bolt", "slack_sdk", "apscheduler", "aiohttp", "jinja2", "markupsafe"}
"""Platforms, the scheduler, HTTP and HTML templates belong to the adapters (`bot/`), never to the core."""
CORE = ROOT / "briefings"


def imported_modules(tree: ast.AST) -> set[str]:
    """Every module an AST imports, at any depth, including `importlib.import_module("x")` and `__import__`."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
            if name in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def _core_files() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_the_checker_sees_nested_and_dynamic_imports() -> None:
    source = """
import os
def f():
    import discord.ext
    from slack_bolt.async_app import AsyncApp
    class C:
        def g(self):
            import importlib
            importlib.import_module("apscheduler.schedulers")
from . import sibling
"""
    top = {name.split(".")[0] for name in imported_modules(ast.parse(source))}
    assert FORBIDDEN - {"slack_sdk", "aiohttp", "jinja2", "markupsafe"} <= top
    assert "sibling" not in top


def test_core_files_are_found() -> None:
    names = {path.relative_to(CORE).as_posix() for path in _core_files()}
    assert {"service.py", "facts.py", "store/store.py", "commands/parse.py"} <= names


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_core_imports_no_platform_or_scheduler(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bad = sorted(name for name in imported_modules(tree) if name.split(".")[0] in FORBIDDEN)
    assert not bad, f"{path.relative_to(ROOT)} imports {', '.join(bad)}; the core must stay platform-free"


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env["BRIEFING_DATABASE_URL"] = f"sqlite:///{tmp_path / 'b.db'}"
    return env


def test_python_m_bot_help(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, env=_env(tmp_path), timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert "usage:" in done.stdout and "ask" in done.stdout and "export" in done.stdout


def test_briefing_console_script_help(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "briefing"
    found = str(script) if script.exists() else shutil.which("briefing")
    assert found, "the `briefing` console script is not installed"
    done = subprocess.run([found, "--help"], capture_output=True, text=True, env=_env(tmp_path), timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: briefing")
