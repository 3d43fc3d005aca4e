"""CSV text that spreadsheets read as data: text from people and sources is kept to one line, and a cell that a
spreadsheet would run as a formula (`=`, `+`, `-`, `@` first) is given a leading apostrophe."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from briefings.untrusted import one_line

FORMULA_START = ("=", "+", "-", "@")


def cell(value: object) -> str:
    """A value as a CSV cell: None is empty, numbers as digits, text on one line and never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    text = one_line(str(value))
    return "'" + text if text.startswith(FORMULA_START) else text


def write(rows: Iterable[Sequence[object]]) -> str:
    """Rows as CSV (RFC 4180 line ends), every cell through `cell`."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([cell(value) for value in row])
    return out.getvalue()
