"""What the core will make of a text, decided once before it runs: the policy questions an adapter must answer
to serve a request (does it open a form? may its answer be shared? is it for moderators? is this caller one?
how is a long answer cut?), so no adapter reads the command grammar or the moderators setting itself.

The contract (`Briefings.plan(text, caller)`; `plan` here is the same without the service):

- `text` is what a person typed for the core: a command (`/toll rome`), a command without its slash
  (`toll rome`, the words after a mention) or a question in plain words. It is never rejected: text the grammar
  cannot read plans as no command (`command is None`), and `Briefings.handle` explains the problem.
  `Plan.text` is the text to run, `Briefings.handle(plan.text, caller, request_id)` (stripped; empty is `/help`).
- `command` names the command the core will run (`toll`), or is None for a question in plain words, an unknown
  command or unreadable text. A question whose first word names a command (`timeline last week?`) is a question.
- `moderator` says whether this caller moderates; `allowed` whether they may run the command (the core checks
  it again when it runs: a plan is advice for the adapter, never a permission).
- `form` is the moderators' form the text asks for (`/update` or `/update toll` alone: `toll`; `/add event`
  alone: `event`), and `opens_form` that form only when the caller may use it — anyone else gets the core's
  refusal by running the text.
- `shareable` says the answer may be posted for everyone ("Post to channel"): a read-only command, not a change
  to the channel's digests; `shared_as` is all a public post may say about the request (`/toll`, or
  `a question`), never the typed words.
- `cut(reply, messages)` is the answer cut to what the adapter can show: `messages(reply)` says how many
  platform messages a reply renders to; past `limit`, whole entries are dropped and a last line says how many and
  how to ask for them (see `briefings/paging.py`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from briefings import paging
from briefings.access import Caller, Moderators
from briefings.commands.parse import ParseError, Request, parse
from briefings.commands.table import COMMANDS, Command
from briefings.reply import Reply

FormName = Literal["toll", "event"]
QUESTION = "a question"
SHARE_LENGTH = 2000
"""The longest text a share button carries (Slack's limit for a button's value)."""
PLANS_KEPT = 512
"""Plans kept by text: the same few commands are asked again and again."""
READING_DIGEST_WORDS = ("list", "preview")
"""`/digest` followed by one of these only reads; any other `/digest …` changes the channel's digests."""


@dataclass(frozen=True)
class Plan:
    """What the core will do with one text for one caller; see the module's docstring for the contract."""

    text: str
    command: str | None
    moderators_only: bool
    moderator: bool
    form: FormName | None
    shareable: bool
    shared_as: str

    @property
    def allowed(self) -> bool:
        """The caller may run it: it is for everyone, or they moderate."""
        return self.moderator or not self.moderators_only

    @property
    def opens_form(self) -> FormName | None:
        """The form to open instead of running the text: only for a moderator."""
        return self.form if self.moderator else None

    def cut(self, reply: Reply, messages: Callable[[Reply], int], limit: int = paging.MAX_MESSAGES) -> Reply:
        """`reply` if it renders to at most `limit` messages; else its longest head that does, ending with a line
        saying how many entries were left out and how to ask for them."""
        return paging.fit(reply, messages, self.text, limit)


def _form(request: Request) -> FormName | None:
    if request.options:
        return None
    words = [word.lower() for word in request.words]
    if request.name == "update" and words in ([], ["toll"]):
        return "toll"
    if request.name == "add" and words == ["event"]:
        return "event"
    return None


def _shareable(request: Request, text: str) -> bool:
    found = COMMANDS[request.name]
    if found.moderators_only or len(text) > SHARE_LENGTH:
        return False
    return request.name != "digest" or not request.words or request.words[0].lower() in READING_DIGEST_WORDS


def _read(text: str) -> tuple[Request | None, Command | None]:
    """The request in `text` and the command the core will run for it (None: a question, unknown, unreadable)."""
    try:
        request = parse(text)
    except ParseError:
        return None, None
    found = COMMANDS.get(request.name)
    if found is not None and not text.strip().startswith("/") and not found.moderators_only:
        from briefings.commands.questions import looks_like_question  # loaded by the first text without a slash

        if looks_like_question(text):
            found = None  # read as a question, as `Briefings.handle` reads it
    return request, found


def command_run(text: str) -> str | None:
    """The name of the command the core runs for `text`: `toll` for `/toll rome` and `toll rome`; None for a
    question in plain words, an unknown command or unreadable text."""
    found = _read(text)[1]
    return found.name if found is not None else None


@lru_cache(maxsize=PLANS_KEPT)
def _for_anyone(text: str) -> Plan:
    """The plan of `text` for a caller who does not moderate (the same for everyone: kept for the text)."""
    request, found = _read(text)
    if request is None or found is None:
        return Plan(text, None, False, False, None, False, QUESTION)
    shareable = _shareable(request, text)
    return Plan(text, found.name, found.moderators_only, False, _form(request), shareable, f"/{found.name}")


def plan(text: str, caller: Caller, moderators: Moderators) -> Plan:
    """The plan for `text` asked by `caller` (see the module's docstring)."""
    found = _for_anyone(text.strip() or "/help")
    return replace(found, moderator=True) if moderators.allow(caller) else found
