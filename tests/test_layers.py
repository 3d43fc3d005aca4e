"""The core's layers point down only: a module may import its own layer and the layers below it, never one above
(imports inside functions and for type checking count too). Every module of `briefings/` and `bot/` has a layer,
and the chat adapters import only the core modules listed in ADAPTER_CORE_IMPORTS."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "value types",
        (
            "briefings.access",
            "briefings.clock",
            "briefings.control_chars",
            "briefings.field_errors",
            "briefings.names",
            "briefings.plain_settings",
            "briefings.render_text",
            "briefings.reply",
            "briefings.schedules",
            "briefings.settings",
            "briefings.synonyms",
            "briefings.throttle",
            "briefings.untrusted",
            "briefings.urgency",
            "briefings.values",
            "briefings.when",
            "briefings.yaml_text",
        ),
    ),
    (
        "fact model and snapshot",
        (
            "briefings.categories",
            "briefings.examples",
            "briefings.fact_options",
            "briefings.facts",
            "briefings.grammar",
            "briefings.ingest.model",
            "briefings.loader",
            "briefings.merge",
            "briefings.option_parsers",
            "briefings.revisions",
            "briefings.situation",
            "briefings.snapshot",
            "briefings.stored_form",
            "briefings.validation",
            "briefings.vocabulary",
        ),
    ),
    ("store", ("briefings.store",)),
    ("answers", ("briefings.answers", "briefings.exports", "briefings.ingest", "briefings.search")),
    ("digest composer", ("briefings.digests",)),
    (
        "commands",
        (
            "briefings.answered",
            "briefings.commands",
            "briefings.paging",
            "briefings.replays",
            "briefings.search.understand",
            "briefings.suggest",
        ),
    ),
    ("service", ("briefings.feeds", "briefings.reviewing", "briefings.service")),
    ("adapters, command line and clock", ("bot",)),
)
"""Lowest first. A module belongs to its longest listed prefix (a package's name covers its modules); the
`briefings` package itself (its `__init__`) is the only one every layer may import."""

KNOWN: set[tuple[str, str]] = set()
"""Upward imports still being removed: this set only shrinks."""

CHAT_ADAPTERS = ("bot.slack_chat", "bot.discord_chat")

ADAPTER_CORE_IMPORTS = frozenset(
    {
        "briefings.access",
        "briefings.commands.plan",
        "briefings.commands.table",
        "briefings.facts",
        "briefings.render_text",
        "briefings.reply",
        "briefings.reviewing",
        "briefings.service",
        "briefings.suggest",
        "briefings.throttle",
        "briefings.untrusted",
    }
)
"""All the chat adapters import of the core: they go through the service and reply documents (docs/architecture.md)."""


def layer_of(module: str) -> int:
    if module == "briefings":
        return 0
    best: tuple[int, int] | None = None
    for number, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), number)
    assert best is not None, f"{module} has no layer: add it to LAYERS"
    return best[1]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    found = {}
    for package in ("briefings", "bot"):
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[module_name(path)] = path
    return found


def imported(path: Path, names: set[str]) -> set[str]:
    """The project's modules that `path` imports, anywhere in it."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            submodules = {f"{node.module}.{alias.name}" for alias in node.names}
            found |= submodules & names  # `from briefings.answers import toll`: the module toll
            if submodules - names:  # `from briefings.reply import line`: a name in briefings.reply
                found.add(node.module)
    return {name for name in found if name.split(".")[0] in ("briefings", "bot")}


def upward_imports() -> set[tuple[str, str]]:
    every = modules()
    return {
        (module, target)
        for module, path in every.items()
        for target in imported(path, set(every))
        if layer_of(target) > layer_of(module)
    }


def test_every_module_has_a_layer() -> None:
    for module in modules():
        layer_of(module)


def test_imports_point_down_only() -> None:
    wrong = upward_imports() - KNOWN
    described = sorted(
        f"{module} ({LAYERS[layer_of(module)][0]}) imports {target} ({LAYERS[layer_of(target)][0]})"
        for module, target in wrong
    )
    assert not described, "\n".join(described)


def test_the_known_upward_imports_are_still_there() -> None:
    """Once one is gone it leaves the list, so the list only shrinks."""
    still = upward_imports()
    assert not KNOWN - still, KNOWN - still


def test_an_upward_import_inside_a_function_is_found(tmp_path: Path) -> None:
    source = tmp_path / "probe.py"
    source.write_text("def later():\n    from briefings.service import Briefings\n    import bot.cli\n")
    assert imported(source, set(modules())) == {"briefings.service", "bot.cli"}
    assert layer_of("briefings.service") > layer_of("briefings.store.store") > layer_of("briefings.snapshot")


def adapter_core_imports() -> dict[str, set[str]]:
    """Each core module the chat adapters import, with the adapter modules importing it."""
    every = modules()
    found: dict[str, set[str]] = {}
    for module, path in every.items():
        if any(module == adapter or module.startswith(adapter + ".") for adapter in CHAT_ADAPTERS):
            for target in imported(path, set(every)):
                if target.split(".")[0] == "briefings":
                    found.setdefault(target, set()).add(module)
    return found


def test_chat_adapters_import_only_the_listed_core_modules() -> None:
    """A new core import in an adapter is added to ADAPTER_CORE_IMPORTS deliberately, or goes through the service."""
    stray = sorted(
        f"{module} imports {target}"
        for target, importers in adapter_core_imports().items()
        if target not in ADAPTER_CORE_IMPORTS
        for module in importers
    )
    assert not stray, "\n".join(stray)


def test_every_listed_core_module_is_still_imported_by_an_adapter() -> None:
    """Once the adapters stop importing one it leaves the list, so the list stays what they need."""
    unused = ADAPTER_CORE_IMPORTS - set(adapter_core_imports())
    assert not unused, sorted(unused)
