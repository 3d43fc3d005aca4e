"""Reviewing proposed facts in Slack, end to end on 127.0.0.1: the "Propose facts" message shortcut, the cards of
`/briefing review`, and their Accept, Edit and Reject buttons, all signed as Slack signs them, against the fake
Slack Web API and response_url."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from briefings.facts import Toll
from tests.fakes.slack import FakeSlack
from tests.local_site import LocalSite, Page
from tests.test_slack import CHANNEL, MODERATOR, READER, Bot, running, toll_state
from tests.test_slack import shown as shown_escaped

ARTICLE = (
    "The Syrian Observatory for Human Rights said on Saturday that more than 1,000 people had been killed since "
    "Thursday, by its own count."
)
URL = "https://example.org/coast-count"
SATURDAY_NOON = "1741435200.000100"


@pytest.fixture
async def bot(sqlite_url: str, fake_slack: FakeSlack) -> AsyncIterator[Bot]:
    async with running(sqlite_url, fake_slack) as started:
        yield started


def shortcut(fake: FakeSlack, user: str = MODERATOR, text: str = ARTICLE) -> dict[str, Any]:
    """The payload Slack sends when someone picks "Propose facts" on a message."""
    return {
        "type": "message_action",
        "token": "legacy",
        "callback_id": "propose_facts",
        "trigger_id": "1.2.shortcut",
        "response_url": fake.response_url("shortcut"),
        "team": {"id": fake.team_id},
        "user": {"id": user, "name": "mona" if user == MODERATOR else "rania"},
        "channel": {"id": CHANNEL, "name": "test"},
        "message": {"type": "message", "text": text, "ts": SATURDAY_NOON, "user": "U0WRITER"},
        "message_ts": SATURDAY_NOON,
        "action_ts": "1741435300.000200",
    }


def click(fake: FakeSlack, value: str, user: str = MODERATOR, at: str = "1741435400.000300") -> dict[str, Any]:
    """A click on a card's button whose value is `value` (`/review accept 1`)."""
    action_id = "act_" + value.split()[1]
    return {
        "type": "block_actions",
        "team": {"id": fake.team_id},
        "user": {"id": user, "name": "mona" if user == MODERATOR else "rania"},
        "channel": {"id": CHANNEL, "name": "test"},
        "container": {"type": "message", "is_ephemeral": True, "channel_id": CHANNEL},
        "response_url": fake.response_url("card"),
        "trigger_id": "1.2.click",
        "actions": [
            {"action_id": action_id, "block_id": value, "type": "button", "value": value, "action_ts": at},
        ],
    }


def shown(data: dict[str, Any]) -> str:
    """What a person reads: the text and blocks, without the zero-width spaces that keep URLs from linking."""
    return shown_escaped(data).replace("\u200b", "")


