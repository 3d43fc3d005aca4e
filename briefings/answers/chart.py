"""`/toll chart [place]`: the toll over time, one line per source and category, drawn headless to PNG.

Each toll claim is one point at its "as of" time (its latest revision: a corrected figure replaces the wrong one,
a retracted claim leaves the chart); a date without a time sits on its day's tick. Totals are solid lines,
civilians-only counts dashed; the latest figure of each line is labelled, and the sources are named in the
caption and the alt text. The drawing itself (matplotlib) is in `chart_drawing`, loaded only to draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from typing import TYPE_CHECKING

from briefings.answers.common import footer, named_place
from briefings.answers.hierarchy import place_tree
from briefings.answers.toll import number
from briefings.facts import Place, Toll
from briefings.reply import Image, Line, Reply, Section, line, strong, untrusted
from briefings.snapshot import Snapshot
from briefings.when import When

if TYPE_CHECKING:
    from matplotlib.figure import Figure

CATEGORIES = ("killed", "civilians")
"""Totals, and civilians-only counts (drawn dashed so they are never mistaken for totals)."""
WORD = {"killed": "killed (total)", "civilians": "civilians killed"}
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")
"""One colour per source, in the order sources first appear."""
_HOURS = {"morning": 9, "afternoon": 15, "evening": 19, "night": 23}


@dataclass(frozen=True)
class Point:
    when: When
    value: int
    key: str
    qualifier: str = ""
    """As the source gave it ("at least"), so the figure is never told as more certain than it is."""

    @property
    def at(self) -> datetime:
        """Where on the time axis: a clock time, a part of the day, or (a date alone) the day's own tick."""
        if self.when.clock:
            clock = self.when.clock
        elif self.when.part:
            clock = time(_HOURS[self.when.part.value])
        else:
            clock = time(0)
        return datetime.combine(self.when.day, clock)


@dataclass
class Series:
    source: str
    category: str
    place: str | None
    label: str
    colour: str
    points: list[Point] = field(default_factory=list)

    @property
    def latest(self) -> Point:
        return self.points[-1]


def series(snapshot: Snapshot, places: set[str | None]) -> list[Series]:
    """The toll claims in `places` (None: the whole situation) as lines per (source, category, place)."""
    found: dict[tuple[str, str, str | None], Series] = {}
    colours: dict[str, str] = {}
    tolls = sorted(snapshot.all(Toll), key=lambda e: (e[1].as_of.sort_key(), snapshot.recorded_at.get(e[0])))
    for key, toll in tolls:
        if toll.place not in places:
            continue
        source = toll.sources[0]
        for category in CATEGORIES:
            value = getattr(toll, category)
            if not isinstance(value, int):
                continue
            colour = colours.setdefault(source, PALETTE[len(colours) % len(PALETTE)])
            label = f"{snapshot.source_label(source)} — {WORD[category]}"
            if len(places) > 1 and toll.place is not None:
                label += f" ({snapshot.name_of(toll.place)})"
            line_ = found.setdefault(
                (source, category, toll.place), Series(source, category, toll.place, label, colour)
            )
            qualifier = toll.qualifier.value if toll.qualifier else ""
            point = Point(toll.as_of, value, key, qualifier)
            if line_.points and line_.points[-1].at == point.at:
                line_.points[-1] = point  # the same moment reported twice: the later record stands
            else:
                line_.points.append(point)
    for item in found.values():  # in time order along the axis (stable: equal moments keep the order reported)
        item.points.sort(key=lambda p: p.at)
    return list(found.values())


def draw(title: str, lines: Sequence[Series], caption: str) -> Figure:
    """The chart as a matplotlib figure (not yet rendered), so tests can look at what is drawn."""
    from briefings.answers import chart_drawing

    return chart_drawing.draw(title, lines, caption)


def png(figure: Figure) -> bytes:
    from briefings.answers import chart_drawing

    return chart_drawing.png(figure)


def _scope(snapshot: Snapshot, place_text: str) -> tuple[set[str | None], str] | Reply:
    if not place_text:
        return {None}, ""
    place_key = named_place(snapshot, place_text)
    if isinstance(place_key, Reply):
        return place_key
    place = snapshot.facts[place_key]
    assert isinstance(place, Place)
    inside: set[str | None] = {place_key, *place_tree(snapshot).descendants(place_key)}
    return inside, place.name


def as_given(point: Point) -> str:
    """The number as the source gave it: `at least 70`."""
    return f"{point.qualifier} {number(point.value)}" if point.qualifier else number(point.value)


def describe(point: Point) -> str:
    return f"{as_given(point)} ({point.when.human(with_year=False)})"


def answer(snapshot: Snapshot, place_text: str = "") -> Reply:
    scope = _scope(snapshot, place_text)
    if isinstance(scope, Reply):
        return scope
    places, place_name = scope
    title = f"Death toll over time — {snapshot.situation.title}" + (f": {place_name}" if place_name else "")
    lines = series(snapshot, places)
    used = [snapshot.facts[p.key] for s in lines for p in s.points]
    points = {(s.source, s.category, s.place, p.at) for s in lines for p in s.points}
    where = f" for {place_name}" if place_name else ""
    if not points:
        nothing = line(f"No death toll has been reported{where} yet, so there is no chart.")
        return Reply(title, [Section(None, [nothing])])
    if len({p[3] for p in points}) == 1:
        figures = [
            line(
                untrusted(snapshot.source_label(s.source), strong=True),
                f" — {WORD[s.category]}: ",
                strong(as_given(s.latest)),
            )
            for s in lines
        ]
        first = lines[0].latest
        text: list[Line] = [
            line(
                f"Only one figure so far ({first.when.human()}); a chart needs two."
                if len(points) == 1
                else f"Only figures from one moment so far ({first.when.human()}); a chart needs two.",
            ),
            *figures,
        ]
        return Reply(title, [Section(None, text)], footer(snapshot, used, "/toll for the details"))
    names = [snapshot.source_label(s) for s in dict.fromkeys(s.source for s in lines)]
    dashed = any(s.category == "civilians" for s in lines)
    caption = "Sources: " + ", ".join(names) + (" · dashed lines: civilians only" if dashed else "")
    figure = draw(title, lines, caption)
    summary = [line(untrusted(s.label, strong=True), ": ", " → ".join(describe(p) for p in s.points)) for s in lines]
    alt = (
        f"Line chart of the death toll over time{where}, one line per source and category. "
        + "; ".join(f"{s.label}: " + ", ".join(describe(p) for p in s.points) for s in lines)
        + ". "
        + caption
        + "."
    )
    reply = Reply(
        title,
        [Section(None, [line("Each line is one source; the latest figure is labelled at its end."), *summary])],
        footer(snapshot, used, "/toll for the details"),
    )
    reply.image = Image(png(figure), alt[:1000], "toll-chart.png")
    return reply
