"""The core's plan for a text: what an adapter needs to know before it runs it, answered once."""

from __future__ import annotations

import pytest

from briefings.access import Caller, Moderators
from briefings.answered import command_of
from briefings.commands.plan import plan
from briefings.paging import MAX_MESSAGES
from briefings.reply import Reply, Section, line

MODERATORS = Moderators.parse("slack:UMOD, discord:role:77")
READER = Caller("slack", "UREAD", "slack:C1", "reader")
MODERATOR = Caller("slack", "UMOD", "slack:C1", "mod")
ROLE_MODERATOR = Caller("discord", "5", "discord:9", "mod", frozenset({"77"}))


@pytest.mark.parametrize(
    ("text", "command", "shareable", "shared_as"),
    [
        ("/toll jableh", "toll", True, "/toll"),
        ("toll jableh", "toll", True, "/toll"),  # the words after a mention
        ("  /TIMELINE  ", "timeline", True, "/timeline"),
        ("/digest", "digest", True, "/digest"),
        ("/digest list", "digest", True, "/digest"),
        ("/digest subscribe 08:00", "digest", False, "/digest"),
        ('/update toll killed=1 source="Monitor"', "update", False, "/update"),
        ("how many died in the harbour?", None, False, "a question"),
        ("timeline last week?", None, False, "a question"),  # a question, though it starts with a command
        ("/nope", None, False, "a question"),
        ('/toll "unclosed', None, False, "a question"),
        ("/toll " + "x" * 2100, "toll", False, "/toll"),  # too long for a share button
    ],
)
def test_what_the_text_runs_and_whether_it_may_be_shared(
    text: str, command: str | None, shareable: bool, shared_as: str
) -> None:
    found = plan(text, READER, MODERATORS)
    assert (found.command, found.shareable, found.shared_as) == (command, shareable, shared_as)
    assert found.text == text.strip()


def test_empty_text_is_help() -> None:
    assert plan("  ", READER, MODERATORS).text == "/help"
    assert plan("", READER, MODERATORS).command == "help"


def test_moderator_commands_say_who_may_run_them() -> None:
    for caller, moderator in ((READER, False), (MODERATOR, True), (ROLE_MODERATOR, True)):
        found = plan("/update toll killed=3 source=x", caller, MODERATORS)
        assert found.moderators_only and found.moderator is moderator and found.allowed is moderator
    # a moderator's command in plain words that looks like a question is still that command
    assert plan("update toll killed=3 source=x?", READER, MODERATORS).command == "update"
    read = plan("/toll", READER, MODERATORS)
    assert not read.moderators_only and read.allowed and not read.moderator


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("/update", "toll"),
        ("/update toll", "toll"),
        ("/UPDATE Toll", "toll"),
        ("/add event", "event"),
        ("/update toll killed=1", None),
        ("/add reaction", None),
        ("/add", None),
        ("/toll", None),
    ],
)
def test_forms_open_for_moderators_only(text: str, form: str | None) -> None:
    assert plan(text, MODERATOR, MODERATORS).form == form
    assert plan(text, MODERATOR, MODERATORS).opens_form == form
    assert plan(text, READER, MODERATORS).form == form  # the reader's form is known, but it does not open
    assert plan(text, READER, MODERATORS).opens_form is None


def test_a_long_answer_is_cut_at_an_entry_saying_how_to_see_the_rest() -> None:
    reply = Reply("Tolls", [Section("Places", [line(f"place {n}") for n in range(40)])])
    per_message = 10

    def messages(candidate: Reply) -> int:
        lines = sum(len(section.lines) for section in candidate.sections)
        return -(-lines // per_message)

    found = plan("/toll", READER, MODERATORS)
    assert found.cut(reply, messages) is not reply
    cut = found.cut(reply, messages)
    assert messages(cut) <= MAX_MESSAGES
    last = cut.sections[-1].lines[-1].text
    assert last.startswith("11 more: Places")  # 29 entries and this line fill three messages and "/toll [" in last
    assert found.cut(reply, messages, limit=5) is reply


def test_answers_are_counted_by_the_command_that_ran() -> None:
    assert [command_of(text) for text in ("toll rome", "/toll", "timeline?", "/nope", '"open', "/update x=1?")] == [
        "toll",
        "toll",
        "question",
        "unknown",
        "question",
        "update",
    ]
