"""The command tokenizer, and finding names by any spelling."""

from __future__ import annotations

import pytest

from briefings.commands.parse import MAX_LENGTH, ParseError, parse, tokens
from briefings.loader import load_file, reference_index
from briefings.names import NameIndex, UnknownName, normalize
from tests.conftest import SEEDS

# --- tokens and parse -------------------------------------------------------------------------


def test_curly_quotes_group_like_straight_ones() -> None:
    assert tokens("/toll “Beit Anan”") == ["/toll", "Beit Anan"]
    assert tokens('/toll "Beit Anan"') == ["/toll", "Beit Anan"]
    assert tokens("/toll „Beit Anan“ «Al Qardaha»") == ["/toll", "Beit Anan", "Al Qardaha"]
    assert tokens('/x “a b" c') == ["/x", "a b", "c"]  # mixed open and close still pair


def test_apostrophes_stay_literal_inside_words() -> None:
    assert tokens("/reactions Assad's people") == ["/reactions", "Assad's", "people"]
    assert tokens("/reactions Assad’s people") == ["/reactions", "Assad’s", "people"]
    assert tokens("/x ‘single’") == ["/x", "‘single’"]


def test_key_value_with_a_quoted_value() -> None:
    request = parse('/add text="Clashes in Beit Anan" Jableh Place=“Al Qardaha”')
    assert request.name == "add"
    assert request.options == {"text": "Clashes in Beit Anan", "place": "Al Qardaha"}
    assert request.words == ["Jableh"]
    assert request.rest == "Jableh"


def test_names_and_keys_are_case_insensitive_and_dashes_become_underscores() -> None:
    request = parse("/TOLL As-Of=2025-03-07 JABLEH")
    assert request.name == "toll"
    assert request.options == {"as_of": "2025-03-07"}
    assert request.words == ["JABLEH"]


def test_empty_quoted_value_is_kept() -> None:
    assert parse('/x note=""').options == {"note": ""}
    assert tokens('a "" b') == ["a", "", "b"]


@pytest.mark.parametrize("text", ['/add text="unclosed', "/add text=“unclosed", '/x "'])
def test_unclosed_quote(text: str) -> None:
    with pytest.raises(ParseError, match="quote is not closed"):
        parse(text)


def test_duplicate_key() -> None:
    with pytest.raises(ParseError, match="'as_of' is given twice"):
        parse("/x as_of=2025-03-06 AS-OF=2025-03-07")


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_empty_command(text: str) -> None:
    with pytest.raises(ParseError, match="empty command"):
        parse(text)


def test_over_long_input() -> None:
    assert parse("/toll " + "a" * (MAX_LENGTH - 6)).name == "toll"
    with pytest.raises(ParseError, match=f"the limit is {MAX_LENGTH}"):
        parse("/toll " + "a" * MAX_LENGTH)


# --- names ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed_indexes() -> dict[str, NameIndex]:
    facts = load_file(SEEDS / "syria-coast-2025-03.yaml").facts
    return {kind: reference_index(kind, facts) for kind in ("source", "place", "actor")}


@pytest.mark.parametrize(
    ("text", "key"),
    [("Jabla", "p5"), ("Al-Qardaha", "p6"), ("Lattakia", "p1"), ("Jableh", "p5"), ("p7", "p7"), ("Bayt Anan", "p7")],
)
def test_exact_alias_match(seed_indexes: dict[str, NameIndex], text: str, key: str) -> None:
    places = seed_indexes["place"]
    assert places.exact(text) == key
    assert places.resolve(text) == key


def test_exact_names(seed_indexes: dict[str, NameIndex]) -> None:
    places = seed_indexes["place"]
    assert places.name(places.resolve("Jabla")) == "Jableh"
    assert places.name(places.resolve("Al-Qardaha")) == "Qardaha"
    assert places.name(places.resolve("Lattakia")) == "Latakia"
    assert places.resolve("qardaha") == places.resolve("Qardaha")  # "al" prefix optional both ways
    assert seed_indexes["source"].resolve("sohr") == "s1"


@pytest.mark.parametrize("text", ["Türkiye", "TÜRKIYE", "turkiye", "  Turkey ", "ANKARA"])
def test_case_and_accents_do_not_matter(seed_indexes: dict[str, NameIndex], text: str) -> None:
    assert seed_indexes["actor"].resolve(text) == "a7"


def test_normalize() -> None:
    assert normalize("Al-Qardaha") == normalize("al qardaha") == "al qardaha"
    assert normalize("Türkiye") == "turkiye"
    assert normalize("Assad's") == normalize("Assads")


def test_close_spelling_is_accepted(seed_indexes: dict[str, NameIndex]) -> None:
    places = seed_indexes["place"]
    assert places.exact("Jablah") is None
    assert places.find("Jablah") == "p5"
    assert places.resolve("Jablah") == "p5"


def test_ambiguity_returns_none() -> None:
    index = NameIndex.build("place", [("p1", "Alpha one", ()), ("p2", "Alpha two", ()), ("p3", "Gamma", ())])
    assert index.find("Alpha on") == "p1"  # one entry clearly fits best
    assert index.find("Alpha") is None  # two fit as well as each other
    with pytest.raises(UnknownName) as caught:
        index.resolve("Alpha")
    assert caught.value.suggestions[:2] == ["Alpha one", "Alpha two"]


def test_ambiguity_in_the_seed_suggests_both(seed_indexes: dict[str, NameIndex]) -> None:
    places = seed_indexes["place"]
    assert places.find("Tartoos") is None  # the city and the province fit about as well
    assert places.suggest("Tartoos")[:2] == ["Tartous", "Tartous province"]


def test_unknown_raises_with_suggestions(seed_indexes: dict[str, NameIndex]) -> None:
    with pytest.raises(UnknownName) as caught:
        seed_indexes["place"].resolve("Jeblia")
    error = caught.value
    assert (error.what, error.text) == ("place", "Jeblia")
    assert error.suggestions and error.suggestions[0] == "Jableh"
    assert str(error).startswith("unknown place 'Jeblia'; did you mean Jableh")


def test_unknown_without_anything_close() -> None:
    index = NameIndex.build("actor", [("a1", "Turkey", ("Ankara",))])
    with pytest.raises(UnknownName) as caught:
        index.resolve("zzzz")
    assert caught.value.suggestions == []
    assert str(caught.value) == "unknown actor 'zzzz'"
