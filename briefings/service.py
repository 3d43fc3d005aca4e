"""The core's front door: text and a caller in, a reply document out. Every adapter goes through here."""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefings import suggest
from briefings.access import Caller, Moderators
from briefings.answered import Answered, answered
from briefings.clock import now
from briefings.commands.context import Context
from briefings.commands.parse import MAX_LENGTH, ParseError, Request, parse
from briefings.commands.plan import Plan as Plan
from briefings.commands.plan import plan
from briefings.commands.table import COMMANDS
from briefings.plain_settings import CoreOptions
from briefings.reply import Outcome, Reply, Section, line, problem, untrusted
from briefings.store import NotFound, Store
from briefings.suggest import Suggesting
from briefings.urgency import Urgency

if TYPE_CHECKING:
    from briefings.facts import Situation
    from briefings.loader import SituationFile
    from briefings.revisions import Change
    from briefings.snapshot import Snapshot

log = logging.getLogger(__name__)
SEED_AUTHOR = "seed"
SUFFIXES = (".yaml", ".yml", ".json")
ANSWERS_KEPT = 256
WAITING_FRESH = 5.0
"""Seconds a count of proposals waiting for review is reused by /brief (other instances' decisions show after)."""


async def load_seeds(store: Store, folder: Path) -> list[str]:
    """On a fresh database, imports every situation file in `folder`; returns the slugs loaded."""
    if await store.has_situations():
        return []
    from briefings.loader import load_file  # only a fresh database needs the file loader (and YAML)

    loaded = []
    for path in sorted(p for p in folder.glob("*") if p.suffix in SUFFIXES):
        file = load_file(path)
        if await store.import_situation(file, SEED_AUTHOR):
            loaded.append(file.situation.slug)
    return loaded


def _looks_like_question(text: str) -> bool:
    from briefings.commands.questions import looks_like_question  # loaded by the first text without a slash

    return looks_like_question(text)


