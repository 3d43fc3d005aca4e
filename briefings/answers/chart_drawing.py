"""Draws a toll chart with matplotlib, headless (Agg canvas: no pyplot, no display, no GUI), to PNG.

Loaded only when a chart is drawn: matplotlib takes longer to import than the rest of an answer takes to make."""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from matplotlib import dates as mdates
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

from briefings.answers.toll import number

if TYPE_CHECKING:
    from briefings.answers.chart import Series

_DRAWING = threading.Lock()
STYLE = {"killed": "-", "civilians": "--"}
LABEL_OFFSET = (6.0, 4.0)
"""Where a line's latest figure is written, in points from its last marker."""
DAY = ["%Y", "%b %Y", "%-d %b", "%-d %b %H:%M", "%H:%M", "%S.%f"]
"""Tick labels by scale (years, months, days, hours, minutes, seconds): each names its day, so the axis needs no
separate date written in a corner."""
DAY_START = ["", "%Y", "%b %Y", "%-d %b", "%H:%M", "%H:%M"]


def x_of(at: datetime) -> float:
    """Matplotlib's date number for a point on the time axis."""
    return float(mdates.date2num(at))  # type: ignore[no-untyped-call]


def draw(title: str, lines: Sequence[Series], caption: str) -> Figure:
    """The chart as a matplotlib figure (not yet rendered), so tests can look at what is drawn."""
    figure = Figure(figsize=(9, 5), dpi=100)
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels: list[Annotation] = []
    for item in lines:
        xs = [x_of(p.at) for p in item.points]
        ys = [p.value for p in item.points]
        axes.plot(
            xs,
            ys,
            linestyle=STYLE[item.category],
            marker="o",
            color=item.colour,
            linewidth=2,
            label=item.label,
            gid=f"series:{item.source}:{item.category}:{item.place or ''}",
        )
        last = item.latest
        labels.append(
            axes.annotate(
                number(last.value),
                xy=(x_of(last.at), last.value),
                xytext=LABEL_OFFSET,
                textcoords="offset points",
                color=item.colour,
                fontweight="bold",
            )
        )
    axes.xaxis_date()
    axes.set_title(title, loc="left")
    axes.set_ylabel("people killed")
    axes.set_xlabel("as of (the sources' own dates and times)")
    axes.set_ylim(bottom=0)
    axes.grid(True, alpha=0.3)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    axes.xaxis.set_major_formatter(
        mdates.ConciseDateFormatter(  # type: ignore[no-untyped-call]
            locator, formats=DAY, zero_formats=DAY_START, show_offset=False
        )
    )
    axes.margins(x=0.12)
    axes.legend(loc="upper left", fontsize="small", frameon=False, handlelength=3.5)
    figure.text(0.01, 0.01, caption, fontsize="small", color="#444444")
    figure.tight_layout(rect=(0, 0.05, 1, 1))
    _keep_apart(labels, canvas)
    return figure


def _keep_apart(labels: list[Annotation], canvas: FigureCanvasAgg) -> None:
    """Moves the latest-figure labels up, lowest first, until none is written over another."""
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    placed: list[Bbox] = []
    for label in sorted(labels, key=lambda a: (a.xy[1], a.xy[0])):
        box = label.get_window_extent(renderer)
        lift = 0.0
        while hit := next((other for other in placed if box.translated(0, lift).overlaps(other)), None):
            lift = hit.y1 - box.y0 + 1
        if lift:
            x, y = label.xyann
            label.xyann = (x, y + lift * 72 / label.figure.dpi)
            box = label.get_window_extent(renderer)
        placed.append(box)


def png(figure: Figure) -> bytes:
    out = io.BytesIO()
    with _DRAWING:  # charts are drawn in worker threads; matplotlib's shared caches want one at a time
        figure.savefig(out, format="png")
    return out.getvalue()
