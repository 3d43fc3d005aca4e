"""A question's topic words -> index terms: known ones, close misspellings of known ones, and unknown ones."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefings.search.index import Index
from briefings.search.terms import STOP, term, word_set, words

CLOSE = 80.0
QUESTION_WORDS = word_set("is are was were did does do has have had who what when where why how which")


@dataclass
class Query:
    """The topic of a question as the index can read it."""

    topic: list[str] = field(default_factory=list)
    """The question's own topic words, as typed (normalised)."""
    known: dict[str, str] = field(default_factory=dict)
    """topic word -> index term."""
    unknown: list[str] = field(default_factory=list)
    """Topic words no fact contains, even spelled a little differently."""

    @property
    def terms(self) -> list[str]:
        return list(dict.fromkeys(self.known.values()))

    @property
    def text(self) -> str:
        return " ".join(self.topic)


def read(text: str, index: Index, skip: frozenset[str] = frozenset()) -> Query:
    """The topic words of `text` (no stop words, none of `skip`), each matched to the index's terms."""
    query = Query()
    vocabulary: list[str] | None = None
    typed = words(text)
    for i, word in enumerate(typed):
        if i + 1 < len(typed) and term(word + typed[i + 1]) in index.postings:
            word = word + typed[i + 1]  # "air strikes" where the facts say "airstrikes"
        elif i > 0 and term(typed[i - 1] + word) in index.postings:
            continue  # the second half of a word joined above
        if word in STOP or word in QUESTION_WORDS or word in skip or word in query.topic:
            continue
        query.topic.append(word)
        found = term(word)
        if found in index.postings:
            query.known[word] = found
            continue
        if len(word) >= 5:
            from rapidfuzz import fuzz, process  # loaded only when a word is not known as typed

            vocabulary = vocabulary if vocabulary is not None else [w for w in index.vocabulary() if len(w) >= 4]
            best = process.extractOne(found, vocabulary, scorer=fuzz.ratio, score_cutoff=CLOSE)
            if best:
                query.known[word] = best[0]
                continue
        query.unknown.append(word)
    return query
