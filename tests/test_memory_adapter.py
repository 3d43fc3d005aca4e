"""The adapter contract kept in memory (`bot/testing.py`): a moderator's form and a reader's shared answer, and a
digest posted once through `post`/`find_posted` when the answer to a post is lost — on the real core and store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time, timedelta

import pytest

from bot.testing import MemoryAdapter
from briefings.access import Moderators
from briefings.digests.runner import DigestRunner
from briefings.service import Briefings
from briefings.settings import CoreSettings

MODERATORS = "memory:mod"


@pytest.fixture
async def adapter(settings: CoreSettings) -> AsyncIterator[MemoryAdapter]:
    service = await Briefings.start(settings)
    service.moderators = Moderators.parse(MODERATORS)  # the settings accept only real platforms' entries
    memory = MemoryAdapter(service)
    await memory.start()
    yield memory
    await memory.stop()
    await service.close()


async def test_a_moderator_records_through_the_form_and_a_reader_shares_the_answer_once(
    adapter: MemoryAdapter,
) -> None:
    refused = await adapter.ask("/update", user="reader")
    assert refused.form is None and not refused.ok and "is for moderators" in refused.text
    opened = await adapter.ask("/update", user="mod")
    assert opened.form == "toll" and opened.reply is None

    recorded = await adapter.ask("/update toll killed=5000 source=SOHR as_of=2025-03-12", user="mod")
    assert recorded.ok and "5,000 killed" in recorded.text
    assert not recorded.plan.shareable  # a change is never posted for everyone
    assert await adapter.share(recorded, user="mod", click="c0") == "That answer can't be posted to the channel."

    seen = await adapter.ask("toll", user="reader")  # the words after a mention
    assert seen.ok and seen.plan.shareable and "5,000 killed, according to SOHR" in seen.text
    assert await adapter.share(seen, user="reader", click="c1") == "Posted."
    assert await adapter.share(seen, user="reader", click="c1") == "That answer was posted to the channel already."
    [shared] = adapter.to("general")
    assert "5,000 killed, according to SOHR" in shared.text and shared.text.endswith("Shared by reader · /toll")


async def test_a_long_answer_is_cut_to_three_messages_saying_what_is_left(adapter: MemoryAdapter) -> None:
    adapter.message_chars = 300
    said = await adapter.ask("/timeline", user="reader")
    assert said.ok and len(said.pages) <= 3 and all(len(page) <= 300 for page in said.pages)
    assert (" more" in said.pages[-1] and "ask for one at a time" in said.pages[-1]) or "too long" in said.pages[-1]


async def test_a_digest_whose_answer_was_lost_is_found_not_posted_again(adapter: MemoryAdapter) -> None:
    subscribed = await adapter.ask("/digest subscribe 08:00 UTC", user="mod", channel="newsroom")
    assert subscribed.ok and "08:00 UTC" in subscribed.text
    assert not (await adapter.ask("/digest subscribe 09:00 UTC", user="reader", channel="newsroom")).ok

    runner = DigestRunner(adapter.briefings.store, {adapter.platform: adapter}, adapter.briefings.urgency)
    slot = datetime.combine(datetime.now(UTC).date() + timedelta(days=2), time(8), UTC)
    adapter.lose = 1  # the post goes out, its answer does not come back
    first = await runner.tick(slot + timedelta(minutes=1))
    assert first.posted == 0 and len(adapter.to("newsroom")) == 1
    for later in (timedelta(minutes=10), timedelta(hours=1), timedelta(hours=3)):
        await runner.tick(slot + later)
    [digest] = adapter.to("newsroom")
    assert digest.reply.title.startswith("Digest — ") and digest.run_key
    assert adapter.lookups >= 1  # the runner looked for the post before posting again
