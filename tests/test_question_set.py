"""A question set written as a team would type it (typos included), for the seed and the test situations: each
answer must say how it read the question and cite the facts expected. Pass rates per category: BENCHMARKS.md."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefings.access import Caller, Moderators
from briefings.loader import load_file
from briefings.render_text import render
from briefings.reply import Reply
from briefings.service import Briefings, load_seeds
from briefings.store import Store
from tests.conftest import SEEDS

HERE = Path(__file__).resolve().parent
DATA = yaml.safe_load((HERE / "questions" / "questions.yaml").read_text(encoding="utf-8"))
READER = Caller("console", "reader", "console")
READINGS = {"search": "a search of everything recorded", "who is": "Read as who is"}


@dataclass(frozen=True)
class Question:
    situation: str
    category: str
    text: str
    read: str
    cites: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    title: str = ""


def questions() -> list[Question]:
    return [
        Question(
            e["s"], e["c"], e["q"], e["read"], tuple(e.get("cites", ())), tuple(e.get("not", ())), e.get("title", "")
        )
        for e in DATA["questions"]
    ]


async def prepare(url: str) -> None:
    """One database holding the seed and every test situation."""
    store = await Store.open(url)
    try:
        await load_seeds(store, SEEDS)
        for path in sorted((HERE / "situations").glob("*.yaml")):
            await store.import_situation(load_file(path), "seed")
    finally:
        await store.close()


async def ask(url: str, question: Question) -> Reply:
    """The question through the real path, in a channel that follows its situation, at the situation's `now`."""
    now: Any = DATA["now"][question.situation]
    clock = now if isinstance(now, datetime) else datetime.fromisoformat(str(now))
    store = await Store.open(url)
    try:
        briefings = Briefings(store, Moderators.parse(""), question.situation, clock=lambda: clock)
        return await briefings.handle(question.text, READER)
    finally:
        await store.close()


def failure(question: Question, reply: Reply) -> str | None:
    """Why the answer is wrong, or None when it is right."""
    text = render(reply)
    wanted = READINGS.get(question.read, question.read)
    readings = [ln for ln in text.splitlines() if "Read as" in ln or "names" in ln] + [reply.title]
    if not any(wanted in r for r in readings) and not (question.read.startswith("I don't") and wanted in text):
        return f"read as {readings[:2]!r}, not {wanted!r}"
    cited = set(re.findall(r"\[([a-z]\d+)\]", text))
    missing = [k for k in question.cites if k not in cited]
    if missing:
        return f"does not cite {missing}"
    shown = [k for k in question.absent if k in cited]
    if shown:
        return f"cites {shown}, which it should not"
    if question.title and not reply.title.startswith(question.title):
        return f"title {reply.title!r}, not {question.title!r}…"
    return None


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('question-set') / 'q.db'}"
    asyncio.run(prepare(url))
    yield url


def test_the_set_is_large_and_varied() -> None:
    found = questions()
    assert len(found) >= 100 and len({q.situation for q in found}) == 4
    assert len({q.text for q in found}) == len(found)


@pytest.mark.parametrize("question", questions(), ids=lambda q: f"{q.category}:{q.text}")
def test_each_question_is_read_and_answered_as_expected(database: str, question: Question) -> None:
    reply = asyncio.run(ask(database, question))
    assert failure(question, reply) is None, (failure(question, reply), render(reply)[:1500])
