"""Dates with precision, and the fact models' own rules."""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest
from pydantic import ValidationError

from briefings.facts import Qualifier, Situation, Toll, Vague
from briefings.revisions import decode, encode
from briefings.stored_form import from_stored, to_stored
from briefings.validation import validate
from briefings.when import PartOfDay, When


@pytest.mark.parametrize(
    "text",
    ["2024-12", "2025-03-06", "2025-03-07 morning", "2025-03-07T09:30", "by 2025-03-07", "by 2025-03-07 night"],
)
def test_when_round_trips_through_iso(text: str) -> None:
    when = When.parse(text)
    assert when.iso() == text
    assert When.parse(when.iso()) == when
    assert validate(When, to_stored(when)) == when
    assert from_stored(Toll, {**BASE, "as_of": to_stored(when), "killed": 1}).as_of == when


def test_when_keeps_the_precision_it_was_given() -> None:
    month = When.parse("2024-12")
    assert month.month_only and month.day == date(2024, 12, 1) and month.part is None and month.clock is None
    part = When.parse("2025-03-07 morning")
    assert part.day == date(2025, 3, 7) and part.part is PartOfDay.morning and not part.month_only
    clock = When.parse("2025-03-07T09:30")
    assert clock.clock == time(9, 30) and clock.part is None
    by = When.parse("by 2025-03-07")
    assert by.by and by.day == date(2025, 3, 7)
    assert When.parse("2025-03-07 09:30") == clock  # a space works like the T
    assert When.parse("  BY 2025-03-07  ") == by
    assert When.parse("2025-03-07 Morning") == part


@pytest.mark.parametrize(
    ("text", "human"),
    [
        ("2025-03-06", "Thu 6 Mar 2025"),
        ("2025-03-07 morning", "Fri 7 Mar 2025, morning"),
        ("by 2025-03-07", "by Fri 7 Mar 2025"),
        ("2024-12", "Dec 2024"),
        ("2025-03-07T09:30", "Fri 7 Mar 2025 09:30"),
    ],
)
def test_when_human(text: str, human: str) -> None:
    assert When.parse(text).human() == human


def test_when_human_without_year() -> None:
    assert When.parse("2025-03-07 morning").human(with_year=False) == "Fri 7 Mar, morning"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("2025-13-01", "not a real date"),
        ("2025-02-30", "not a real date"),
        ("2025-03-07T25:00", "not a real date or time"),
        ("yesterday", "use YYYY-MM-DD"),
        ("07/03/2025", "use YYYY-MM-DD"),
        ("2025-03 morning", "needs a day"),
        ("2025-03T09:30", "needs a day"),
    ],
)
def test_when_refuses_bad_input_with_a_helpful_message(text: str, hint: str) -> None:
    with pytest.raises(ValueError) as caught:
        When.parse(text)
    message = str(caught.value)
    assert f"'{text}'" in message
    assert hint in message


def test_when_sort_order() -> None:
    texts = [
        "2025-03-07",
        "2025-03-07 evening",
        "2025-03-07T09:30",
        "2025-03-07 morning",
        "by 2025-03-07",
        "2025-03-06",
        "2024-12",
        "2025-03-08 morning",
    ]
    ordered = sorted((When.parse(t) for t in texts), key=When.sort_key)
    assert [w.iso() for w in ordered] == [
        "2024-12",
        "2025-03-06",
        "by 2025-03-07",  # "by" a day comes before anything dated to that day
        "2025-03-07 morning",
        "2025-03-07T09:30",
        "2025-03-07 evening",
        "2025-03-07",  # the whole day, after its parts
        "2025-03-08 morning",
    ]


def test_when_covers() -> None:
    assert When.parse("2024-12").covers(date(2024, 12, 8))
    assert not When.parse("2024-12").covers(date(2025, 12, 8))
    assert When.parse("2025-03-07 morning").covers(date(2025, 3, 7))
    assert not When.parse("2025-03-07").covers(date(2025, 3, 6))


