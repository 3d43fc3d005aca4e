"""Hypothesis strategies for hostile input: moderator commands with wild values, and broken situation files.

Shared by tests/test_fuzz.py (a few hundred examples each, in CI) and bench/fuzz.py (many more, by hand)."""

from __future__ import annotations

import json
from typing import Any

import yaml
from hypothesis import strategies as st

# ---- values people type

CONTROL = st.sampled_from(["\x00", "\x01", "\x07", "\x1b", "\x1c", "\x7f", "\x85", "\u2028", "\t", "\n", "\r"])
DIGITS = st.sampled_from(
    [
        "²",
        "½",
        "٧٥",
        "७",
        "１２",
        "1e3",
        "--5",
        "-0",
        "0x10",
        "1_000",
        "1,000",
        "true",
        "NaN",
        "inf",
        "-1e400",
        "1e-400",
    ]
)
DATES = st.sampled_from(
    [
        "0001-01-01",
        "1899-12-31",
        "1900-01-01",
        "2025-02-30",
        "2025-13-40",
        "9999-12-31",
        "2025-03-07T25:61",
        "2025-03-07 morning",
        "by 2025-03-07",
        "2025-03",
        "today",
        "now",
        "yesterday",
        "0001-01-01T00:00+14:00",
        "9999-12-31T23:59-12:00",
    ]
)
SINCE = st.one_of(DATES, st.integers(0, 10**30).map(lambda n: f"{n}{'dhm'[n % 3]}"))
huge = st.integers(-(10**40), 10**40).map(str)
value = st.one_of(
    DIGITS,
    DATES,
    huge,
    st.integers(0, 200).map(str),
    st.builds(lambda a, c, b: a + c + b, st.text(max_size=8), CONTROL, st.text(max_size=8)),
    st.text(max_size=40),
    st.text(min_size=390, max_size=450),
    st.sampled_from(["SOHR", "Jableh", "Latakia", "at least", "dozens", "yes", "", "s1", "t1", "p5"]),
)


def _option(pair: tuple[str, str]) -> str:
    key, raw = pair
    return f'{key}="{raw}"' if '"' not in raw else f"{key}={raw.replace(' ', '_')}"


WRITE_KEYS = ["killed", "civilians", "wounded", "kidnapped", "low", "high", "qualifier", "place", "source", "via"]
WRITE_KEYS += ["as_of", "note", "date", "text", "actor", "stance", "summary", "quote", "name", "kind", "aliases"]
WRITE_KEYS += ["province", "reason", "confirm", "by", "type", "topic", "status", "urgent", "district", "lat", "lon"]
WRITE_KEYS += ["parent", "country", "iso3", "pcode", "speaks_for", "since", "time", "days"]
options = st.lists(st.tuples(st.sampled_from(WRITE_KEYS), value).map(_option), max_size=6)
targets = st.sampled_from(["t1", "t2", "t3", "e1", "r1", "m1", "c1", "s1", "p1", "a1", "t²", "t" + "9" * 40, "x"])
commands = st.one_of(
    st.builds(lambda o: " ".join(["/update toll", *o]), options),
    st.builds(
        lambda kind, o: " ".join([f"/add {kind}", *o]),
        st.sampled_from(["event", "reaction", "measure", "claim", "source", "place", "actor"]),
        options,
    ),
    st.builds(
        lambda verb, key, o: " ".join([f"/{verb} {key}", *o]), st.sampled_from(["correct", "retract"]), targets, options
    ),
    st.builds(lambda s: f'/whatchanged since="{s}"', SINCE),
    st.builds(lambda s: f"/whatchanged {s}", SINCE),
    st.builds(lambda s: f"/timeline {s}", st.one_of(DATES, value)),
    st.builds(lambda s: f"/history {s}", st.one_of(targets, value)),
    st.builds(lambda s: f"/toll {s}", value),
    st.builds(lambda s: f"/digest subscribe {s}", st.one_of(value, st.sampled_from(["25:00", "07:30 Mars/Base"]))),
)

# ---- situation files

