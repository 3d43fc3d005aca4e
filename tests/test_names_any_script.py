"""Names in any script: places, actors and sources written in Arabic script are found by their names and aliases,
and a name with no letters or digits (`!!!`) is refused, naming the field, by `/add` and by `briefing load`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from briefings.access import Caller
from briefings.names import NameIndex, normalize
from tests.conftest import Ask
from tests.fakes.slack import FakeSlack
from tests.test_cli import env_for, run
from tests.test_slack import MODERATOR, Bot, running, shown

# The coastal city of Baniyas, with its Arabic spelling, and the port city of Latakia with the article.
BANIYAS = "بانياس"
LATAKIA = "اللاذقية"


def test_arabic_names_normalise_to_words_and_match_their_spellings() -> None:
    assert normalize(BANIYAS) == BANIYAS
    assert normalize("جَبْلَة") == normalize("جبلة") != ""  # short vowel marks do not matter
    assert normalize("أريحا") == normalize("اريحا")  # nor the hamza on the alef
    assert normalize("!!!") == "" and normalize("؟،") == ""
    assert normalize("Türkiye") == "turkiye" and normalize("Al-Qardaha") == "al qardaha"
    index = NameIndex.build("place", [("p1", "Latakia", [LATAKIA]), ("p9", "Baniyas", [BANIYAS]), ("p8", "جبلة", [])])
    assert index.find(LATAKIA) == "p1" and index.find("لاذقية") == "p1"  # with or without the article
    assert index.find(BANIYAS) == "p9" and index.find("Banias") == "p9"
    assert index.find("جبلة") == "p8" and index.find("جَبلة") == "p8"
    assert index.find("!!!") is None


@pytest.fixture
async def bot(database_url: str, fake_slack: FakeSlack) -> AsyncIterator[Bot]:
    async with running(database_url, fake_slack) as started:
        yield started


async def test_a_place_named_in_arabic_is_found_through_slack(bot: Bot, fake_slack: FakeSlack) -> None:
    added = await bot.command(f'/add place name="{BANIYAS}" kind=city province=Tartous aliases=Banias', user=MODERATOR)
    assert "Recorded" in shown(added.json()), added.text
    await bot.command(f"/update toll killed=60 place={BANIYAS} source=SOHR as_of=2025-03-09", user=MODERATOR)
    where = shown((await bot.command(f"/where {BANIYAS}")).json())
    assert "don't know" not in where and BANIYAS in where
    assert "60 killed" in shown((await bot.command(f"/toll {BANIYAS}")).json())
    assert "60 killed" in shown((await bot.command("/toll Banias")).json())


@pytest.mark.parametrize("kind", ["place", "actor", "source"])
@pytest.mark.parametrize(("option", "value"), [("name", "!!!"), ("aliases", "؟؟")])
async def test_a_name_with_no_letters_is_refused_naming_the_field(
    ask: Ask, moderator: Caller, kind: str, option: str, value: str
) -> None:
    fields = {"place": "kind=city province=Latakia", "actor": "kind=state", "source": "kind=news-agency"}[kind]
    name = f'name="{value}"' if option == "name" else f'name="Somewhere new" aliases="{value}"'
    reply, text = await ask(f"/add {kind} {name} {fields}", moderator)
    assert not reply.ok and reply.at_fault == option, text
    assert "letter" in text and "Nothing was changed" in text
    _, listing = await ask("/where" if kind == "place" else "/sources" if kind == "source" else "/reactions")
    assert "Somewhere new" not in listing and value not in listing


def test_briefing_load_refuses_a_name_with_no_letters_and_loads_arabic_names(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "situation: {slug: no-letters, title: Floods, region: Coast}\n"
        "sources:\n  - {id: s1, name: Agency, type: news-agency}\n"
        "places:\n  - {id: p1, name: '!!!', type: city}\n  - {id: p2, name: Harbour, type: city, aliases: ['---']}\n",
        encoding="utf-8",
    )
    done = run(tmp_path, "load", str(bad))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert str(bad) in done.stderr and "letter" in done.stderr
    assert "places[0].name" in done.stderr and "places[1].aliases" in done.stderr, done.stderr
    assert "no-letters" not in run(tmp_path, "ask", "/situations").stdout

    good = tmp_path / "good.yaml"
    good.write_text(
        "situation: {slug: arabic-names, title: Floods, region: Coast}\n"
        "sources:\n  - {id: s1, name: Agency, type: news-agency}\n"
        f"places:\n  - {{id: p1, name: Baniyas, type: city, country: Syria, aliases: [{BANIYAS}]}}\n"
        f"  - {{id: p2, name: {LATAKIA}, type: city, country: Syria}}\n"
        f"tolls:\n  - {{source: Agency, as_of: 2025-03-07, killed: 12, place: {BANIYAS}}}\n",
        encoding="utf-8",
    )
    loaded = run(tmp_path, "load", str(good))
    assert loaded.returncode == 0, loaded.stderr
    env = {**env_for(f"sqlite:///{tmp_path / 'b.db'}"), "BRIEFING_SITUATION": "arabic-names"}
    for question in (f"/toll {BANIYAS}", "/toll Baniyas", f"/where {LATAKIA}", "/where لاذقية"):
        answer = subprocess.run(
            [sys.executable, "-m", "bot", "ask", question], env=env, cwd=tmp_path, text=True, capture_output=True
        )
        assert answer.returncode == 0 and "don't know" not in answer.stdout, (question, answer.stdout)
    assert "12 killed" in answer.stdout or LATAKIA in answer.stdout
