"""When digests are due: pure functions of an injected instant. One slot per local day, at the local wall-clock
time, across daylight-saving changes (both hemispheres), half-hour offsets, chosen weekdays; clear parse errors."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from briefings.schedules import ALL_DAYS, Schedule, days_text, parse_days, parse_time, parse_zone

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
SYDNEY = ZoneInfo("Australia/Sydney")


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def local_dates(schedule: Schedule, slots: list[datetime]) -> list[date]:
    return [s.astimezone(schedule.zone).date() for s in slots]


def assert_one_per_local_day(schedule: Schedule, slots: list[datetime], first: date, days: int) -> None:
    """Exactly one slot per local date, consecutive, each at the schedule's wall-clock time, in UTC and ascending."""
    assert local_dates(schedule, slots) == [first + timedelta(days=n) for n in range(days)], slots
    assert slots == sorted(slots) and len(set(slots)) == len(slots)
    for slot in slots:
        assert slot.tzinfo is not None and slot.utcoffset() == timedelta(0), slot
        assert slot.astimezone(schedule.zone).time() == schedule.at, slot


# --- daylight saving in Europe/London ---------------------------------------------------------------------


def test_0800_london_across_the_march_change() -> None:
    schedule = Schedule(time(8, 0), LONDON)
    slots = schedule.slots_between(utc(2025, 3, 26, 12), utc(2025, 4, 2, 12))
    assert_one_per_local_day(schedule, slots, date(2025, 3, 27), 7)
    by_day = {s.astimezone(LONDON).date(): s for s in slots}
    assert by_day[date(2025, 3, 29)] == utc(2025, 3, 29, 8, 0)  # GMT
    assert by_day[date(2025, 3, 30)] == utc(2025, 3, 30, 7, 0)  # the change day: BST from 01:00Z
    assert by_day[date(2025, 4, 1)] == utc(2025, 4, 1, 7, 0)
    gaps = {b - a for a, b in pairwise(slots)}
    assert gaps == {timedelta(hours=24), timedelta(hours=23)}


def test_0800_london_across_the_october_change() -> None:
    schedule = Schedule(time(8, 0), LONDON)
    slots = schedule.slots_between(utc(2025, 10, 22, 12), utc(2025, 10, 29, 12))
    assert_one_per_local_day(schedule, slots, date(2025, 10, 23), 7)
    by_day = {s.astimezone(LONDON).date(): s for s in slots}
    assert by_day[date(2025, 10, 25)] == utc(2025, 10, 25, 7, 0)  # BST
    assert by_day[date(2025, 10, 26)] == utc(2025, 10, 26, 8, 0)  # GMT again from 01:00Z
    assert by_day[date(2025, 10, 28)] == utc(2025, 10, 28, 8, 0)
    gaps = {b - a for a, b in pairwise(slots)}
    assert gaps == {timedelta(hours=24), timedelta(hours=25)}


def test_0800_london_through_a_whole_year_is_one_slot_a_day() -> None:
    schedule = Schedule(time(8, 0), LONDON)
    slots = schedule.slots_between(utc(2024, 12, 31, 12), utc(2025, 12, 31, 12))
    assert_one_per_local_day(schedule, slots, date(2025, 1, 1), 365)
    summer = [s for s in slots if s.astimezone(LONDON).dst()]
    assert summer and all(s.hour == 7 for s in summer)
    assert all(s.hour == 8 for s in slots if s not in summer)