BASE: dict[str, Any] = {
    "situation": {"slug": "river-floods", "title": "River floods", "region": "Lowlands", "timezone": "Europe/Paris"},
    "sources": [
        {"id": "s1", "name": "Water Board", "type": "government-body", "aliases": ["WB"]},
        {"id": "s2", "name": "Evening Courier", "type": "news-outlet"},
    ],
    "places": [{"id": "p1", "name": "Dordrecht", "type": "city", "province": "South Holland"}],
    "actors": [{"id": "a1", "name": "Mayor of Dordrecht", "type": "official"}],
    "tolls": [
        {"id": "t1", "source": "Water Board", "as_of": "2026-02-01", "killed": 3, "wounded": "dozens"},
        {"source": "s2", "place": "Dordrecht", "as_of": "2026-02-02 morning", "killed": 4, "qualifier": "at least"},
    ],
    "events": [{"source": "s2", "when": "2026-02-01", "text": "A dike gave way at night.", "places": ["p1"]}],
    "reactions": [{"source": "s2", "actor": "a1", "stance": "warns", "when": "2026-02-02", "summary": "Stay home."}],
    "measures": [{"source": "s1", "type": "curfew", "when": "2026-02-02", "text": "No driving on dikes.", "by": "a1"}],
    "claims": [{"source": "s2", "when": "2026-02-02", "text": "Pumps failed early."}],
}
PATHS: list[tuple[Any, ...]] = [("situation", key) for key in BASE["situation"]]
PATHS += [
    (section, i, key)
    for section, items in BASE.items()
    if section != "situation"
    for i, item in enumerate(items)
    for key in item
]

odd = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.integers(10**20, 10**60),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.builds(lambda a, c: a + c, st.text(max_size=5), CONTROL),
    DATES,
    DIGITS,
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.one_of(st.text(max_size=5), st.integers(), st.none()), st.text(max_size=5), max_size=2),
)


@st.composite
def situation_data(draw: st.DrawFn) -> Any:
    """The base file with some fields replaced, removed or added, as data."""
    data = json.loads(json.dumps(BASE))
    for path in draw(st.lists(st.sampled_from(PATHS), max_size=4, unique=True)):
        container = data
        for part in path[:-1]:
            container = container[part]
        if draw(st.booleans()):
            container[path[-1]] = draw(odd)
        else:
            container.pop(path[-1], None)
    for _ in range(draw(st.integers(0, 2))):
        section = draw(st.sampled_from(["situation", *BASE, "rumours", 12, None]))
        target = data.get(section)
        if isinstance(target, list) and target and isinstance(target[0], dict):
            target[0][draw(st.one_of(st.text(max_size=8), st.integers()))] = draw(odd)
        else:
            data[section] = draw(odd)
    return data


def _dump(data: Any, form: str) -> str:
    if form == "json":
        return json.dumps(data, default=str, allow_nan=True)
    try:
        return yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        return json.dumps(data, default=str)


@st.composite
def situation_texts(draw: st.DrawFn) -> str:
    """A situation file as text: data mutated and written as YAML or JSON, then perhaps cut or spliced."""
    text = _dump(draw(situation_data()), draw(st.sampled_from(["yaml", "json"])))
    edit = draw(st.sampled_from(["none", "none", "cut", "insert", "nest"]))
    at = draw(st.integers(0, len(text)))
    if edit == "cut":
        return text[:at]
    if edit == "insert":
        return (
            text[:at]
            + draw(
                st.one_of(
                    st.text(max_size=20),
                    st.sampled_from(
                        [
                            "[",
                            "{",
                            ": ",
                            "\n- ",
                            "&a ",
                            "*a",
                            "!!timestamp 2025-02-30",
                            "!!int " + "9" * 5000,
                            '"\\0"',
                            "\t",
                        ]
                    ),
                )
            )
            + text[at:]
        )
    if edit == "nest":
        depth = draw(st.sampled_from([10, 100, 5000]))
        return text + f"\nextra: {'[' * depth}{']' * depth}\n"
    return text


anything_as_a_file = st.one_of(situation_texts(), st.text(max_size=400))


# ---- valid but unusual files: every text and count replaced by something odd that the rules allow

odd_text = st.text(alphabet=st.characters(exclude_categories=["Cc", "Cs"]), min_size=1, max_size=120).filter(
    lambda t: t.strip() != ""
)
TEXT_FIELDS = {"note", "text", "summary", "quote", "description", "title", "region", "topic"}


@st.composite
def unusual_valid_texts(draw: st.DrawFn) -> str:
    """The base file with its free texts and counts replaced by unusual values the rules accept."""
    data = json.loads(json.dumps(BASE))
    for section, items in data.items():
        for item in [items] if section == "situation" else items:
            for key in list(item):
                if key in TEXT_FIELDS:
                    item[key] = draw(odd_text)
                elif key == "killed":
                    item[key] = draw(st.integers(0, 100_000_000))
            if section != "situation" and draw(st.booleans()):
                item["note"] = draw(odd_text)
    return _dump(data, draw(st.sampled_from(["yaml", "json"])))