# --- tolls ------------------------------------------------------------------------------------

BASE: dict[str, Any] = {"sources": ["s1"], "as_of": "2025-03-07 morning"}


def toll(**fields: Any) -> Toll:
    return validate(Toll, {**BASE, **fields})


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"killed": -5}, "greater than or equal to 0"),
        ({"civilians": -1}, "greater than or equal to 0"),
        ({"wounded": -3}, "greater than or equal to 0"),
        ({"killed": 50, "low": 60, "high": 80}, "low (60) is above killed (50)"),
        ({"killed": 5, "low": 9, "high": 4}, "low (9) is above high (4)"),
        ({"killed": 70, "high": 60}, "high (60) is below killed (70)"),
        ({}, "needs at least one figure"),
        ({"low": 10, "high": 20}, "needs at least one figure"),
        ({"killed": 5, "injured": -3}, "greater than or equal to 0"),
        ({"killed": 5, "sources": []}, "at least 1 item"),
    ],
)
def test_toll_refuses(fields: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        toll(**fields)
    assert message in str(caught.value)


def test_toll_keeps_other_categories_and_refuses_a_bad_one_by_name() -> None:
    other = toll(killed=5, injured=3, displaced="thousands")
    assert other.value("injured") == 3 and other.value("displaced") is Vague.thousands
    assert other.given() == ["killed", "injured", "displaced"]
    with pytest.raises(ValidationError) as caught:
        toll(killed=5, sourcez="SOHR")
    assert {error["loc"][:2] for error in caught.value.errors()} == {("counts", "sourcez")}


def test_toll_accepts_civilians_only_and_vague_counts() -> None:
    civilians = toll(civilians=4)
    assert civilians.killed is None and civilians.civilians == 4
    vague = toll(killed=70, qualifier="at least", wounded="dozens")
    assert vague.wounded is Vague.dozens
    assert vague.qualifier is Qualifier.at_least
    assert vague.label() == "at least 70 killed"
    assert toll(wounded="dozens").wounded is Vague.dozens
    assert toll(killed=70, low=70, high=90).high == 90


def test_toll_serialises_when_as_text() -> None:
    dumped = encode(toll(killed=5, wounded="dozens", displaced=1200, missing="several"))
    assert dumped == {
        "status": "reported",
        "sources": ["s1"],
        "as_of": "2025-03-07 morning",
        "killed": 5,
        "wounded": "dozens",
        "counts": {"displaced": 1200, "missing": "several"},
    }
    assert decode("toll", dumped) == toll(killed=5, wounded="dozens", displaced=1200, missing="several")
    back = decode("toll", dumped)
    assert isinstance(back, Toll) and back.counts == {"displaced": 1200, "missing": Vague.several}


# --- situations -------------------------------------------------------------------------------


def test_situation_refuses_an_unknown_timezone_naming_it() -> None:
    with pytest.raises(ValidationError) as caught:
        validate(Situation, {"slug": "x-test", "title": "T", "region": "R", "timezone": "Mars/Olympus"})
    assert "unknown timezone 'Mars/Olympus'" in str(caught.value)
    assert caught.value.errors()[0]["loc"] == ("timezone",)


def test_situation_accepts_a_real_zone_and_a_valid_slug() -> None:
    situation = validate(Situation, {"slug": "coast-2025-03", "title": "T", "region": "R", "timezone": "Asia/Tokyo"})
    assert situation.zone.key == "Asia/Tokyo"
    assert validate(Situation, {"slug": "ab", "title": "T", "region": "R"}).timezone == "UTC"
    with pytest.raises(ValidationError) as caught:
        validate(Situation, {"slug": "Not A Slug", "title": "T", "region": "R"})
    assert caught.value.errors()[0]["loc"] == ("slug",)
    with pytest.raises(ValidationError) as caught:
        validate(Situation, {"slug": "ab", "title": "T", "region": "R", "regoin": "typo"})
    assert caught.value.errors()[0]["loc"] == ("regoin",)
