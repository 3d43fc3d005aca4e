"""Situation files: the repository's seed loads with the right facts; bad files say exactly what is wrong."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
import yaml

from briefings.facts import Claim, Event, Measure, Place, Qualifier, Reaction, Source, Toll, Vague
from briefings.loader import SECTIONS, SituationFileError, load_file
from briefings.when import PartOfDay, When
from tests.conftest import SEEDS

SEED = SEEDS / "syria-coast-2025-03.yaml"
KNEIFATI = "a well-planned and premeditated attack"
TURKEY = "Such provocations must not be allowed to become a threat to peace in Syria and the region"


@pytest.fixture(scope="module")
def raw() -> dict[str, list[dict[str, object]]]:
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_seed_loads_every_section(raw: dict[str, list[dict[str, object]]]) -> None:
    file = load_file(SEED)
    assert file.situation.slug == "syria-coast-2025-03"
    assert file.situation.timezone == "Asia/Damascus"
    assert set(raw) == {"situation", *SECTIONS}, "the seed has every kind of fact"
    counts: dict[str, int] = {}
    for fact in file.facts.values():
        counts[fact.kind] = counts.get(fact.kind, 0) + 1
    expected = {kind: len(raw[section]) for section, kind in SECTIONS.items()}
    assert counts == expected
    assert all(n > 0 for n in counts.values())
    assert len(file.facts) == sum(expected.values())
    # Every id in the file is kept as written.
    assert set(file.facts) == {str(item["id"]) for section in SECTIONS for item in raw[section]}


def test_seed_main_toll() -> None:
    facts = load_file(SEED).facts
    t1 = facts["t1"]
    assert isinstance(t1, Toll)
    assert t1.sources == ["s1"]
    sohr = facts["s1"]
    assert isinstance(sohr, Source) and "SOHR" in sohr.aliases
    assert (t1.qualifier, t1.killed) == (Qualifier.at_least, 70)
    assert (t1.security, t1.insurgents, t1.civilians) == (35, 32, 4)
    assert t1.wounded is Vague.dozens
    assert t1.as_of == When(day=date(2025, 3, 7), part=PartOfDay.morning)
    assert t1.place is None
    t2 = facts["t2"]
    assert isinstance(t2, Toll) and t2.place == "p5" and t2.killed == 48
    jableh = facts["p5"]
    assert isinstance(jableh, Place) and jableh.name == "Jableh"


def test_seed_quotes_are_verbatim() -> None:
    facts = load_file(SEED).facts
    quotes = {key: f.quote for key, f in facts.items() if isinstance(f, Reaction)}
    kneifati = facts["r1"]
    assert isinstance(kneifati, Reaction) and kneifati.actor == "a3"
    assert facts["a3"].label() == "Mustafa Kneifati"
    assert f'"{KNEIFATI}"' in (quotes["r1"] or "")
    turkey = facts["r6"]
    assert isinstance(turkey, Reaction) and facts[turkey.actor].label() == "Turkey"
    assert quotes["r6"] == f'"{TURKEY}"'
    assert [facts[s].label() for s in turkey.sources] == ["Turkish Foreign Ministry", "News report of 7 Mar 2025"]


def test_seed_thursday_is_6_march_2025() -> None:
    facts = load_file(SEED).facts
    thursday = date(2025, 3, 6)
    assert thursday.strftime("%A") == "Thursday"
    dated = [f for f in facts.values() if isinstance(f, Event | Reaction) and f.when.day == thursday]
    assert {f.when.human() for f in dated} == {"Thu 6 Mar 2025"}
    assert any(isinstance(f, Event) and "Clashes break out" in f.text for f in dated)
    protest = facts["r3"]
    assert isinstance(protest, Reaction) and protest.when == When(day=thursday)


def test_seed_references_are_resolved_to_ids() -> None:
    facts = load_file(SEED).facts
    for key, fact in facts.items():
        for source in getattr(fact, "sources", []):
            assert isinstance(facts[source], Source), f"{key} cites {source}"
        if isinstance(fact, Event | Measure):
            assert all(isinstance(facts[p], Place) for p in fact.places), key
        if isinstance(fact, Claim) and fact.actor:
            assert fact.actor in facts, key
    m1 = facts["m1"]
    assert isinstance(m1, Measure) and m1.by == "a1" and m1.places == ["p2", "p4"]


# --- errors -----------------------------------------------------------------------------------

HEADER = """\
situation:
  slug: test-situation
  title: Test
  region: Somewhere
  timezone: Asia/Damascus
sources:
  - id: s1
    name: Syrian Observatory for Human Rights
    aliases: [SOHR]
    type: war-monitor
places:
  - id: p1
    name: Jableh
    type: city
    province: Latakia
    aliases: [Jabla]