class Briefings:
    def __init__(
        self,
        store: Store,
        moderators: Moderators,
        default_situation: str = "",
        clock: Callable[[], datetime] = now,
    ) -> None:
        self.store = store
        self.moderators = moderators
        self.default_situation = default_situation
        self.clock = clock
        self.answers: OrderedDict[tuple[str, int, str, bool], Reply] = OrderedDict()
        self.waiting_counts: dict[str, tuple[float, int]] = {}
        """Per situation: when the review queue was counted, and the count (cleared by any moderator's command)."""
        """Recent answers of pure commands by (situation, version, text, moderator?): shared, never changed."""
        self.urgency = Urgency()
        """Raised when a moderator marks a change urgent (the digest clock listens, to post it at once)."""
        self.answer_listeners: list[Callable[[Answered], None]] = []
        """Told of every answer `handle` gives (the serving process counts them for its metrics)."""

    @classmethod
    async def start(cls, settings: CoreOptions) -> Briefings:
        """Opens the store (migrating it) and loads the seed situations into a fresh database."""
        store = await Store.open(settings.database_url)
        try:
            loaded = await load_seeds(store, settings.seeds)
        except BaseException:
            await store.close()
            raise
        if loaded:
            log.info("loaded seed situations: %s", ", ".join(loaded))
        return cls(store, Moderators.parse(settings.moderators), settings.situation)

    async def close(self) -> None:
        await self.store.close()

    async def situation_for(self, channel: str) -> str:
        return (await self.locate(channel))[0]

    async def locate(self, channel: str) -> tuple[str, int]:
        """The situation a channel follows (its own choice, else the configured default, else the first loaded)
        and that situation's version now."""
        try:
            return await self.store.locate(channel, self.default_situation)
        except NotFound:
            if self.default_situation:
                raise
            raise NotFound("no situation loaded yet; load one with `briefing load FILE`") from None

    async def suggest(self, channel: str, kind: Suggesting, typed: str) -> list[str]:
        """What to offer while someone in `channel` types an option naming `kind`, best first."""
        if kind is Suggesting.command:
            return suggest.commands(typed)
        if kind is Suggesting.situation:
            return suggest.slugs([s.slug for s in await self.store.situations()], typed)
        snapshot = await self.store.snapshot(await self.situation_for(channel))
        return suggest.names(snapshot, kind, typed)

    async def digest(self, slug: str, since: datetime | None = None, now: datetime | None = None) -> Reply:
        """The digest of a situation as it would be posted now: changes since `since` (default 24 hours)."""
        from briefings.digests import compose  # a digest's parts, loaded by the first digest

        return await compose.situation_digest(self.store, slug, since, now or self.clock())

    @staticmethod
    def command_names() -> list[str]:
        """Every command the core runs (`toll`, `update`, …), for platforms that declare each one."""
        return sorted(COMMANDS)

    def plan(self, text: str, caller: Caller) -> Plan:
        """What `handle` will make of `text` for `caller`, decided without running it: the command, its form,
        whether its answer may be shared, whether it is for moderators and the caller is one, how to cut a long
        answer. An adapter asks once per event (the contract is in `briefings/commands/plan.py`)."""
        return plan(text, caller, self.moderators)

    async def claim_request(self, request_id: str, caller: Caller) -> bool:
        """True the first time a platform's request is seen (it is now taken, for every instance sharing the
        store); False when it was taken before: a click or an event delivered again."""
        from briefings.store.requests import RequestLedger

        return await RequestLedger(self.store).claim(request_id, caller.ident) is None

    async def situations(self) -> list[Situation]:
        return await self.store.situations()

    async def snapshot(self, slug: str) -> Snapshot:
        return await self.store.snapshot(slug)

    async def import_situation(self, file: SituationFile) -> bool:
        """Adds a situation from a file as the local operator; False (nothing written) when its slug exists."""
        return await self.store.import_situation(file, Caller.operator().ident)

    async def apply(self, slug: str, changes: Sequence[Change]) -> None:
        """Writes changes as the local operator, in one transaction (a situation file merged into its situation)."""
        await self.store.write(slug, changes, Caller.operator().ident)

    async def situation_json(self, slug: str) -> dict[str, Any]:
        """The whole situation with its history (`briefing export`)."""
        from briefings.exports import whole

        return await whole.situation_json(self.store, slug)

    async def handle(self, text: str, caller: Caller, request_id: str = "") -> Reply:
        """Runs one command as `caller` would in a chat, or answers a question in plain words (text that does
        not start with `/` and is not a command: "how many died there?"). Never raises for bad input.
        `request_id` names the platform's request: a moderator's command seen again with it runs only once."""
        started = time.perf_counter()
        reply = await self._handle(text, caller, request_id)
        if self.answer_listeners:
            told = answered(text, caller.platform, reply.outcome.value, time.perf_counter() - started)
            for listener in self.answer_listeners:
                listener(told)
        return reply

    async def _handle(self, text: str, caller: Caller, request_id: str) -> Reply:
        plain = not text.strip().startswith("/")
        try:
            request = parse(text)
        except ParseError as exc:
            unreadable = problem(f"I couldn't read that: {exc}.")
            if plain and text.strip() and len(text) <= MAX_LENGTH:
                return await self._question(text, caller, unreadable=unreadable)  # an odd quote in a question
            return unreadable
        found = COMMANDS.get(request.name)
        if plain and (found is None or (_looks_like_question(text) and not found.moderators_only)):
            return await self._question(text, caller, fallback=request if found else None)
        if found is None:
            from briefings.commands.help import unknown_command

            return unknown_command(request.name)
        reply = await self._run(request, text, caller, request_id)
        if plain and reply.outcome is Outcome.invalid and not found.moderators_only:  # "timeline of events"
            asked = await self._question(text, caller)
            return asked if asked.ok else reply
        return reply

    async def _question(
        self, text: str, caller: Caller, fallback: Request | None = None, unreadable: Reply | None = None
    ) -> Reply:
        """A question in plain words, answered by the command it maps to (and saying which)."""
        try:
            slug, version = await self.locate(caller.channel)
            snapshot = await self.store.snapshot(slug, version)
        except NotFound as exc:
            return problem(str(exc).capitalize() + ".")
        from briefings.commands import questions
        from briefings.search.understand import Understood, understand  # loaded by the first question in words

        try:
            understood = understand(text, snapshot, self.clock())
        except Exception:
            log.exception("reading the question %r failed", text[:200])
            understood = Understood(reply=questions.not_understood(text, snapshot))
        request = understood.request
        if understood.reply is not None and (fallback is None or understood.reply.ok):
            return understood.reply
        if request is None:
            if fallback is not None:
                return await self._run(fallback, text, caller)
            return unreadable or questions.not_understood(text, snapshot)
        log.info("question %r read as %s", text[:200], questions.reading(request))
        reply = await self._run(request, questions.reading(request), caller)
        if reply.ok:
            note = line("Read as ", untrusted(questions.reading(request), strong=True), " — type it yourself for more.")
            reply = replace(reply, sections=[Section(None, [note]), *reply.sections])
        return reply

    async def _waiting(self, name: str, slug: str, reply: Reply) -> Reply:
        """The brief says how many proposals wait for review (the queue is not part of its cached answer)."""
        if name != "brief":
            return reply
        from briefings.commands.review_cards import with_waiting

        counted = self.waiting_counts.get(slug)
        if counted is None or time.monotonic() - counted[0] > WAITING_FRESH:
            from briefings.store.waiting import waiting

            counted = self.waiting_counts[slug] = (time.monotonic(), await waiting(self.store, slug))
        return with_waiting(counted[1], reply)

    async def _run(self, request: Request, text: str, caller: Caller, request_id: str = "") -> Reply:
        found = COMMANDS[request.name]
        allowed = self.moderators.allow(caller)
        if found.moderators_only and not allowed:
            log.info("refused /%s for %s in %s: not a moderator", found.name, caller.ident, caller.channel)
            return problem(
                f"Sorry, /{found.name} is for moderators.",
                "Ask a moderator of this channel, or use /help for what you can do.",
                outcome=Outcome.refused,
            )
        try:
            slug, version = await self.locate(caller.channel)
            key = (slug, version, text.strip(), allowed)
            if found.pure and key in self.answers:
                self.answers.move_to_end(key)
                return await self._waiting(found.name, slug, self.answers[key])
            context = Context(self.store, caller, slug, self.clock(), allowed, self.urgency.signal, version)
            if request_id and found.moderators_only:
                from briefings import replays
                from briefings.store.requests import RequestLedger

                ledger = RequestLedger(self.store)
                reply = await replays.once(ledger, request_id, caller.ident, partial(found.run, context, request))
            else:
                reply = await found.run(context, request)
            if found.moderators_only:
                self.waiting_counts.clear()
            if found.pure:
                self.answers[key] = reply
                while len(self.answers) > ANSWERS_KEPT:
                    self.answers.popitem(last=False)
            return await self._waiting(found.name, slug, reply)
        except NotFound as exc:
            return problem(str(exc).capitalize() + ".")
        except Exception:
            log.exception("/%s failed for %s in %s: %r", found.name, caller.ident, caller.channel, text)
            return problem(
                "Something went wrong on my side; nothing was changed.",
                "The error has been logged. Please try again in a moment.",
            )