def buttons(blocks: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [(e["action_id"], e["value"]) for b in blocks if b["type"] == "actions" for e in b["elements"]]


def to(fake: FakeSlack, name: str) -> list[dict[str, Any]]:
    return [c.params for c in fake.called("response_url") if c.path.endswith(f"/{name}")]


async def wait_to(fake: FakeSlack, name: str, count: int = 1) -> list[dict[str, Any]]:
    async with asyncio.timeout(5):
        while len(to(fake, name)) < count:
            await fake.wait_for("response_url", len(fake.called("response_url")) + 1)
    return to(fake, name)


async def recorded(bot: Bot, killed: int) -> int:
    """How many toll claims of `killed` the situation holds."""
    snapshot = await bot.briefings.store.snapshot(await bot.briefings.situation_for(f"slack:{CHANNEL}"))
    return sum(1 for _, toll in snapshot.all(Toll) if toll.killed == killed)


async def proposed(bot: Bot, fake: FakeSlack, text: str = ARTICLE) -> int:
    """Proposes facts from a message by the shortcut; the number of the proposal on the card sent back."""
    before = len(to(fake, "shortcut"))
    assert (await bot.interact(shortcut(fake, text=text))).status_code == 200
    cards = (await wait_to(fake, "shortcut", before + 1))[-1]
    [(action, value), *_] = buttons(cards["blocks"])
    assert action == "act_accept"
    return int(value.split()[-1])


async def test_the_shortcut_proposes_facts_and_the_moderator_gets_the_cards(bot: Bot, fake_slack: FakeSlack) -> None:
    text = f"{ARTICLE} Read it at <{URL}|the monitor's page>."
    assert (await bot.interact(shortcut(fake_slack, text=text))).status_code == 200
    [cards] = await wait_to(fake_slack, "shortcut")
    assert cards["response_type"] == "ephemeral"
    seen = shown(cards)
    assert "killed=1000" in seen and "said on Saturday that more than 1,000" in seen
    assert URL in seen and "Published 2025-03-08" in seen
    (number,) = {int(v.split()[-1]) for _, v in buttons(cards["blocks"])}
    assert buttons(cards["blocks"]) == [
        ("act_accept", f"/review accept {number}"),
        ("act_edit", f"/review edit {number}"),
        ("act_reject", f"/review reject {number}"),
    ]
    listing = (await bot.command("/briefing review", user=MODERATOR)).json()
    assert buttons(listing["blocks"])[0] == ("act_accept", f"/review accept {number}")
    assert "1 proposal waiting for review" in shown((await bot.command("/brief")).json())


async def test_accept_records_the_fact_with_its_evidence_and_updates_the_card(bot: Bot, fake_slack: FakeSlack) -> None:
    number = await proposed(bot, fake_slack, f"{ARTICLE} <{URL}>")
    assert (await bot.interact(click(fake_slack, f"/review accept {number}"))).status_code == 200
    [card] = await wait_to(fake_slack, "card")
    assert card["replace_original"] is True
    seen = shown(card)
    assert "Accepted by mona" in seen and not buttons(card["blocks"])
    key = re.search(r"recorded (t\d+)", seen)
    assert key, seen
    history = shown((await bot.command(f"/history {key.group(1)}")).json())
    assert URL in history and "said on Saturday that more than 1,000" in history
    assert "More than 1,000 killed" in shown((await bot.command("/toll")).json())


async def test_edit_opens_the_form_pre_filled_and_submitting_records_the_edit(bot: Bot, fake_slack: FakeSlack) -> None:
    number = await proposed(bot, fake_slack)
    await bot.interact(click(fake_slack, f"/review edit {number}"))
    [opened] = await fake_slack.wait_for("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    assert opened.params["trigger_id"] == "1.2.click" and view["callback_id"] == "review_edit"
    fields = {b["block_id"]: b["element"] for b in view["blocks"]}
    assert fields["killed"]["initial_value"] == "1000" and fields["as_of"]["initial_value"] == "2025-03-08"
    assert fields["qualifier"]["initial_option"]["value"] == "more than"
    assert {"civilians", "place", "source", "note", "confirm"} <= set(fields)
    state = toll_state(killed="1010", qualifier="at least", source="Syrian Observatory for Human Rights")
    state["as_of"] = {"value": {"type": "plain_text_input", "value": "2025-03-08"}}
    submission = {
        "type": "view_submission",
        "team": {"id": fake_slack.team_id},
        "user": {"id": MODERATOR, "name": "mona"},
        "view": {**view, "id": "V0EDIT", "state": {"values": state}},
    }
    response = await bot.interact(submission)
    assert response.status_code == 200 and response.text == ""  # the form closes
    [card] = await wait_to(fake_slack, "card")
    assert "Accepted by mona" in shown(card) and "killed=1010" in shown(card)
    assert "At least 1,010 killed" in shown((await bot.command("/toll")).json())
    again = await bot.interact(submission)  # the same form submitted again records nothing more
    assert again.status_code == 200
    assert await recorded(bot, 1010) == 1


async def test_an_edit_refused_by_a_check_shows_the_error_beside_the_field(bot: Bot, fake_slack: FakeSlack) -> None:
    number = await proposed(bot, fake_slack)
    await bot.interact(click(fake_slack, f"/review edit {number}"))
    [opened] = await fake_slack.wait_for("views.open")
    view = opened.params["view"]
    view = json.loads(view) if isinstance(view, str) else view
    state = toll_state(killed="-3", source="Syrian Observatory for Human Rights")
    submission = {
        "type": "view_submission",
        "team": {"id": fake_slack.team_id},
        "user": {"id": MODERATOR, "name": "mona"},
        "view": {**view, "id": "V0EDIT2", "state": {"values": state}},
    }
    data = (await bot.interact(submission)).json()
    assert data["response_action"] == "errors" and list(data["errors"]) == ["killed"]
    listing = (await bot.command("/briefing review", user=MODERATOR)).json()
    assert ("act_accept", f"/review accept {number}") in buttons(listing["blocks"])


async def test_reject_records_nothing_and_says_who(bot: Bot, fake_slack: FakeSlack) -> None:
    number = await proposed(bot, fake_slack)
    await bot.interact(click(fake_slack, f"/review reject {number}"))
    [card] = await wait_to(fake_slack, "card")
    assert "Rejected by mona" in shown(card) and card["replace_original"] is True
    assert "1,000" not in shown((await bot.command("/toll")).json())
    assert "waiting for review" not in shown((await bot.command("/brief")).json())


async def test_members_who_do_not_moderate_are_refused(bot: Bot, fake_slack: FakeSlack) -> None:
    await bot.interact(shortcut(fake_slack, user=READER))
    [refused] = await wait_to(fake_slack, "shortcut")
    assert "for moderators" in refused["text"] and "blocks" not in refused
    number = await proposed(bot, fake_slack)
    for value in (f"/review accept {number}", f"/review reject {number}", f"/review edit {number}"):
        await bot.interact(click(fake_slack, value, user=READER))
    told = await wait_to(fake_slack, "card", 3)
    assert all("for moderators" in t["text"] and t["replace_original"] is False for t in told)
    assert not fake_slack.called("views.open")
    listing = (await bot.command("/briefing review", user=MODERATOR)).json()
    assert ("act_accept", f"/review accept {number}") in buttons(listing["blocks"])


async def test_a_click_delivered_twice_or_clicked_twice_decides_once(bot: Bot, fake_slack: FakeSlack) -> None:
    number = await proposed(bot, fake_slack)
    same = click(fake_slack, f"/review accept {number}")
    second = click(fake_slack, f"/review accept {number}", at="1741435409.000900")
    responses = await asyncio.gather(bot.interact(same), bot.interact(same), bot.interact(second))
    assert [r.status_code for r in responses] == [200, 200, 200]
    told = await wait_to(fake_slack, "card", 3)
    assert sum("Accepted by mona" in shown(t) for t in told) >= 1
    await bot.adapter.stop()  # lets work in flight finish
    assert await recorded(bot, 1000) == 1


PAGE = b"""<!doctype html><html lang="en"><head><title>Counting after the coast clashes</title>
<meta property="article:published_time" content="2025-03-09T08:00:00Z"></head>
<body><nav><a href="/">Front page</a> <a href="/more">More</a></nav><article><h1>Counting after the coast clashes</h1>
<p>Volunteers went from house to house through the night, writing names on a list taped to the mosque door.</p>
<p>The Syrian Observatory for Human Rights said on Sunday that more than 1,300 people had died since Thursday.</p>
<p>Bakeries opened again in the morning, though few people came out to buy bread before noon.</p>
</article></body></html>"""


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalSite]:
    monkeypatch.setenv("BRIEFING_FETCH_ALLOW_PRIVATE", "127.0.0.1/32")
    server = LocalSite().start()
    server.pages |= {"/story": Page(PAGE), "/gone": Page(b"<p>moved away</p>", status=410)}
    yield server
    server.stop()


async def test_a_message_with_a_link_proposes_from_the_article_it_points_to(
    bot: Bot, fake_slack: FakeSlack, site: LocalSite
) -> None:
    link = site.url("/story")
    await bot.interact(shortcut(fake_slack, text=f"<{link}|Counting after the clashes>"))
    [cards] = await wait_to(fake_slack, "shortcut")
    seen = shown(cards)
    assert "killed=1300" in seen and "Counting after the coast clashes" in seen and link in seen
    assert "Published 2025-03-09" in seen


async def test_a_link_that_cannot_be_read_falls_back_to_the_messages_words(
    bot: Bot, fake_slack: FakeSlack, site: LocalSite
) -> None:
    await bot.interact(shortcut(fake_slack, text=f"{ARTICLE} <{site.url('/gone')}>"))
    [cards] = await wait_to(fake_slack, "shortcut")
    seen = shown(cards)
    assert "The linked page could not be read" in seen and "killed=1000" in seen
    assert "Published 2025-03-08" in seen


async def test_a_card_posted_in_a_channel_stays_one_card_once_decided(bot: Bot, fake_slack: FakeSlack) -> None:
    first = await proposed(bot, fake_slack)
    second = await proposed(
        bot, fake_slack, "At least 9 people were killed in Jableh on Friday, the Syrian Observatory said."
    )
    in_channel = click(fake_slack, f"/review accept {first}")
    in_channel["container"]["is_ephemeral"] = False
    await bot.interact(in_channel)
    [card] = await wait_to(fake_slack, "card")
    assert card["replace_original"] is True and card["response_type"] == "in_channel"
    assert "Accepted by mona" in shown(card) and f"#{second} " not in shown(card)
    listed = click(fake_slack, f"/review reject {second}")  # from the moderator's own list: what still waits follows
    await bot.interact(listed)
    told = await wait_to(fake_slack, "card", 2)
    assert told[-1]["response_type"] == "ephemeral" and "Rejected by mona" in shown(told[-1])


async def test_a_shortcut_delivered_twice_proposes_once(bot: Bot, fake_slack: FakeSlack) -> None:
    payload = shortcut(fake_slack)
    await asyncio.gather(bot.interact(payload), bot.interact(payload))
    await wait_to(fake_slack, "shortcut", 2)
    listing = (await bot.command("/briefing review", user=MODERATOR)).json()
    assert len([b for b in buttons(listing["blocks"]) if b[0] == "act_accept"]) == 1
