"""Stored facts are read back without validation: what comes back must be exactly what validation made of the
input, for every kind and field the situation files use, and a stored fact must still validate as it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefings.facts import FACT_KINDS, Situation, Toll
from briefings.loader import load_file
from briefings.revisions import decode, encode
from briefings.stored_form import from_stored, to_stored
from briefings.validation import validate
from briefings.values import Vague
from briefings.when import INPUT, When
from tests.conftest import SEEDS

FILES = sorted(SEEDS.glob("*.yaml")) + sorted((Path(__file__).parent / "situations").glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_fact_in_the_situation_files_reads_back_as_validation_made_it(path: Path) -> None:
    file = load_file(path)
    kinds = set()
    for key, fact in file.facts.items():
        stored = encode(fact)
        assert decode(fact.kind, stored) == fact, key
        assert validate(type(fact), stored, INPUT) == fact, key
        kinds.add(fact.kind)
    assert {"source", "toll"} <= kinds
    assert from_stored(Situation, to_stored(file.situation, exclude_none=False)) == file.situation


def test_the_stored_form_keeps_types_validation_gives() -> None:
    toll = validate(
        Toll,
        {"sources": ["s1"], "as_of": "by 2025-03-07 night", "killed": 5, "wounded": "dozens", "displaced": 1200},
        INPUT,
    )
    back = decode("toll", encode(toll))
    assert isinstance(back, Toll)
    assert isinstance(back.as_of, When) and back.as_of.by and back.as_of.part is not None
    assert back.wounded is Vague.dozens and back.counts == {"displaced": 1200}
    assert back.status is toll.status and type(back.status) is type(toll.status)
    assert set(FACT_KINDS) == {"source", "place", "actor", "toll", "event", "reaction", "measure", "claim"}


def test_a_stored_fact_that_breaks_its_kinds_rules_is_refused_on_reading() -> None:
    with pytest.raises(ValueError, match="at least one figure"):
        decode("toll", {"sources": ["s1"], "as_of": "2025-03-07"})
    with pytest.raises(TypeError):
        decode("toll", {"sources": ["s1"], "as_of": "2025-03-07", "killed": 1, "kiled": 2})
