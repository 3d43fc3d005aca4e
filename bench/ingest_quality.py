"""Benchmark: how well article ingest proposes the facts a desk editor expects, and how fast.

- The test articles (tests/ingest_articles.py): each proposal is right when it fits one expected fact; precision =
  right proposals / proposals, recall = expected facts proposed / expected facts.
- The seed article, when `../shared/seeds/000_dc70e3d1c8f0e1cd.txt` exists beside the repository (or `--seeds`
  names the folder): proposals against a snapshot holding only the seed situation's names, scored against the
  seed's tolls, reactions, measures and events (target: >= 90% proposed correctly, <= 1 wrong in 5).
- Extraction time per 1,000 words, warm (after one untimed pass), median of `--repeat` passes.

    .venv/bin/python bench/ingest_quality.py [--seeds ../shared/seeds] [--repeat 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from briefings.facts import Event, Fact, Measure, Reaction, Toll  # noqa: E402
from briefings.ingest import Proposal, propose  # noqa: E402
from briefings.loader import load_file  # noqa: E402
from tests.ingest_articles import ARTICLES, SEED  # noqa: E402
from tests.test_ingest_extract import article_proposals, described, fits, names_only  # noqa: E402

SEED_ARTICLE = "000_dc70e3d1c8f0e1cd.txt"
SEED_PUBLISHED = datetime(2025, 3, 7, 9)
SEED_SOURCE = "news report"


def score_articles() -> tuple[int, int, int, int]:
    """(right proposals, proposals, expected facts proposed, expected facts) over the test articles."""
    right = total = found = expected = 0
    for article in ARTICLES:
        snapshot, proposals = article_proposals(article)
        seen = [described(p, snapshot) for p in proposals]
        right += sum(any(fits(s, e) for e in article.expected) for s in seen)
        found += sum(any(fits(s, e) for s in seen) for e in article.expected)
        total, expected = total + len(seen), expected + len(article.expected)
    return right, total, found, expected


def _same(proposal: Proposal, fact: Fact) -> bool:
    """Whether a proposal states the recorded fact (the seed's): same kind and the fields that make it that fact."""
    f = proposal.fields
    if isinstance(fact, Toll) and proposal.kind == "toll":
        figures = {k: v for k, v in f.items() if k not in ("qualifier", "place", "source", "as_of", "high")}
        return (
            f.get("place") == fact.place
            and f.get("source") in fact.sources
            and all(str(fact.value(k)) == str(v) for k, v in figures.items())
        )
    if isinstance(fact, Reaction) and proposal.kind == "reaction":
        return f["actor"] == fact.actor and f["stance"] == fact.stance.value and f["when"] == fact.when.iso()
    if isinstance(fact, Measure) and proposal.kind == "measure":
        return f["type"] == fact.type and f["when"] == fact.when.iso()
    if isinstance(fact, Event) and proposal.kind == "event":
        return f["when"] == fact.when.iso() and fuzz.token_set_ratio(f["text"], fact.text) >= 50
    return False


def score_seed(path: Path) -> tuple[list[tuple[Proposal, str | None]], list[str], int]:
    """Each proposal with the seed fact it states (or None), the seed facts missed, and the number of words."""
    file = load_file(SEED)
    snapshot = names_only(SEED)
    text = path.read_text(encoding="utf-8")
    proposals = propose(text, SEED_PUBLISHED, snapshot, snapshot.sources.find(SEED_SOURCE))
    wanted = {k: f for k, f in file.facts.items() if isinstance(f, (Toll, Reaction, Measure, Event))}
    taken: dict[str, Proposal] = {}
    out: list[tuple[Proposal, str | None]] = []
    for proposal in proposals:
        key = next((k for k, f in wanted.items() if k not in taken and _same(proposal, f)), None)
        if key:
            taken[key] = proposal
        out.append((proposal, key))
    return out, [k for k in wanted if k not in taken], len(text.split())


def timing(texts: list[str], repeat: int) -> float:
    """Median milliseconds per 1,000 words to propose from every text once, warm."""
    snapshots = {a.name: names_only(a.situation) for a in ARTICLES}
    jobs = [(a.text, a.published, snapshots[a.name]) for a in ARTICLES]
    seed = names_only(SEED)
    jobs += [(t, SEED_PUBLISHED, seed) for t in texts]
    words = sum(len(t.split()) for t, _, _ in jobs)
    runs = []
    for attempt in range(repeat + 1):
        started = time.perf_counter()
        for text, published, snapshot in jobs:
            propose(text, published, snapshot)
        if attempt:  # the first pass loads the libraries
            runs.append((time.perf_counter() - started) * 1000 * 1000 / words)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    right, total, found, expected = score_articles()
    print(f"test articles: {len(ARTICLES)}, proposals {total}, expected facts {expected}")
    print(f"  precision {right}/{total} = {right / max(total, 1):.0%}", end=", ")
    print(f"recall {found}/{expected} = {found / max(expected, 1):.0%}")
    texts: list[str] = []
    seed_path = args.seeds / SEED_ARTICLE
    if seed_path.exists():
        scored, missed, words = score_seed(seed_path)
        texts.append(seed_path.read_text(encoding="utf-8"))
        good = sum(1 for _, key in scored if key)
        facts = good + len(missed)
        print(f"seed article ({words} words): proposals {len(scored)}, right {good}, wrong {len(scored) - good}")
        print(f"  recall {good}/{facts} = {good / max(facts, 1):.0%}, precision {good / max(len(scored), 1):.0%}")
        print("  missed: " + ", ".join(missed))
        for proposal, key in scored:
            print(f"  {key or 'WRONG':>5} {proposal.kind}: {proposal.evidence[:90]!r}")
    else:
        print(f"seed article: {seed_path} not found, skipped")
    print(f"extraction: {timing(texts, args.repeat):.1f} ms per 1,000 words (warm, median of {args.repeat})")


if __name__ == "__main__":
    main()
