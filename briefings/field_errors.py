"""Pydantic's validation errors said in people's words, one line per field, with the field's path."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from briefings.values import field_names


def describe(exc: ValidationError, where: str, model: type[Any] | None = None) -> list[str]:
    """`where.field: what is wrong` for each field; a union's alternatives are joined with "or"."""
    by_path: dict[str, list[str]] = {}
    for error in exc.errors():
        parts = [where, *(str(part) for part in error["loc"] if not _union_tag(part))]
        path = ".".join(p for p in parts if p)
        message = _message(error, model)
        if message not in by_path.setdefault(path, []):
            by_path[path].append(message)
    return [f"{path}: {_either(messages)}" for path, messages in by_path.items()]


def _either(messages: list[str]) -> str:
    """`must be a whole number or one of 'several', ...`"""
    return " or ".join([messages[0], *(m.removeprefix("must be ") for m in messages[1:])])


def _union_tag(part: int | str) -> bool:
    """Pydantic names the member of a union it tried (`constrained-int`, `str-enum[Vague]`); fields never have
    a dash or a bracket in their name."""
    return isinstance(part, str) and any(c in part for c in "-[")


def _message(error: ErrorDetails, model: type[Any] | None) -> str:
    kind, ctx, given = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "int_type" or kind == "int_parsing":
        if isinstance(given, str) and given.strip().isdigit():
            return "is far too large a number" if len(given) > 18 else "must be a whole number (no quotes)"
        return "must be a whole number" + (f", not {str(given).lower()}" if isinstance(given, bool) else "")
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}"
    if kind == "less_than_equal":
        return f"must be at most {_number(ctx.get('le'))}"
    if kind == "enum":
        return f"must be one of {ctx.get('expected')}"
    if kind == "missing":
        return "required"
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        fields = ", ".join(field_names(model)) if model else ""
        return "not a field here" + (f" (fields: {fields})" if fields else "")
    if kind == "string_too_long":
        return f"too long ({len(str(given))} characters; at most {ctx.get('max_length')})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_type":
        return "must be text"
    return str(error["msg"]).removeprefix("Value error, ")


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)
