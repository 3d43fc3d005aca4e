"""Proposals from one article: every sentence read for tolls, reactions, measures and dated events."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from briefings.ingest import attribution, statements, tolls
from briefings.ingest.dates import by_publication, find_when
from briefings.ingest.known import unrecorded
from briefings.ingest.model import Proposal
from briefings.ingest.text import Span, clauses, found_names, sentences
from briefings.snapshot import Snapshot
from briefings.when import When

_PRONOUN_HEAD = re.compile(r"\b(?:he|she|it|they|the (?:official|spokesman|spokeswoman|ministry))\b", re.I)


def _digits(text: str) -> str:
    from text_to_num import alpha2digit  # type: ignore[import-untyped]  # number words: "four" -> "4", "Seventy-one" -> "71"

    return str(alpha2digit(text, "en", threshold=0))


class _Reader:
    """Reads one article sentence by sentence, remembering who spoke last and the last toll of each source."""

    def __init__(self, snapshot: Snapshot, published: datetime, article_source: str | None) -> None:
        self.snapshot, self.published, self.article_source = snapshot, published, article_source
        self.out: list[Proposal] = []
        self.last_reaction: int | None = None
        self.last_toll: tuple[int, str, str | None] | None = None
        """The sentence number, source and as-of of the last toll a source was named for."""
        self.number = 0

    def sources(self, *keys: str | None) -> list[str]:
        return list(dict.fromkeys(k for k in (*keys, self.article_source) if k))

    def read(self, article: str) -> list[Proposal]:
        for self.number, sentence in enumerate(sentences(article)):
            self.sentence(sentence)
        return self.out

    def sentence(self, span: Span) -> None:
        text = span.text
        dated = find_when(text, self.published)
        speaker = attribution.speaker_text(text)
        said_by = attribution.resolve_source(self.snapshot, speaker) if speaker else None
        unknown = {"source": speaker} if speaker and not said_by and speaker not in attribution.PRONOUNS else {}
        counted = self.toll(span, dated, said_by, unknown)
        said = self.reaction(span, dated, speaker, said_by)
        if not self.measures(span, dated, said_by) and not said:
            self.event(span, dated, said_by, counted)

    def event(self, span: Span, dated: Any, said_by: str | None, counted: bool) -> None:
        """Something that happened: the sentence (or, beside a toll, its clauses without figures) with a day,
        or naming a known place or actor."""
        parts = [p for p in clauses(_digits(span.text)) if not tolls.NUMBER.search(p)] if counted else [span.text]
        text = statements.short(" ".join(p.strip() for p in parts if statements.is_event(p)).rstrip(".,;"))
        if not text:
            return
        places, actors = found_names(self.snapshot.places, text), found_names(self.snapshot.actors, text)[:3]
        if dated:
            when = dated[0]
        elif not (places or actors):
            return
        elif statements.ongoing(text):
            when = When(day=self.published.date())
        else:
            when = by_publication(self.published)
        fields = {
            "when": when.iso(),
            "text": text,
            "places": places,
            "actors": actors,
            "sources": self.sources(said_by),
        }
        self.add(Proposal("event", fields, span.text, ((span.start, span.end),)))

    def add(self, proposal: Proposal) -> bool:
        """Keeps a proposal that names who says it; False for one nobody is credited with."""
        named = proposal.fields.get("source") or proposal.unknown.get("source")
        if proposal.fields.get("sources") == [] or ("source" in proposal.fields and not named):
            return False
        self.out.append(proposal)
        return True

    def toll(self, span: Span, dated: Any, said_by: str | None, unknown: dict[str, str]) -> bool:
        digits = _digits(span.text)
        parts = clauses(digits)
        found = tolls.figures(digits, parts, self.snapshot.situation)
        if not found.counts:
            return False
        counted = " ".join(p for p in parts if tolls.NUMBER.search(p))
        places = found_names(self.snapshot.places, counted)
        # a speaker the situation does not know is named as such, never replaced by the article's own source
        source, as_of = said_by or (None if unknown else self.article_source), dated[0].iso() if dated else None
        if said_by:
            self.last_toll = (self.number, said_by, as_of)
        elif self.last_toll and self.last_toll[0] == self.number - 1 and not dated:
            _, source, as_of = self.last_toll  # the next sentence of the same statement ("Most were killed in ...")
        fields: dict[str, Any] = dict(found.counts)
        if found.qualifier == "up to" and isinstance(found.counts.get("killed"), int):
            fields["high"] = found.counts["killed"]
        elif found.qualifier and found.qualifier != "up to":
            fields["qualifier"] = found.qualifier
        fields.update(place=places[0] if len(places) == 1 else None, source=source)
        fields["as_of"] = as_of
        proposal = Proposal("toll", fields, span.text, ((span.start, span.end),), unknown=unknown)
        if not self.merge(proposal):
            if fields["as_of"] is None:
                fields["as_of"] = by_publication(self.published).iso()
            self.add(proposal)
        return True

    def merge(self, new: Proposal) -> bool:
        """One breakdown from several sentences: the last toll of the same source and place takes the new
        figures when none of them disagrees with its own."""
        if not new.fields["source"]:
            return False
        for i in range(len(self.out) - 1, -1, -1):
            old = self.out[i]
            if old.kind != "toll" or (old.fields["source"], old.fields["place"]) != (
                new.fields["source"],
                new.fields["place"],
            ):
                continue
            counts = [k for k in new.fields if k not in ("qualifier", "place", "source", "as_of", "high")]
            if any(k in old.fields and old.fields[k] != new.fields[k] for k in counts):
                return False
            fields = {**old.fields, **{k: new.fields[k] for k in counts}}
            if new.fields["as_of"]:
                fields["as_of"] = new.fields["as_of"]
            fields.setdefault("qualifier", new.fields.get("qualifier"))
            self.out[i] = Proposal(
                "toll", fields, f"{old.evidence} … {new.evidence}", old.spans + new.spans, unknown=old.unknown
            )
            return True
        return False

    def reaction(self, span: Span, dated: Any, speaker: str | None, said_by: str | None) -> bool:
        text = span.text
        quoted = statements.quotes(text)
        head = re.split(r"[“\"]|\b(?:said|says|condemn|warn|accus|call|urg|den|reject|support|welcom)", text)[0]
        actor = attribution.resolve_actor(self.snapshot, speaker or "")
        if not actor and speaker not in attribution.PRONOUNS:
            actor = attribution.resolve_actor(self.snapshot, head)
        follows = self.last_reaction is not None and self.last_reaction == len(self.out) - 1
        if quoted and not actor and follows and (not speaker or _PRONOUN_HEAD.search(speaker or head)):
            old = self.out[-1]
            quote = "; ".join(filter(None, [old.fields.get("quote"), *(f"“{q}”" for q in quoted)]))
            merged = {**old.fields, "quote": statements.short(quote)}
            self.out[-1] = Proposal(
                "reaction", merged, f"{old.evidence} … {text}", (*old.spans, (span.start, span.end))
            )
            return True
        if not actor and follows and _PRONOUN_HEAD.search(head):
            actor = self.out[-1].fields["actor"]
        if not actor or (not (quoted and speaker) and not statements.stance(text)):
            return False
        made = False
        for part in clauses(text) if not quoted else [text]:
            stance = statements.stance(part)
            if not stance and not quoted:
                continue
            fields: dict[str, Any] = {
                "actor": actor,
                "stance": stance or "other",
                "when": (dated[0] if dated else by_publication(self.published)).iso(),
                "summary": statements.short(part) if not quoted else None,
                "quote": statements.short("; ".join(f"“{q}”" for q in quoted)) if quoted else None,
                "sources": self.sources(said_by or attribution.resolve_source(self.snapshot, head)),
            }
            if self.add(Proposal("reaction", fields, text, ((span.start, span.end),))):
                self.last_reaction, made = len(self.out) - 1, True
        return made

    def measures(self, span: Span, dated: Any, said_by: str | None) -> bool:
        made = False
        head = re.split(r",", span.text)[0]
        by = attribution.resolve_actor(self.snapshot, head)
        said_by = said_by or attribution.resolve_source(self.snapshot, head)
        for part in clauses(span.text):
            kind = statements.measure_kind(part, self.snapshot.situation)
            if not kind:
                continue
            fields = {
                "type": kind,
                "when": (dated[0] if dated else by_publication(self.published)).iso(),
                "text": statements.short(part.strip().rstrip(".")),
                "by": attribution.resolve_actor(self.snapshot, part) or by,
                "places": found_names(self.snapshot.places, part),
                "sources": self.sources(said_by),
            }
            self.add(Proposal("measure", fields, span.text, ((span.start, span.end),)))
            made = True
        return made


def propose(article: str, published: datetime, snapshot: Snapshot, article_source: str | None = None) -> list[Proposal]:
    """The facts an article states that the situation does not record yet, in the article's order.
    `article_source` (a source key) is credited with what the article states without naming anyone."""
    from briefings.ingest.new_places import new_places

    found = unrecorded(_Reader(snapshot, published, article_source).read(article), snapshot)
    return found + new_places(found, snapshot)
