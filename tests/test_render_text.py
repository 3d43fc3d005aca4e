"""Splitting long text for platforms' limits: whole lines when they fit, else at sentence ends."""

from __future__ import annotations

from briefings.render_text import split_long


def test_a_line_that_fits_stays_whole() -> None:
    assert split_long("Clashes in Jableh.", 50) == ["Clashes in Jableh."]
    assert split_long("", 10) == [""]


def test_a_long_line_is_cut_between_sentences() -> None:
    text = "First sentence is here. Second one follows it. Third closes."
    pieces = split_long(text, 30)
    assert pieces == ["First sentence is here.", "Second one follows it.", "Third closes."]
    assert all(len(p) <= 30 for p in pieces)


def test_one_giant_sentence_is_cut_between_words_and_only_a_giant_word_mid_word() -> None:
    assert split_long("alpha beta gamma delta", 11) == ["alpha beta", "gamma delta"]
    assert split_long("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]