"""


def write(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> tuple[str, list[str]]:
    with pytest.raises(SituationFileError) as caught:
        load_file(path)
    assert caught.value.origin == str(path)
    assert str(path) in str(caught.value)
    return str(caught.value), caught.value.problems


def test_a_valid_small_file_loads(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "tolls:\n  - {source: SOHR, as_of: 2025-03-07, killed: 5, place: Jabla}\n")
    file = load_file(path)
    toll = file.facts["t1"]
    assert isinstance(toll, Toll) and toll.place == "p1" and toll.sources == ["s1"]


def test_negative_count_names_the_field(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "tolls:\n  - {id: t1, source: SOHR, as_of: 2025-03-07, killed: -5}\n")
    message, problems = problems_of(path)
    assert len(problems) == 1
    assert problems[0].startswith("tolls[0].killed: ")
    assert "must be at least 0" in message


def test_unknown_source_names_the_field_and_suggests(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "tolls:\n  - {id: t1, source: SOHRR, as_of: 2025-03-07, killed: 5}\n")
    message, problems = problems_of(path)
    assert len(problems) == 1
    assert problems[0].startswith("tolls[0].source: unknown source 'SOHRR'")
    # The suggestion names the SOHR source (by its full name).
    assert "did you mean Syrian Observatory for Human Rights" in message


def test_close_spelling_of_a_place_is_refused_in_files(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "tolls:\n  - {id: t1, source: SOHR, as_of: 2025-03-07, killed: 5, place: Jablah}\n")
    _message, problems = problems_of(path)
    assert problems == ["tolls[0].place: unknown place 'Jablah'; did you mean Jableh?"]


def test_unknown_timezone(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace("Asia/Damascus", "Mars/Olympus"))
    message, problems = problems_of(path)
    assert len(problems) == 1
    assert problems[0].startswith("situation.timezone: ")
    assert "Mars/Olympus" in message


def test_missing_situation(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.split("sources:")[0].replace("situation:", "situation_:") + "sources: []\n")
    _message, problems = problems_of(path)
    assert any(p.startswith("situation_: unknown section") for p in problems)
    assert any(p.startswith("situation") and "situation_" not in p for p in problems)


def test_unknown_section(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "casualties: []\n")
    _message, problems = problems_of(path)
    assert len(problems) == 1
    assert problems[0].startswith("casualties: unknown section")
    assert "tolls" in problems[0]  # it lists what is expected


def test_duplicate_id(tmp_path: Path) -> None:
    text = HEADER + (
        "tolls:\n"
        "  - {id: t1, source: SOHR, as_of: 2025-03-07, killed: 5}\n"
        "  - {id: t1, source: SOHR, as_of: 2025-03-07, killed: 6}\n"
    )
    _message, problems = problems_of(write(tmp_path, text))
    assert problems == ["tolls[1].id: 't1' is used twice"]


def test_id_with_the_wrong_prefix(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "tolls:\n  - {id: e1, source: SOHR, as_of: 2025-03-07, killed: 5}\n")
    _message, problems = problems_of(path)
    assert problems == ["tolls[0].id: 'e1' must be 't' and a number of up to 9 digits, like t1"]


def test_invalid_yaml_names_the_line_and_column(tmp_path: Path) -> None:
    message, problems = problems_of(write(tmp_path, HEADER + "tolls:\n  - {id: t1, killed: [5, 6}\n"))
    assert len(problems) == 1 and "not valid YAML" in problems[0]
    assert message.startswith(f"{tmp_path / 'bad.yaml'}: not valid YAML or JSON: line 18, column 27: ")
    assert "expected ',' or ']'" in message and "<unicode string>" not in message
    assert "  - {id: t1, killed: [5, 6}" in message  # the line itself, with a caret under the place


def test_a_file_that_is_a_list(tmp_path: Path) -> None:
    _message, problems = problems_of(write(tmp_path, "- a\n- b\n"))
    assert problems == ["the file must be a mapping with 'situation' and fact lists"]


def test_a_section_that_is_not_a_list(tmp_path: Path) -> None:
    _message, problems = problems_of(write(tmp_path, HEADER + "tolls: {killed: 5}\n"))
    assert problems == ["tolls: must be a list"]


def test_a_missing_file(tmp_path: Path) -> None:
    _message, problems = problems_of(tmp_path / "nowhere.yaml")
    assert len(problems) == 1 and problems[0].startswith("cannot read the file")


def test_several_problems_are_all_reported(tmp_path: Path) -> None:
    text = HEADER.replace("Asia/Damascus", "Mars/Olympus") + (
        "tolls:\n"
        "  - {id: t1, source: SOHR, as_of: 2025-03-07, killed: -5}\n"
        "  - {id: t2, source: Nobody, as_of: 2025-03-07, killed: 5}\n"
        "  - {id: t3, source: SOHR, as_of: yesterday, killed: 5}\n"
        "  - {id: t4, source: SOHR, as_of: 2025-03-07, killed: 5, low: 9}\n"
        "events:\n"
        "  - {id: e1, source: SOHR, when: 2025-03-06, text: Something, places: [Atlantis]}\n"
        "rumours: []\n"
    )
    message, problems = problems_of(write(tmp_path, text))
    fields = [p.split(":")[0] for p in problems]
    assert fields == [
        "rumours",
        "situation.timezone",
        "tolls[0].killed",
        "tolls[1].source",
        "tolls[2].as_of",
        "tolls[3]",
        "events[0].places[0]",
    ]
    assert message.startswith(f"{tmp_path / 'bad.yaml'}: 7 problems")
    assert "low (9) is above killed (5)" in message
    assert "'yesterday' is not a date" in message


def test_json_escapes_of_a_character_beyond_the_basic_plane_are_one_character(tmp_path: Path) -> None:
    """JSON writers escape such characters as two halves ("\\ud83c\\udf0a"); they are put together again."""
    path = write(
        tmp_path,
        '{"situation": {"slug": "river-floods", "title": "River floods \\ud83c\\udf0a", "region": "Lowlands"}}',
        name="flood.json",
    )
    assert load_file(path).situation.title == "River floods \U0001f30a"
