"""The toll chart reads true: its text keeps the source's "at least", labels never sit on each other, the axis
names each date on its ticks (no stray date in a corner) and a date given without a time sits on its day's tick."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import numpy as np
from matplotlib import dates as mdates
from matplotlib.figure import Figure

from briefings.access import Caller
from briefings.answers import chart
from briefings.service import Briefings
from tests.conftest import SEEDS

BRIEFING = str(Path(sys.executable).parent / "briefing")
SAME_MOMENT = [
    '/add source name="Syrian Ministry of Health" kind=government-body aliases="MoH"',
    "/update toll killed=120 source=SOHR as_of=2025-03-08T18:00",
    "/update toll killed=118 source=MoH as_of=2025-03-08T18:00",
]


def briefing(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BRIEFING_", "SLACK_", "DISCORD_"))}
    env |= {"BRIEFING_DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}", "BRIEFING_SEEDS": str(SEEDS)}
    env |= {"BRIEFING_CHART_DIR": str(tmp_path / "charts")}
    return subprocess.run([BRIEFING, *args], env=env, cwd=tmp_path, text=True, capture_output=True, timeout=120)


def test_the_text_and_alt_text_keep_at_least(tmp_path: Path) -> None:
    assert briefing(tmp_path, "ask", "/update toll killed=120 source=SOHR as_of=2025-03-08T18:00").returncode == 0
    done = briefing(tmp_path, "ask", "/toll chart")
    assert done.returncode == 0, done.stderr
    alt = next(line for line in done.stdout.splitlines() if "[Image toll-chart.png:" in line)
    assert "at least 70 (Fri 7 Mar, morning), 120 (Sat 8 Mar 18:00)" in alt
    assert "at least 70 (Fri 7 Mar, morning) → 120 (Sat 8 Mar 18:00)" in done.stdout


def test_one_figure_so_far_keeps_at_least(tmp_path: Path) -> None:
    done = briefing(tmp_path, "ask", "/toll chart")
    assert done.returncode == 0, done.stderr
    assert "a chart needs two" in done.stdout and "at least 70" in done.stdout


async def figure_for(briefings: Briefings, moderator: Caller, commands: list[str]) -> Figure:
    for text in commands:
        reply = await briefings.handle(text, moderator)
        assert reply.ok, (text, reply.title)
    snapshot = await briefings.store.snapshot(await briefings.situation_for("console"))
    figure = chart.draw("t", chart.series(snapshot, {None}), "caption")
    figure.canvas.draw()
    return figure


async def test_labels_of_lines_ending_together_do_not_overlap(briefings: Briefings, moderator: Caller) -> None:
    figure = await figure_for(briefings, moderator, SAME_MOMENT)
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = {t.get_text(): t.get_window_extent(renderer) for t in figure.axes[0].texts}
    assert {"120", "118"} <= set(labels)
    assert not labels["120"].overlaps(labels["118"]), (labels["120"], labels["118"])


async def test_the_axis_names_its_dates_and_no_date_sits_in_a_corner(briefings: Briefings, moderator: Caller) -> None:
    figure = await figure_for(briefings, moderator, SAME_MOMENT)
    axis = figure.axes[0].xaxis
    assert axis.get_offset_text().get_text() == ""
    ticks = [t.get_text() for t in axis.get_ticklabels()]
    assert any("Mar" in t for t in ticks), ticks


async def test_a_date_without_a_time_sits_on_its_days_tick(briefings: Briefings, moderator: Caller) -> None:
    figure = await figure_for(
        briefings, moderator, [*SAME_MOMENT, "/update toll killed=130 source=MoH as_of=2025-03-09"]
    )
    moh = next(
        line
        for line in figure.axes[0].get_lines()
        if "MoH" in str(line.get_label()) or "Ministry" in str(line.get_label())
    )
    assert np.asarray(moh.get_xdata()).tolist()[-1] == mdates.date2num(datetime(2025, 3, 9))  # type: ignore[no-untyped-call]
