"""Reading a situation file's YAML (or JSON) text into plain data, safely.

Dates stay text (the fact model reads them, so `2025-02-30` is an error that names its field, not a crash of
YAML's own timestamp parsing); nesting is bounded; integers too long to be a count stay text; every syntax error
names the line and column."""

from __future__ import annotations

from typing import Any

import yaml
from yaml.composer import ComposerError
from yaml.nodes import Node, ScalarNode

MAX_DEPTH = 64
MAX_INT_DIGITS = 30
TIMESTAMP = "tag:yaml.org,2002:timestamp"


class YamlTextError(ValueError):
    """The text is not valid YAML or JSON; the message names the line and column when known."""


class _Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver, with a depth bound and guarded integers."""

    depth = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
                raise ComposerError(None, None, f"the data is nested more than {MAX_DEPTH} levels deep", mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_scalar(self, node: Node) -> Any:
        value = super().construct_scalar(node)  # type: ignore[arg-type]
        if isinstance(value, str) and any("\ud800" <= c <= "\udfff" for c in value):
            # JSON writes characters beyond U+FFFF as two escapes ("\ud83d\ude00"); put each pair together
            value = value.encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
        return value

    def construct_guarded_int(self, node: ScalarNode) -> Any:
        if sum(c.isdigit() for c in str(node.value)) > MAX_INT_DIGITS:
            return self.construct_scalar(node)  # kept as text: the model then says it is not a count
        return self.construct_yaml_int(node)


def _as_text(loader: _Loader, node: ScalarNode) -> Any:
    return loader.construct_scalar(node)


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor(TIMESTAMP, _as_text)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_guarded_int)


def read(text: str) -> Any:
    """The data in `text`; YamlTextError when it cannot be read."""
    loader: _Loader | None = None
    try:
        loader = _Loader(text)  # checks every character first
        return loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        raise YamlTextError(_marked(exc)) from None
    except yaml.reader.ReaderError as exc:
        line, column = _position(text, exc.position)
        raise YamlTextError(f"line {line}, column {column}: character U+{exc.character:04X} is not allowed") from None
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError) as exc:
        raise YamlTextError(f"cannot be read ({type(exc).__name__}: {str(exc)[:200]})") from None
    finally:
        if loader is not None:
            loader.dispose()


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _marked(exc: yaml.MarkedYAMLError) -> str:
    mark = exc.problem_mark or exc.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    message = exc.problem or exc.context or "not valid YAML"
    if exc.context and exc.problem and exc.context_mark:
        message += f" ({exc.context} at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
    snippet = mark.get_snippet(indent=4, max_length=100) if mark else None
    return where + message + (f"\n{snippet}" if snippet else "")
