"""The command table is plain data: reading it (for help, the Slack manifest, the Discord tree, the parser) loads
no command's code, and every handler it names exists and is the only way its command is found."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from importlib import import_module

import pytest

from briefings.commands.table import COMMANDS, handler
from tests.conftest import ROOT

HANDLER_MODULES = sorted({command.handler.partition(":")[0] for command in COMMANDS.values()})
PROBE = """
import json, sys
{code}
print(json.dumps(sorted(m for m in sys.modules if m.startswith(("briefings.", "pydantic", "sqlalchemy")))))
"""


def loaded_after(code: str) -> set[str]:
    """The core's modules (and pydantic's, SQLAlchemy's) a fresh interpreter has loaded after running `code`."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(code=code)], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout))


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_handler_path_resolves_to_a_command_function(name: str) -> None:
    command = COMMANDS[name]
    module, _, function = command.handler.partition(":")
    assert module.startswith("briefings.commands.") and function, command.handler
    found = handler(command.handler)
    assert inspect.iscoroutinefunction(found), f"{command.handler} is not an async function"
    assert list(inspect.signature(found).parameters) == ["ctx", "request"], command.handler
    assert handler(command.handler) is found  # imported once, then cached


def test_every_command_function_is_in_the_table() -> None:
    named = {command.handler for command in COMMANDS.values()}
    for module in HANDLER_MODULES:
        defined = {
            f"{module}:{name}"
            for name, value in vars(import_module(module)).items()
            if name.endswith("_command") and inspect.iscoroutinefunction(value) and value.__module__ == module
        }
        assert defined <= named, f"not in the command table: {sorted(defined - named)}"


def test_reading_the_table_imports_no_command_module() -> None:
    loaded = loaded_after(
        "from briefings.commands.table import COMMANDS\n"
        "assert [c.usage for c in COMMANDS.values()] and COMMANDS['toll'].pure"
    )
    assert "briefings.commands.table" in loaded
    assert not set(HANDLER_MODULES) & loaded, set(HANDLER_MODULES) & loaded
    assert not {m for m in loaded if m.startswith(("briefings.answers", "briefings.store", "pydantic", "sqlalchemy"))}


def test_the_slack_manifest_is_made_without_any_command_module() -> None:
    loaded = loaded_after("from bot.slack_chat.manifest import render\nassert '/toll' in render()")
    assert not set(HANDLER_MODULES) & loaded, set(HANDLER_MODULES) & loaded


def test_a_command_loads_its_own_module_when_it_first_runs() -> None:
    code = (
        "import asyncio\n"
        "from briefings.commands.table import COMMANDS\n"
        "from briefings.commands.parse import parse\n"
        "reply = asyncio.run(COMMANDS['brief'].run(None, parse('/brief now')))\n"  # refused before any lookup
        "assert reply.title == '/brief does not take these words.', reply.title"
    )
    loaded = loaded_after(code)
    assert "briefings.commands.reading" in loaded
    assert not (set(HANDLER_MODULES) - {"briefings.commands.reading"}) & loaded