def test_0130_london_on_the_october_change_day_is_one_slot() -> None:
    """01:30 happens twice on 26 Oct 2025 (00:30Z in BST, 01:30Z in GMT): the digest is due once."""
    schedule = Schedule(time(1, 30), LONDON)
    slots = schedule.slots_between(utc(2025, 10, 25, 12), utc(2025, 10, 26, 23, 59))
    assert len(slots) == 1, slots
    assert slots[0] in (utc(2025, 10, 26, 0, 30), utc(2025, 10, 26, 1, 30))
    assert slots[0].astimezone(LONDON).time() == time(1, 30)
    assert schedule.slot_on(date(2025, 10, 26)) == slots[0]
    # A clock ticking every 5 minutes through the night sees a single due slot for that day, whatever the fold.
    seen = set()
    moment = utc(2025, 10, 25, 23, 0)
    while moment < utc(2025, 10, 26, 4, 0):
        due = schedule.latest_due(moment)
        assert due is not None
        seen.add(due)
        moment += timedelta(minutes=5)
    assert seen == {utc(2025, 10, 25, 0, 30), slots[0]}
    # The days around the change still get one slot each.
    around = schedule.slots_between(utc(2025, 10, 24, 12), utc(2025, 10, 28, 12))
    assert_one_per_local_day(schedule, around, date(2025, 10, 25), 4)


def test_0230_london_on_the_march_change_day_is_one_slot() -> None:
    schedule = Schedule(time(2, 30), LONDON)
    slots = schedule.slots_between(utc(2025, 3, 29, 12), utc(2025, 3, 30, 23, 59))
    assert slots == [utc(2025, 3, 30, 1, 30)]  # 02:30 BST
    around = schedule.slots_between(utc(2025, 3, 28, 12), utc(2025, 4, 1, 12))
    assert_one_per_local_day(schedule, around, date(2025, 3, 29), 4)


@pytest.mark.parametrize(
    ("zone", "at", "day", "shifted"),
    [
        # 01:30 does not exist in London on 30 Mar 2025 (01:00 GMT -> 02:00 BST)
        (LONDON, time(1, 30), date(2025, 3, 30), utc(2025, 3, 30, 1, 30)),
        # 02:30 does not exist in New York on 9 Mar 2025 (02:00 EST -> 03:00 EDT)
        (NEW_YORK, time(2, 30), date(2025, 3, 9), utc(2025, 3, 9, 7, 30)),
        # 02:30 does not exist in Sydney on 5 Oct 2025 (02:00 AEST -> 03:00 AEDT)
        (SYDNEY, time(2, 30), date(2025, 10, 5), utc(2025, 10, 4, 16, 30)),
    ],
)
def test_a_time_skipped_by_the_spring_change_gives_one_slot_at_the_shifted_instant(
    zone: ZoneInfo, at: time, day: date, shifted: datetime
) -> None:
    schedule = Schedule(at, zone)
    start = datetime.combine(day - timedelta(days=1), time(12), zone)
    end = datetime.combine(day, time(23, 59), zone)
    slots = schedule.slots_between(start, end)
    assert slots == [shifted]
    # the wall clock shows the hour after the gap
    assert slots[0].astimezone(zone).time() == time(at.hour + 1, at.minute)
    assert schedule.slot_on(day) == shifted
    before = schedule.slot_on(day - timedelta(days=1))
    after = schedule.slot_on(day + timedelta(days=1))
    assert before is not None and after is not None and before < shifted < after


def test_0130_new_york_on_the_november_change_day_is_one_slot() -> None:
    schedule = Schedule(time(1, 30), NEW_YORK)
    slots = schedule.slots_between(utc(2025, 11, 1, 12), utc(2025, 11, 2, 23, 0))
    assert len(slots) == 1 and slots[0] in (utc(2025, 11, 2, 5, 30), utc(2025, 11, 2, 6, 30)), slots


