"""Cutting long answers (`briefings/paging.py`): whole entries only, every left-out entry counted, the sections
left out named, and a hint only when the command has a narrower form."""

from __future__ import annotations

import math

import pytest

from briefings import paging
from briefings.render_text import render
from briefings.reply import Reply, Section, line, untrusted


def long_reply(sections: int = 12, entries: int = 5) -> Reply:
    return Reply(
        "Reactions",
        [
            Section(
                f"Government {s}",
                [
                    item
                    for e in range(entries)
                    for item in (line(f"Statement {s}.{e}: ", untrusted("words " * 40)), line("detail", level=1))
                ],
            )
            for s in range(sections)
        ],
        line("Sources: several"),
    )


def pages_of(reply: Reply) -> int:
    return math.ceil(len(render(reply)) / 3000)


def test_a_reply_that_fits_is_given_back_unchanged() -> None:
    reply = long_reply(sections=1, entries=2)
    assert paging.fit(reply, pages_of, "/reactions") is reply


def test_a_long_reply_keeps_whole_entries_and_counts_the_rest() -> None:
    reply = long_reply()
    total = paging.entry_count(reply)
    fitted = paging.fit(reply, pages_of, "/reactions", limit=2)
    assert pages_of(fitted) <= 2 and fitted.footer == reply.footer
    kept = [ln for section in fitted.sections[:-1] for ln in section.lines]
    shown = [ln.text for ln in kept if ln.level == 0]
    assert shown == [f"Statement {n // 5}.{n % 5}: " + "words " * 40 for n in range(len(shown))]
    assert all(kept[i + 1].level == 1 for i, ln in enumerate(kept) if ln.level == 0)  # details stay with them
    [more] = fitted.sections[-1].lines
    assert more.text.startswith(f"{total - len(shown)} more: ")
    assert more.text.endswith("ask for one at a time: /reactions [actor]")
    assert "Government 11" not in more.text and " and " in more.text  # five named, then "and N others"
    assert any(span.untrusted for span in more.spans)  # names are shown as untrusted text
    assert reply.sections[0].lines and paging.entry_count(reply) == total  # the original is left as it was


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("/toll", "ask for one at a time: /toll [category] [place]"),
        ("/whatchanged since=2025-03-01", "ask for one at a time: /whatchanged [since="),
        ("/digest preview", "too long to show here in full"),
        ("/sources", "too long to show here in full"),
        ("how many died?", "too long to show here in full"),
    ],
)
def test_the_hint_names_a_narrower_form_only_when_there_is_one(text: str, hint: str) -> None:
    fitted = paging.fit(long_reply(), pages_of, text, limit=1)
    assert hint in fitted.sections[-1].lines[0].text
