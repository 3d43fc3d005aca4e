"""`briefing load` on hostile or broken situation files, run for real as a subprocess.

Every bad file ends with a non-zero exit, a message naming the file and the field, every problem of the file at
once, no traceback, and a database exactly as it was."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from briefings.store.database import create_engine
from briefings.store.schema import metadata
from tests.conftest import SEEDS
from tests.test_cli import run

HEAD = """\
situation: {slug: river-floods, title: River floods, region: Lowlands, timezone: Europe/Amsterdam}
sources:
  - {id: s1, name: Water Board, type: government-body}
places:
  - {id: p1, name: Dordrecht, type: city, province: South Holland}
"""


async def _dump(url: str) -> list[tuple[str, list[tuple[object, ...]]]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as db:
            return [
                (table.name, sorted(tuple(map(repr, row)) for row in await db.execute(select(table))))
                for table in metadata.sorted_tables
            ]
    finally:
        await engine.dispose()


def dump(url: str) -> list[tuple[str, list[tuple[object, ...]]]]:
    """Every row of every table: the database's whole state."""
    return asyncio.run(_dump(url))


def load(tmp_path: Path, url: str, text: str | bytes, *extra: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "bad.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return run(tmp_path, "load", *extra, str(path), url=url)


def check_refused(done: subprocess.CompletedProcess[str], path: Path, *expected: str) -> None:
    everything = done.stdout + done.stderr
    assert done.returncode != 0, everything
    assert "Traceback" not in everything, everything
    assert str(path) in done.stderr, everything
    for text in expected:
        assert text in done.stderr, everything
    assert "Loaded" not in done.stdout and "Applied" not in done.stdout


BAD_FILES: dict[str, tuple[str | bytes, list[str]]] = {
    "an id with a superscript digit": (
        HEAD + "tolls:\n  - {id: t², source: Water Board, as_of: 2026-02-01, killed: 3}\n",
        ["tolls[0].id: 't²' must be 't' and a number"],
    ),
    "a superscript id among sources, then one numbered on reading": (
        HEAD.replace("id: s1,", "id: s²,") + "  - {name: Rijkswaterstaat, type: government-body}\n",
        ["sources[0].id: 's²' must be 's' and a number"],
    ),
    "unquoted impossible dates": (
        HEAD
        + "tolls:\n  - {source: s1, as_of: 2026-02-30, killed: 3}\n  - {source: s1, as_of: 2026-13-40, killed: 4}\n",
        ["2 problems", "tolls[0].as_of: '2026-02-30' is not a real date", "tolls[1].as_of: '2026-13-40'"],
    ),
    "top-level keys that are a number and null": (
        HEAD + "12: x\n~: y\n",
        ["12: unknown section", "null: unknown section"],
    ),
    "20,000 nested brackets": (
        "situation: " + "[" * 20_000 + "]" * 20_000 + "\n",
        ["line 1, column", "nested more than"],
    ),
    "a 5,000-digit id": (
        HEAD + f"tolls:\n  - {{id: t{'9' * 5000}, source: s1, as_of: 2026-02-01, killed: 3}}\n",
        ["tolls[0].id: 't999", "must be 't' and a number of up to 9 digits"],
    ),
    "a 5,000-digit count": (
        HEAD + f"tolls:\n  - {{source: s1, as_of: 2026-02-01, killed: {'9' * 5000}}}\n",
        ["tolls[0].killed: is far too large a number"],
    ),
    "a count given as true": (
        HEAD + "tolls:\n  - {source: s1, as_of: 2026-02-01, killed: true}\n",
        ["tolls[0].killed: must be a whole number, not true"],
    ),
    "a count given as a decimal and as text": (
        HEAD + "tolls:\n  - {source: s1, as_of: 2026-02-01, killed: 2.5, wounded: '12'}\n",
        ["tolls[0].killed: must be a whole number", "tolls[0].wounded: must be a whole number (no quotes) or one of"],
    ),
    "a NUL character in a note": (
        HEAD + 'tolls:\n  - {source: s1, as_of: 2026-02-01, killed: 3, note: "before\\0after"}\n',
        ["tolls[0].note: contains the control character U+0000"],
    ),
    "an escape character in a place name": (
        HEAD.replace("name: Dordrecht", 'name: "Dord\\erecht"'),
        ["places[0].name: contains the control character U+001B"],
    ),
    "a YAML syntax error": (
        HEAD + "tolls:\n  - {source: s1, as_of: 2026-02-01, killed: [3}\n",
        ["not valid YAML or JSON: line 7, column 47: expected ',' or ']'", "killed: [3}"],
    ),
    "a lone surrogate escape in a JSON name": (
        '{"situation": {"slug": "river-floods", "title": "River \\ud800 floods", "region": "Lowlands"}}',
        ["situation.title: contains a broken character (lone surrogate U+D800)"],
    ),
    "a file that is not UTF-8": (
        HEAD.encode() + b"tolls:\n  - {source: s1, as_of: 2026-02-01, note: caf\xe9, killed: 3}\n",
        ["not UTF-8 text (byte 0xe9"],
    ),
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the seed, made once; each test works on a copy."""
    folder = tmp_path_factory.mktemp("seeded")
    done = run(folder, "migrate")
    assert done.returncode == 0, done.stderr
    return folder / "b.db"


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_refused_with_every_problem_named(tmp_path: Path, seeded: Path, case: str) -> None:
    (tmp_path / "b.db").write_bytes(seeded.read_bytes())
    url = f"sqlite:///{tmp_path / 'b.db'}"
    before = dump(url)
    text, expected = BAD_FILES[case]
    check_refused(load(tmp_path, url, text), tmp_path / "bad.yaml", *expected)
    assert dump(url) == before


def test_every_problem_of_a_file_is_reported_in_one_round(tmp_path: Path, database_url: str) -> None:
    """A refused place is named as refused (not "unknown") where a toll names it, and a toll with a bad id, a bad
    reference and a bad count gets all three at once; on both databases nothing is written."""
    assert run(tmp_path, "migrate", url=database_url).returncode == 0
    before = dump(database_url)
    text = HEAD.replace("type: city", "type: metropolis") + (
        "tolls:\n"
        "  - {source: s1, place: Dordrecht, as_of: 2026-02-01, killed: 3}\n"
        "  - {id: x7, source: Nobody, as_of: 2026-02-01, killed: -1}\n"
    )
    done = load(tmp_path, database_url, text)
    check_refused(
        done,
        tmp_path / "bad.yaml",
        "5 problems",
        "places[0].type: must be one of 'country', 'province'",
        "tolls[0].place: 'Dordrecht' is the place at places[0], which has problems of its own",
        "tolls[1].id: 'x7' must be 't'",
        "tolls[1].source: unknown source 'Nobody'",
        "tolls[1].killed: must be at least 0",
    )
    assert "unknown place" not in done.stderr
    assert dump(database_url) == before


def test_a_bad_file_merged_into_a_situation_changes_nothing(tmp_path: Path, database_url: str) -> None:
    assert run(tmp_path, "migrate", url=database_url).returncode == 0
    before = dump(database_url)
    seed = yaml.safe_load((SEEDS / "syria-coast-2025-03.yaml").read_text(encoding="utf-8"))
    seed["tolls"].append({"source": "s1", "as_of": "2025-03-09", "killed": True, "note": "\0"})
    text = yaml.safe_dump(seed, allow_unicode=True)
    done = load(tmp_path, database_url, text, "--merge")
    check_refused(done, tmp_path / "bad.yaml", "killed: must be a whole number, not true", "U+0000")
    assert dump(database_url) == before
