"""Keeping lines short: a line cut at a word with `…`, its untrusted and strong parts kept as they were."""

from __future__ import annotations

from briefings.reply import Line, Span


def clip(whole: Line, limit: int) -> Line:
    """`whole` in at most `limit` characters; the id at its end (` [t1]`) is kept whenever it is there."""
    if len(whole.text) <= limit:
        return whole
    spans = list(whole.spans)
    tail: list[Span] = []
    if spans and spans[-1].text.startswith(" [") and spans[-1].text.endswith("]"):
        tail = [spans.pop()]
    room = limit - 1 - sum(len(s.text) for s in tail)
    kept: list[Span] = []
    for span in spans:
        if len(span.text) <= room:
            kept.append(span)
            room -= len(span.text)
            continue
        cut = span.text[:room]
        if " " in cut.strip():
            cut = cut[: cut.rstrip().rfind(" ")]
        kept.append(Span(cut.rstrip(" ,;:.—–-") + "…", span.strong, span.untrusted))
        break
    return Line(tuple(kept + tail), whole.level)
