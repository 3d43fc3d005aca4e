"""A BM25 index of one snapshot's facts, made once and patched per revision (never changed once made)."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from dataclasses import dataclass, field

from briefings.facts import Actor, Fact, Place, Source, Status
from briefings.search.documents import refers_to, text_of
from briefings.search.terms import terms
from briefings.snapshot import Snapshot

K1 = 1.2
B = 0.75
NAMED_KINDS = (Place, Actor, Source)
"""Facts whose names other facts' index entries carry: when one changes, the index is made again."""


@dataclass(frozen=True)
class Hit:
    key: str
    score: float
    matched: frozenset[str]
    """The query terms this fact contains."""


REF = "@"
"""Postings under `@` + an id list the facts that refer to that place, actor or source (not counted as words)."""


def counted(snapshot: Snapshot, fact: Fact) -> Counter[str]:
    """A fact's index terms with their counts, and one `@id` entry per place, actor or source it refers to."""
    counts = Counter(terms(text_of(snapshot, fact)))
    counts.update(REF + key for key in set(refers_to(fact)))
    return counts


@dataclass
class Index:
    """term -> {fact id: count}; each fact's terms and length. Shared by every answer of one snapshot."""

    postings: dict[str, dict[str, int]] = field(default_factory=dict)
    lengths: dict[str, int] = field(default_factory=dict)
    total: int = 0

    @classmethod
    def build(cls, snapshot: Snapshot) -> Index:
        index = cls()
        for key, fact in snapshot.facts.items():
            if fact.status is not Status.retracted:
                index._add(key, counted(snapshot, fact), copy=False)
        return index

    def _add(self, key: str, counts: Counter[str], copy: bool) -> None:
        for word, count in counts.items():
            posting = self.postings.get(word)
            posting = {} if posting is None else (dict(posting) if copy else posting)
            posting[key] = count
            self.postings[word] = posting
        self.lengths[key] = sum(c for w, c in counts.items() if not w.startswith(REF))
        self.total += self.lengths[key]

    def _remove(self, key: str, old: list[str]) -> None:
        for word in set(old):
            posting = dict(self.postings.get(word, {}))
            posting.pop(key, None)
            if posting:
                self.postings[word] = posting
            else:
                self.postings.pop(word, None)
        self.total -= self.lengths.pop(key, 0)

    def patched(self, old: Snapshot, new: Snapshot, changed: dict[str, Fact]) -> Index:
        """This index with `changed` facts re-read; the old index stays as it was."""
        if any(isinstance(f, NAMED_KINDS) or isinstance(old.facts.get(k), NAMED_KINDS) for k, f in changed.items()):
            return Index.build(new)  # a name or alias changed: every fact naming it reads differently
        index = Index(dict(self.postings), dict(self.lengths), self.total)
        for key, fact in changed.items():
            if key in index.lengths:
                before = old.facts[key]
                index._remove(key, list(counted(old, before)))
            if fact.status is not Status.retracted:
                index._add(key, counted(new, fact), copy=True)
        return index

    def vocabulary(self) -> list[str]:
        return [w for w in self.postings if not w.startswith(REF)]

    def referring(self, key: str) -> list[str]:
        """The facts that refer to one place, actor or source (as their subject, place or source)."""
        return list(self.postings.get(REF + key, ()))

    def idf(self, word: str) -> float:
        count = len(self.postings.get(word, ()))
        n = len(self.lengths)
        return math.log(1 + (n - count + 0.5) / (count + 0.5))

    def search(self, query: list[str], limit: int = 50) -> list[Hit]:
        """Facts containing any query term, best first (BM25), each with the terms it matched."""
        if not self.lengths:
            return []
        average = self.total / len(self.lengths)
        scores: dict[str, float] = {}
        matched: dict[str, set[str]] = {}
        for word in dict.fromkeys(query):
            posting = self.postings.get(word)
            if not posting:
                continue
            weight = self.idf(word)
            for key, count in posting.items():
                norm = count + K1 * (1 - B + B * self.lengths[key] / average)
                scores[key] = scores.get(key, 0.0) + weight * count * (K1 + 1) / norm
                matched.setdefault(key, set()).add(word)
        ranked = heapq.nsmallest(limit, scores, key=lambda k: (-len(matched[k]), -scores[k]))
        return [Hit(k, scores[k], frozenset(matched[k])) for k in ranked]


def index_of(snapshot: Snapshot) -> Index:
    """The snapshot's index: made once, then patched for each revised snapshot."""
    return snapshot.derived("search", Index.build, _patch)


def _patch(value: Index, old: Snapshot, new: Snapshot, changed: dict[str, Fact]) -> Index:
    return value.patched(old, new, changed)