# --- several zones ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day", "expected"),
    [
        ("Asia/Damascus", date(2025, 1, 15), utc(2025, 1, 15, 5, 0)),  # UTC+03 all year since 2022
        ("Asia/Damascus", date(2025, 7, 15), utc(2025, 7, 15, 5, 0)),
        ("America/New_York", date(2025, 1, 15), utc(2025, 1, 15, 13, 0)),
        ("America/New_York", date(2025, 3, 8), utc(2025, 3, 8, 13, 0)),
        ("America/New_York", date(2025, 3, 9), utc(2025, 3, 9, 12, 0)),
        ("America/New_York", date(2025, 7, 15), utc(2025, 7, 15, 12, 0)),
        ("America/New_York", date(2025, 11, 2), utc(2025, 11, 2, 13, 0)),
        # southern hemisphere: summer time from October to April; the UTC instant is on the previous day
        ("Australia/Sydney", date(2025, 1, 15), utc(2025, 1, 14, 21, 0)),
        ("Australia/Sydney", date(2025, 4, 5), utc(2025, 4, 4, 21, 0)),
        ("Australia/Sydney", date(2025, 4, 6), utc(2025, 4, 5, 22, 0)),
        ("Australia/Sydney", date(2025, 7, 15), utc(2025, 7, 14, 22, 0)),
        ("Australia/Sydney", date(2025, 10, 4), utc(2025, 10, 3, 22, 0)),
        ("Australia/Sydney", date(2025, 10, 5), utc(2025, 10, 4, 21, 0)),
        ("Asia/Kolkata", date(2025, 1, 15), utc(2025, 1, 15, 2, 30)),  # UTC+05:30
        ("Asia/Kolkata", date(2025, 7, 15), utc(2025, 7, 15, 2, 30)),
        ("UTC", date(2025, 7, 15), utc(2025, 7, 15, 8, 0)),
    ],
)
def test_0800_in_several_zones(zone: str, day: date, expected: datetime) -> None:
    schedule = Schedule(time(8, 0), ZoneInfo(zone))
    assert schedule.slot_on(day) == expected
    assert schedule.slots_between(expected - timedelta(hours=12), expected + timedelta(hours=12)) == [expected]
    assert schedule.latest_due(expected) == expected
    assert schedule.latest_due(expected - timedelta(seconds=1)) == schedule.slot_on(day - timedelta(days=1))
    assert schedule.next_after(expected - timedelta(seconds=1)) == expected


@pytest.mark.parametrize(
    ("zone", "first", "days"),
    [
        ("Asia/Damascus", date(2025, 3, 1), 60),
        ("America/New_York", date(2025, 3, 1), 250),
        ("Australia/Sydney", date(2025, 3, 20), 220),
        ("Asia/Kolkata", date(2025, 1, 1), 40),
    ],
)
def test_one_slot_per_local_day_in_several_zones(zone: str, first: date, days: int) -> None:
    schedule = Schedule(time(8, 0), ZoneInfo(zone))
    start = datetime.combine(first - timedelta(days=1), time(12), schedule.zone)
    end = datetime.combine(first + timedelta(days=days - 1), time(12), schedule.zone)
    assert_one_per_local_day(schedule, schedule.slots_between(start, end), first, days)


def test_half_hour_offset_late_evening_falls_on_the_next_utc_day_only_once() -> None:
    schedule = Schedule(time(23, 45), ZoneInfo("Asia/Kolkata"))
    slots = schedule.slots_between(utc(2025, 5, 1), utc(2025, 5, 4))
    assert slots == [utc(2025, 5, 1, 18, 15), utc(2025, 5, 2, 18, 15), utc(2025, 5, 3, 18, 15)]


# --- days of the week -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("daily", ALL_DAYS),
        ("everyday", ALL_DAYS),
        ("weekdays", {0, 1, 2, 3, 4}),
        ("weekends", {5, 6}),
        ("mon-fri", {0, 1, 2, 3, 4}),
        ("Mon-Fri", {0, 1, 2, 3, 4}),
        ("fri-mon", {4, 5, 6, 0}),
        ("sat-sun", {5, 6}),
        ("sun-sat", ALL_DAYS),
        ("mon,wed,fri", {0, 2, 4}),
        ("mon, wed, fri", {0, 2, 4}),
        ("monday,thursday", {0, 3}),
        ("tue", {1}),
        ("mon-tue,thu-fri", {0, 1, 3, 4}),
    ],
)
def test_parse_days(text: str, days: set[int]) -> None:
    assert parse_days(text) == frozenset(days)


