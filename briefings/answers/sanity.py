"""Sanity checks within one source's figures: a part above its total, a figure ten times the one before.
Shown as warnings in answers; a moderator's write that trips one is held until confirmed."""

from __future__ import annotations

from briefings.answers.common import as_of_text
from briefings.answers.figures import number, with_qualifier
from briefings.answers.latest import Group, latest_tolls, rank, series_of
from briefings.categories import category, parts_of
from briefings.facts import Toll
from briefings.snapshot import Snapshot

JUMP = 10
"""A figure this many times its source's previous one may be an extra digit..."""
JUMP_FROM = 100
"""...once the count has reached this: a moderator's write is held until confirmed (early counts often do grow
tenfold, so the answers flag it only from `SHOWN_FROM`)."""
SHOWN_FROM = 1000


def claim_warnings(snapshot: Snapshot, toll: Toll) -> list[str]:
    """Within one claim: a part above the total, or a breakdown that does not add up to it."""
    situation = snapshot.situation
    out = []
    for total in [n for n in toll.given() if parts_of(situation, n)]:
        whole = toll.value(total)
        if not isinstance(whole, int):
            continue
        parts = {n: v for n in parts_of(situation, total) if isinstance(v := toll.value(n), int)}
        above = [n for n, v in parts.items() if v > whole]
        for name in above:
            out.append(
                f"Its {category(situation, name).label} ({number(parts[name])}) are more than the "
                f"{number(whole)} total it gives."
            )
        given = sum(parts.values())
        if not above and parts and given > whole:
            out.append(f"Its breakdown adds up to {number(given)}, more than the {number(whole)} total it gives.")
        elif len(parts) >= 2 and given < whole:
            out.append(f"Its breakdown accounts for {number(given)} of the {number(whole)} total it gives.")
    return out


def jump(new: int | object, old: int | object, start: int = JUMP_FROM) -> bool:
    return isinstance(new, int) and isinstance(old, int) and old >= start and new >= JUMP * old


def series_warnings(snapshot: Snapshot, group: Group, key: str) -> list[str]:
    """For the claim `key`, the newest of one series at one place: a figure ten times the series' previous
    one, and a part newer than and above the series' latest total."""
    toll = snapshot.facts[key]
    assert isinstance(toll, Toll)
    index = latest_tolls(snapshot)
    latest, previous = index.latest.get(group, {}), index.previous.get(group, {})
    who = snapshot.source_label(group[1])
    out = []
    for name in toll.given():
        new = toll.value(name)
        if latest.get(name, ("",))[0] != key or not isinstance(new, int):
            continue
        before = previous.get(name)
        old = before[1].value(name) if before else None
        if before and isinstance(old, int) and jump(new, old, SHOWN_FROM):
            out.append(
                f"{number(new)} {category(snapshot.situation, name).label} is {new // old} times "
                f"{who}'s previous {number(old)} [{before[0]}]: check for an extra digit."
            )
        total_name = category(snapshot.situation, name).part_of
        total = latest.get(total_name) if total_name else None
        if total and total[0] != key and total_name:
            whole = total[1].value(total_name)
            if isinstance(whole, int) and new > whole and rank(snapshot, (key, toll)) > rank(snapshot, total):
                out.append(
                    f"Above {who}'s latest total, {with_qualifier(whole, total[1].qualifier)} "
                    f"{category(snapshot.situation, total_name).label} ({as_of_text(total[1].as_of)}) "
                    f"[{total[0]}]: that total is out of date."
                )
    return out


def write_problems(snapshot: Snapshot, toll: Toll) -> list[str]:
    """What holds a new claim until the moderator confirms: each names the option first (`civilians=...`)."""
    situation = snapshot.situation
    series = series_of(snapshot, toll.sources[0])
    latest = latest_tolls(snapshot).latest.get((toll.place, series), {})
    who = snapshot.source_label(series)
    out = []
    for name in toll.given():
        new = toll.value(name)
        if not isinstance(new, int):
            continue
        old = latest.get(name)
        if old and jump(new, old[1].value(name)):
            out.append(
                f"{name}={number(new)} is ten times or more {who}'s {number(old[1].value(name) or 0)} ({old[0]}); "
                "an extra digit?"
            )
        total_name = category(situation, name).part_of
        if total_name is None:
            continue
        whole = toll.value(total_name)
        if whole is None and total_name in latest:
            key, total = latest[total_name]
            whole = total.value(total_name)
            if isinstance(whole, int) and new > whole:
                out.append(
                    f"{name}={number(new)} is above {who}'s latest total, {with_qualifier(whole, total.qualifier)} "
                    f"{category(situation, total_name).label} ({key}); give its newer total too ({total_name}=N)"
                )
        elif isinstance(whole, int) and new > whole:
            out.append(f"{name}={number(new)} is above the {total_name}={number(whole)} total it comes with")
    for name in toll.given():
        new = toll.value(name)
        if not isinstance(new, int):
            continue
        for part in parts_of(situation, name):
            if toll.value(part) is None and part in latest:
                key, other = latest[part]
                value = other.value(part)
                if isinstance(value, int) and value > new:
                    out.append(f"{name}={number(new)} is below {who}'s latest {part} count, {number(value)} ({key})")
    return out
