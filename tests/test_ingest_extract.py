"""Proposals from articles: the facts a desk editor expects, each with its sentence and offsets; nothing that is
already recorded; a higher figure as an update of the record."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from briefings.facts import Actor, Fact, Place, Source
from briefings.ingest import Proposal, propose
from briefings.loader import load_file
from briefings.snapshot import Snapshot
from tests.ingest_articles import ARTICLES, FLOODS, SEED, Article

NAMED = {"source": "sources", "place": "places", "actor": "actors", "by": "actors"}
LISTED = {"sources": "sources", "places": "places", "actors": "actors"}


def names_only(path: Path) -> Snapshot:
    """The situation's names (sources, places, actors) and none of its recorded facts."""
    file = load_file(path)
    names: dict[str, Fact] = {k: f for k, f in file.facts.items() if isinstance(f, (Source, Place, Actor))}
    return Snapshot(file.situation, names)


def described(proposal: Proposal, snapshot: Snapshot) -> dict[str, Any]:
    """A proposal's fields with known names in place of keys."""
    out: dict[str, Any] = {"kind": proposal.kind}
    for name, value in proposal.fields.items():
        if name in NAMED and value is not None:
            value = getattr(snapshot, NAMED[name]).name(value)
        elif name in LISTED:
            value = [getattr(snapshot, LISTED[name]).name(v) for v in value]
        out[name] = value
    return out


def fits(found: dict[str, Any], expected: dict[str, Any]) -> bool:
    for name, value in expected.items():
        if value is None:
            if found.get(name) is not None:
                return False
        elif name in LISTED and isinstance(value, list):
            if not set(value) <= set(found.get(name) or []):
                return False
        elif found.get(name) != value:
            return False
    return True


def article_proposals(article: Article) -> tuple[Snapshot, list[Proposal]]:
    snapshot = names_only(article.situation)
    source = snapshot.sources.find(article.source) if article.source else None
    return snapshot, propose(article.text, article.published, snapshot, source)


@pytest.mark.parametrize("article", ARTICLES, ids=[a.name for a in ARTICLES])
def test_each_article_gives_the_expected_facts_and_nothing_else(article: Article) -> None:
    snapshot, proposals = article_proposals(article)
    found = [described(p, snapshot) for p in proposals]
    for expected in article.expected:
        assert any(fits(f, expected) for f in found), f"missing {expected} in {found}"
    assert len(found) == len(article.expected), found


@pytest.mark.parametrize("article", ARTICLES, ids=[a.name for a in ARTICLES])
def test_evidence_is_the_article_text_at_its_offsets(article: Article) -> None:
    _, proposals = article_proposals(article)
    for proposal in proposals:
        pieces = [article.text[start:end] for start, end in proposal.spans]
        assert " … ".join(pieces) == proposal.evidence
        assert Proposal.from_json(proposal.to_json()) == proposal


def test_a_number_never_crosses_into_the_next_clause() -> None:
    _, proposals = article_proposals(ARTICLES[1])
    (toll,) = proposals
    assert toll.fields["wounded"] == "dozens" and toll.fields["killed"] == 70


def test_a_friday_article_reads_friday_as_that_day() -> None:
    snapshot = names_only(SEED)
    text = "As of Friday morning, 70 people had been killed, according to the SOHR."
    (toll,) = propose(text, datetime(2025, 3, 7, 9), snapshot)
    assert toll.fields["as_of"] == "2025-03-07 morning"


def test_sentences_of_one_source_make_one_breakdown() -> None:
    snapshot = names_only(SEED)
    text = (
        "As of Friday morning, at least 70 people had been killed, according to the Syrian Observatory.\n"
        "At least 35 government troops and 32 pro-Assad gunmen have died, along with four civilians, the war "
        "monitor said."
    )
    (toll,) = propose(text, datetime(2025, 3, 7, 9), snapshot)
    assert {k: toll.fields.get(k) for k in ("killed", "security", "insurgents", "civilians")} == {
        "killed": 70,
        "security": 35,
        "insurgents": 32,
        "civilians": 4,
    }
    assert len(toll.spans) == 2


def test_what_is_recorded_is_not_proposed_again() -> None:
    file = load_file(FLOODS)
    snapshot = Snapshot(file.situation, dict(file.facts))
    text = "The IOM said on Wednesday that at least 30,000 people had been displaced in Derna."
    assert propose(text, datetime(2023, 9, 14, 10), snapshot) == []
    assert len(propose(text, datetime(2023, 9, 14, 10), names_only(FLOODS))) == 1


def test_a_higher_figure_is_proposed_as_an_update_of_the_record() -> None:
    file = load_file(SEED)
    snapshot = Snapshot(file.situation, dict(file.facts))
    text = "More than 1,000 people have been killed, the Syrian Observatory for Human Rights said on Saturday."
    (toll,) = propose(text, datetime(2025, 3, 8, 18), snapshot)
    assert toll.fields["killed"] == 1000 and toll.updates == "t1"
    assert toll.command(snapshot).startswith('/update toll killed=1000 qualifier="more than"')
    assert 'source="Syrian Observatory for Human Rights"' in toll.command(snapshot)


def test_an_unknown_speaker_is_named_as_unknown() -> None:
    snapshot = names_only(SEED)
    text = "At least 12 people were killed in Jableh, the regional health office said."
    (toll,) = propose(text, datetime(2025, 3, 7, 9), snapshot, snapshot.sources.find("news report"))
    assert toll.unknown == {"source": "regional health office"}
    assert toll.fields["source"] is None  # not credited to the article instead
    assert 'source="regional health office"' in toll.command(snapshot)


def test_a_follow_up_quote_after_an_uncredited_statement_is_not_an_error() -> None:
    snapshot = names_only(SEED)
    text = "Turkey warned on Friday that the fighting could spread. “Nobody gains from this,” it said."
    assert propose(text, datetime(2025, 3, 7, 9), snapshot) == []


def test_the_next_sentence_of_a_sources_statement_keeps_its_source() -> None:
    snapshot = names_only(SEED)
    text = (
        "As of Friday morning, at least 70 people had been killed, according to the Syrian Observatory. "
        "Most were killed in Jableh, with 48 people reported dead in the coastal city."
    )
    proposals = propose(text, datetime(2025, 3, 7, 9), snapshot, snapshot.sources.find("news report"))
    jableh = [p for p in proposals if p.fields.get("place") == snapshot.places.find("Jableh")]
    assert [(p.fields["killed"], p.fields["source"], p.fields["as_of"]) for p in jableh] == [
        (48, snapshot.sources.find("SOHR"), "2025-03-07 morning")
    ]


def test_day_words_read_against_the_publication_date() -> None:
    from briefings.ingest.dates import find_when

    published = datetime(2025, 3, 7, 9)  # a Friday
    said = {
        text: (found[0].iso() if (found := find_when(text, published)) else None)
        for text in (
            "as of Friday morning",
            "on Thursday",
            "yesterday",
            "on 6 March",
            "since Thursday",
            "took power in December",
            "in may be",
        )
    }
    assert said == {
        "as of Friday morning": "2025-03-07 morning",
        "on Thursday": "2025-03-06",
        "yesterday": "2025-03-06",
        "on 6 March": "2025-03-06",
        "since Thursday": None,
        "took power in December": "2024-12",
        "in may be": None,
    }