def test_days_text_names_the_common_sets() -> None:
    assert days_text(ALL_DAYS) == "daily"
    assert days_text(frozenset(range(5))) == "weekdays"
    assert days_text(frozenset({5, 6})) == "weekends"
    assert days_text(frozenset({4, 5, 6, 0})) == "mon,fri,sat,sun"
    assert parse_days(days_text(frozenset({4, 5, 6, 0}))) == frozenset({4, 5, 6, 0})
    assert Schedule(time(7, 30), LONDON, frozenset(range(5))).describe() == "07:30 Europe/London, weekdays"


def test_mon_fri_skips_weekends() -> None:
    schedule = Schedule(time(8, 0), LONDON, parse_days("mon-fri"))
    slots = schedule.slots_between(utc(2025, 6, 1), utc(2025, 6, 15))  # Sun 1 Jun .. Sun 15 Jun
    assert len(slots) == 10
    assert all(s.astimezone(LONDON).weekday() < 5 for s in slots)
    assert [s.day for s in slots] == [2, 3, 4, 5, 6, 9, 10, 11, 12, 13]
    assert schedule.slot_on(date(2025, 6, 7)) is None  # a Saturday


def test_weekends_only() -> None:
    schedule = Schedule(time(10, 0), LONDON, parse_days("weekends"))
    slots = schedule.slots_between(utc(2025, 6, 1), utc(2025, 6, 15))
    assert [s.astimezone(LONDON).date() for s in slots] == [
        date(2025, 6, 1),
        date(2025, 6, 7),
        date(2025, 6, 8),
        date(2025, 6, 14),
    ]


def test_fri_mon_wraps_over_the_weekend() -> None:
    schedule = Schedule(time(8, 0), LONDON, parse_days("fri-mon"))
    slots = schedule.slots_between(utc(2025, 6, 1), utc(2025, 6, 15, 12))
    assert [s.astimezone(LONDON).strftime("%a") for s in slots] == [
        "Sun", "Mon", "Fri", "Sat", "Sun", "Mon", "Fri", "Sat", "Sun",
    ]  # fmt: skip


def test_weekdays_are_local_weekdays_not_utc_weekdays() -> None:
    """Monday 08:00 in Sydney is Sunday 21:00/22:00 UTC: it must be kept, and Saturday's must not."""
    schedule = Schedule(time(8, 0), SYDNEY, parse_days("weekdays"))
    slots = schedule.slots_between(utc(2025, 6, 1), utc(2025, 6, 15))
    assert all(s.astimezone(SYDNEY).weekday() < 5 for s in slots)
    assert len(slots) == 10
    assert utc(2025, 6, 8, 22, 0) in slots  # Sunday in UTC, Monday 9 Jun in Sydney
    assert utc(2025, 6, 13, 22, 0) not in slots  # Friday in UTC, Saturday in Sydney


# --- latest due and next ----------------------------------------------------------------------------------


def test_latest_due_and_next_after() -> None:
    schedule = Schedule(time(8, 0), LONDON)
    slot = utc(2025, 6, 10, 7, 0)  # 08:00 BST
    assert schedule.latest_due(slot) == slot  # due at the instant itself
    assert schedule.latest_due(slot + timedelta(hours=5)) == slot
    assert schedule.latest_due(slot - timedelta(microseconds=1)) == slot - timedelta(days=1)
    assert schedule.next_after(slot) == slot + timedelta(days=1)  # strictly after
    assert schedule.next_after(slot - timedelta(seconds=1)) == slot
    # over the October change, the next 08:00 is 25 hours later
    assert schedule.next_after(utc(2025, 10, 25, 7, 0)) == utc(2025, 10, 26, 8, 0)
    assert schedule.latest_due(utc(2025, 10, 26, 7, 59)) == utc(2025, 10, 25, 7, 0)


