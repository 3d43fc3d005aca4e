"""Short articles in the style of wire reports (written for these tests; figures as reported at the time), each
with the facts a desk editor would expect proposed from it. Used by tests/test_ingest_extract.py and by
bench/ingest_quality.py. Names in expectations are display names; `None` means the field must be absent."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "syria-coast-2025-03.yaml"
QUAKE = ROOT / "tests" / "situations" / "quake-2023-02.yaml"
FLOODS = ROOT / "tests" / "situations" / "libya-floods-2023-09.yaml"
MOROCCO = ROOT / "tests" / "situations" / "morocco-quake-2023-09.yaml"


@dataclass(frozen=True)
class Article:
    name: str
    situation: Path
    published: datetime
    text: str
    expected: list[dict[str, Any]] = field(default_factory=list)
    source: str | None = None
    """The source the article itself is (a name in the situation), credited with what nobody else is."""


ARTICLES = [
    Article(
        "coordinated list, attribution at the end",
        SEED,
        datetime(2025, 3, 7, 12),
        "Fighting on the coast has cost the lives of 35 government troops and 32 pro-Assad gunmen, along with four "
        "civilians, the Syrian Observatory for Human Rights said on Friday.",
        [
            {
                "kind": "toll",
                "security": 35,
                "insurgents": 32,
                "civilians": 4,
                "killed": None,
                "source": "Syrian Observatory for Human Rights",
                "as_of": "2025-03-07",
            },
        ],
    ),
    Article(
        "a number stays in its clause",
        SEED,
        datetime(2025, 3, 7, 15),
        "Clashes in Jableh killed at least 70 people and wounded dozens of others, according to the war monitor.",
        [
            {
                "kind": "toll",
                "killed": 70,
                "wounded": "dozens",
                "qualifier": "at least",
                "place": "Jableh",
                "source": "Syrian Observatory for Human Rights",
                "as_of": "by 2025-03-07",
            },
        ],
    ),
    Article(
        "number words and a breakdown, attribution at the start",
        SEED,
        datetime(2025, 3, 9, 10),
        "According to the Syrian Observatory, the death toll has risen to 1,311, among them eight hundred and thirty "
        "civilians, 231 members of the security forces and two hundred and fifty gunmen.",
        [
            {
                "kind": "toll",
                "killed": 1311,
                "civilians": 830,
                "security": 231,
                "insurgents": 250,
                "source": "Syrian Observatory for Human Rights",
                "as_of": "by 2025-03-09",
            },
        ],
    ),
    Article(
        "a qualifier in words and a weekday",
        SEED,
        datetime(2025, 3, 8, 18),
        "More than a thousand people have been killed since Thursday, the Syrian Observatory for Human Rights said "
        "on Saturday.",
        [
            {
                "kind": "toll",
                "killed": 1000,
                "qualifier": "more than",
                "source": "Syrian Observatory for Human Rights",
                "as_of": "2025-03-08",
            },
        ],
    ),
    Article(
        "a retraction-style correction",
        SEED,
        datetime(2025, 3, 7, 20),
        "An earlier version of this report wrongly said that 50 people had died in Jableh. The Syrian Observatory "
        "for Human Rights says 48 people were killed in Jableh.",
        [
            {"kind": "toll", "killed": 48, "place": "Jableh", "source": "Syrian Observatory for Human Rights"},
        ],
    ),
    Article(
        "kidnapped, with the source at the end",
        SEED,
        datetime(2025, 3, 7, 9),
        "At least ten members of the security forces were kidnapped in Qardaha, according to the SOHR.",
        [
            {
                "kind": "toll",
                "kidnapped": 10,
                "qualifier": "at least",
                "place": "Qardaha",
                "source": "Syrian Observatory for Human Rights",
            },
        ],
    ),
    Article(
        "a quote with its speaker, and a follow-up quote",
        SEED,
        datetime(2025, 3, 7, 11),
        "Turkey warned on Friday that attacks on the security forces could put the whole region at risk. "
        "“Stability in Syria matters to all its neighbours,” it said.",
        [
            {
                "kind": "reaction",
                "actor": "Turkey",
                "stance": "warns",
                "when": "2025-03-07",
                "quote": "“Stability in Syria matters to all its neighbours,”",
            },
        ],
        source="news report",
    ),
    Article(
        "measures: a curfew and reinforcements",
        SEED,
        datetime(2025, 3, 7, 9),
        "The government imposed a curfew on Tartous on Thursday and deployed reinforcements to Latakia.",
        [
            {
                "kind": "measure",
                "type": "curfew",
                "when": "2025-03-06",
                "places": ["Tartous"],
                "by": "Syrian authorities",
            },
            {
                "kind": "measure",
                "type": "reinforcement",
                "when": "2025-03-06",
                "places": ["Latakia"],
                "by": "Syrian authorities",
            },
        ],
        source="news report",
    ),
    Article(
        "a dated event from a weekday",
        SEED,
        datetime(2025, 3, 7, 9),
        "Pro-Assad gunmen ambushed a patrol near Jableh on Thursday afternoon.",
        [{"kind": "event", "when": "2025-03-06 afternoon", "places": ["Jableh"]}],
        source="news report",
    ),
    Article(
        "yesterday, a place and an official source",
        QUAKE,
        datetime(2023, 2, 8, 8),
        "The Syrian Ministry of Health said yesterday that 812 people had been killed in government-held areas.",
        [
            {
                "kind": "toll",
                "killed": 812,
                "place": "Government-held areas",
                "source": "Syrian Ministry of Health",
                "as_of": "2023-02-07",
            },
        ],
    ),
    Article(
        "something going on as the article is written, with no day named",
        QUAKE,
        datetime(2023, 2, 8, 12),
        "Aftershocks are continuing to shake Hatay, AFAD said.",
        [
            {
                "kind": "event",
                "when": "2023-02-08",
                "places": ["Hatay"],
                "sources": ["Disaster and Emergency Management Authority"],
            }
        ],
    ),
    Article(
        "as of a weekday morning, figure after 'at'",
        QUAKE,
        datetime(2023, 2, 8, 12),
        "As of Wednesday morning, AFAD put the number of dead in Turkey at 8,574.",
        [
            {
                "kind": "toll",
                "killed": 8574,
                "place": "Turkey",
                "source": "Disaster and Emergency Management Authority",
                "as_of": "2023-02-08 morning",
            },
        ],
    ),
    Article(
        "missing and displaced, a situation's own category",
        FLOODS,
        datetime(2023, 9, 14, 10),
        "About 10,000 people are missing, the IFRC said. The IOM said on Wednesday that at least 30,000 people had "
        "been displaced in Derna. The Tripoli government education ministry said 114 schools damaged by the "
        "water would stay shut.",
        [
            {"kind": "toll", "missing": 10000, "qualifier": "about", "source": "Red Cross and Red Crescent federation"},
            {
                "kind": "toll",
                "displaced": 30000,
                "qualifier": "at least",
                "place": "Derna",
                "source": "International Organization for Migration",
                "as_of": "2023-09-13",
            },
            {"kind": "toll", "schools_damaged": 114, "source": "Tripoli government education ministry"},
        ],
    ),
    Article(
        "a dated event at night, and a state of emergency",
        FLOODS,
        datetime(2023, 9, 12, 9),
        "Two dams above Derna burst on Sunday night, the eastern administration said. The eastern administration "
        "declared a state of emergency on Monday.",
        [
            {"kind": "event", "when": "2023-09-10 night", "places": ["Derna"], "sources": ["Eastern government"]},
            {"kind": "measure", "type": "state-of-emergency", "when": "2023-09-11", "sources": ["Eastern government"]},
        ],
    ),
]
