"""A source's tolls for one place recorded since a time, as one net change: per category, its newest figure
among them against the figure it gave before (by reported time). A figure for a day before the source's latest
is back-filled: it changes no current figure and is never shown as a rise or a fall."""

from __future__ import annotations

from briefings.answers.changed import LATE, Item
from briefings.answers.figures import label as category_label
from briefings.answers.latest import latest_tolls, rank, series_of
from briefings.answers.toll import number
from briefings.facts import Toll
from briefings.reply import Line, Span, line, strong, untrusted
from briefings.snapshot import Snapshot

CATEGORIES_SHOWN = 2


def toll_line(snapshot: Snapshot, item: Item) -> Line:
    """`Monitor, Old Town: killed 48 → 52 (+4) · as of Sat 8 Mar · 2 reports [t9]`."""
    newest = snapshot.facts[item.key]
    assert isinstance(newest, Toll)
    chosen = [(k, t) for k in item.keys if isinstance(t := snapshot.facts[k], Toll)]
    series = series_of(snapshot, newest.sources[0])
    group = latest_tolls(snapshot).groups.get((newest.place, series), [])
    others = [(k, t) for k, t in group if k not in item.keys]
    label = snapshot.source_label(series) + (f", {snapshot.name_of(newest.place)}" if newest.place else "")
    moves: list[str] = []
    kept: list[str] = []
    for category in dict.fromkeys(name for _, toll in chosen for name in toll.given()):
        giving = [e for e in chosen if e[1].value(category) is not None]
        latest = max(giving, key=lambda e: rank(snapshot, e))
        toll, new, word = latest[1], latest[1].value(category), category_label(snapshot, category)
        assert new is not None
        here = rank(snapshot, latest)
        before = [e for e in others if e[1].value(category) is not None]
        later = [e for e in before if rank(snapshot, e) > here]
        if later:
            top = max(later, key=lambda e: rank(snapshot, e))[1]
            kept.append(
                f"{_figure(toll, new)} {word} as of {toll.as_of.human(with_year=False)}; "
                f"its latest stays {_figure(top, top.value(category) or 0)} ({top.as_of.human(with_year=False)})"
            )
            continue
        earlier = [e for e in before if rank(snapshot, e) < here]
        if earlier:
            base = max(earlier, key=lambda e: rank(snapshot, e))[1]
            old = base.value(category) or 0
            delta = f" ({new - old:+,})" if isinstance(new, int) and isinstance(old, int) and new != old else ""
            moves.append(f"{word} {_figure(base, old)} → {_figure(toll, new)}{delta}")
        else:
            moves.append(f"{_figure(toll, new)} {word}")
    reports = f" · {len(item.keys)} reports" if len(item.keys) > 1 else ""
    key = Span(f" [{item.key}]")
    if kept and not moves:
        return line(strong(label), ": ", untrusted(kept[0]), " — back-filled", reports, key)
    first = "" if any(" → " in m for m in moves) else " · first from this source"
    when = f" · as of {newest.as_of.human(with_year=False)}"
    late = " · back-filled (recorded late)" if item.heading == LATE else ""
    return line(strong(label), ": ", untrusted("; ".join(moves[:CATEGORIES_SHOWN])), when, first, reports, late, key)


def _figure(toll: Toll, value: int | str) -> str:
    qualifier = f"{toll.qualifier.value} " if toll.qualifier and isinstance(value, int) else ""
    return qualifier + number(value)