def test_latest_due_and_next_after_with_weekdays() -> None:
    schedule = Schedule(time(8, 0), LONDON, parse_days("mon-fri"))
    friday = utc(2025, 6, 13, 7, 0)
    monday = utc(2025, 6, 16, 7, 0)
    for moment in (friday, utc(2025, 6, 14, 12), utc(2025, 6, 15, 23), monday - timedelta(seconds=1)):
        assert schedule.latest_due(moment) == friday, moment
        assert schedule.next_after(moment) == monday, moment
    assert schedule.latest_due(monday) == monday
    once_a_week = Schedule(time(8, 0), LONDON, parse_days("wed"))
    assert once_a_week.latest_due(utc(2025, 6, 17, 12)) == utc(2025, 6, 11, 7, 0)  # six days back
    assert once_a_week.next_after(utc(2025, 6, 11, 7, 0)) == utc(2025, 6, 18, 7, 0)  # a week later


def test_latest_due_with_a_non_utc_now() -> None:
    schedule = Schedule(time(8, 0), LONDON)
    damascus_now = datetime(2025, 6, 10, 10, 30, tzinfo=ZoneInfo("Asia/Damascus"))  # 07:30Z
    assert schedule.latest_due(damascus_now) == utc(2025, 6, 10, 7, 0)
    assert schedule.next_after(damascus_now) == utc(2025, 6, 11, 7, 0)


# --- parsing ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:00", time(8, 0)),
        ("8:00", time(8, 0)),
        ("8", time(8, 0)),
        ("18:30", time(18, 30)),
        ("00:00", time(0, 0)),
        ("23:59", time(23, 59)),
        ("8am", time(8, 0)),
        ("6:30pm", time(18, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        (" 07:15 ", time(7, 15)),
    ],
)
def test_parse_time(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "24:00", "08:60", "8:5", "noon", "13pm", "0am", "", "08:00:00", "-1:00"])
def test_parse_time_errors_give_examples(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_time(text)
    message = str(caught.value)
    assert f"'{text}'" in message
    assert "HH:MM" in message and "08:00" in message


def test_parse_time_25_00() -> None:
    with pytest.raises(ValueError, match=r"'25:00' is not a time of day; use HH:MM, for example 08:00"):
        parse_time("25:00")


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Europe/London", "Europe/London"),
        ("europe/london", "Europe/London"),
        (" Asia/Damascus ", "Asia/Damascus"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("america/new_york", "America/New_York"),
    ],
)
def test_parse_zone(text: str, key: str) -> None:
    assert parse_zone(text).key == key


@pytest.mark.parametrize(
    ("text", "suggestion"),
    [
        ("Londn", "Europe/London"),
        ("London", "Europe/London"),
        ("Damascus", "Asia/Damascus"),
        ("new york", "America/New_York"),
        ("Sidney", "Australia/Sydney"),
    ],
)
def test_parse_zone_suggests_a_close_name(text: str, suggestion: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_zone(text)
    message = str(caught.value)
    assert f"unknown timezone '{text}'" in message
    assert f"did you mean {suggestion}?" in message
    assert "IANA" in message and "Europe/London" in message and "UTC" in message


@pytest.mark.parametrize("text", ["Qwxzv/Plorp", "../../etc/passwd", "", "+03:00"])
def test_parse_zone_errors_without_a_close_name_still_give_examples(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_zone(text)
    message = str(caught.value)
    assert "unknown timezone" in message
    assert "use an IANA name such as Europe/London" in message


@pytest.mark.parametrize("text", ["funday", "mon-", "mon-tue-wed", "", "every", "1-5", "mon,,fri"])
def test_parse_days_errors_give_examples(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_days(text)
    message = str(caught.value)
    assert f"'{text}' is not a set of days" in message
    assert "daily" in message and "weekdays" in message and "mon-fri" in message


@pytest.mark.parametrize("word", ["month", "sunshine", "fr", "mon-funday"])
def test_words_that_only_start_like_a_day_are_not_days(word: str) -> None:
    with pytest.raises(ValueError, match="is not a set of days"):
        parse_days(word)


@pytest.mark.parametrize(("word", "days"), [("tues", {1}), ("Monday", {0}), ("thurs-sat", {3, 4, 5})])
def test_day_names_may_be_whole_or_shortened(word: str, days: set[int]) -> None:
    assert parse_days(word) == frozenset(days)
