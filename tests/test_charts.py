"""`/toll chart`: a toll history replayed through Briefings.handle becomes a PNG with one line per source and
category, and reaches Slack (files API) and Discord (an attachment shown in the embed)."""

from __future__ import annotations

import io
import json
from typing import Any, cast

from PIL import Image as PILImage

from briefings.access import Caller
from briefings.answers import chart
from briefings.service import Briefings
from tests.conftest import Ask
from tests.fakes.slack import FakeSlack
from tests.fakes_discord import FakeDiscord
from tests.test_discord import MEMBER
from tests.test_discord import running as discord_running
from tests.test_slack import CHANNEL, READER
from tests.test_slack import running as slack_running

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REPLAY = [
    "/update toll killed=120 civilians=60 source=SOHR as_of=2025-03-08T18:00",
    '/add source name="Syrian Ministry of Health" kind=government-body aliases="MoH"',
    "/update toll killed=50 source=MoH as_of=2025-03-08",
    "/update toll killed=90 civilians=30 source=MoH as_of=2025-03-09",
    "/update toll killed=60 source=Reuters as_of=2025-03-09T08:00",
]


async def replay(briefings: Briefings, moderator: Caller) -> None:
    for text in REPLAY:
        reply = await briefings.handle(text, moderator)
        assert reply.ok, (text, reply.title)


def hex_colour(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


async def test_a_replayed_toll_history_is_charted(ask: Ask, briefings: Briefings, moderator: Caller) -> None:
    await replay(briefings, moderator)
    reply, text = await ask("/toll chart")
    assert reply.ok and reply.image is not None
    data = reply.image.png
    assert data.startswith(PNG_SIGNATURE)
    picture = PILImage.open(io.BytesIO(data))
    assert picture.format == "PNG" and picture.size == (900, 500)
    # every source is drawn: its palette colour is present in the pixels
    snapshot = await briefings.store.snapshot(await briefings.situation_for("console"))
    lines = chart.series(snapshot, {None})
    colours = {s.colour for s in lines}
    assert len(colours) == 3  # SOHR, Ministry of Health, Reuters
    rgb = cast(list[tuple[int, tuple[int, int, int]]], picture.convert("RGB").getcolors(maxcolors=1_000_000) or [])
    pixels = {hex_colour(p) for _, p in rgb}
    assert colours <= pixels
    # and in the figure: one line per (source, category), civilians dashed, the latest figure labelled
    figure = chart.draw("t", lines, "caption")
    drawn = [a for a in figure.axes[0].get_lines()]
    assert {(line.get_color(), line.get_linestyle()) for line in drawn} == {
        (s.colour, "--" if s.category == "civilians" else "-") for s in lines
    }
    assert {"120", "90", "60"} <= {t.get_text() for t in figure.axes[0].texts}
    assert "SOHR" in text and "Syrian Ministry of Health" in text and "Reuters" in text
    assert "70 (Fri 7 Mar, morning) → 120 (Sat 8 Mar 18:00)" in text
    assert "[Image toll-chart.png: Line chart" in text
    alt = reply.image.alt
    assert "SOHR" in alt and "Reuters" in alt and "dashed lines: civilians only" in alt


async def test_one_figure_gets_words_not_an_empty_chart(ask: Ask, briefings: Briefings, moderator: Caller) -> None:
    reply, text = await ask("/toll chart Jabla")
    assert reply.ok and reply.image is None
    assert "Only one figure so far" in text and "a chart needs two" in text and "48" in text
    reply, text = await ask("/toll chart Qardaha")
    assert reply.image is None and "No death toll has been reported for Qardaha yet" in text
    reply, text = await ask("/toll chart")
    assert reply.image is None and "Only figures from one moment so far" in text
    reply, text = await ask("/toll chart Atlantis")
    assert not reply.ok and "I don't know a place called" in text


async def test_a_place_chart_and_a_question_for_it(ask: Ask, briefings: Briefings, moderator: Caller) -> None:
    assert (await briefings.handle("/update toll killed=80 place=Jableh source=SOHR as_of=2025-03-08", moderator)).ok
    reply, text = await ask("how has the toll changed over time in Jabla?")
    assert reply.ok and reply.image is not None and "Read as /toll chart Jableh" in text
    assert "48 (Fri 7 Mar, morning) → 80 (Sat 8 Mar)" in text


async def test_the_digest_carries_a_chart_when_tolls_changed(briefings: Briefings, moderator: Caller) -> None:
    slug = await briefings.situation_for("console")
    assert (await briefings.digest(slug)).image is None  # the seed alone: one moment, no chart
    await replay(briefings, moderator)
    assert (await briefings.digest(slug)).image is not None


# ---- Slack: files_upload_v2 against the fake (getUploadURLExternal, the upload, completeUploadExternal)


async def test_slack_mention_question_uploads_the_chart_in_the_thread(
    fake_slack: FakeSlack, database_url: str, moderator: Caller
) -> None:
    async with slack_running(database_url, fake_slack) as bot:
        await replay(bot.briefings, Caller.operator())
        event = {
            "type": "app_mention",
            "user": READER,
            "text": "<@UBOT> can you show me a chart of the death toll?",
            "ts": "1700000200.000100",
            "channel": CHANNEL,
        }
        assert (await bot.event(event)).status_code == 200
        [complete] = await fake_slack.wait_for("files.completeUploadExternal")
        [answer] = fake_slack.called("chat.postMessage")
        assert answer.params["thread_ts"] == "1700000200.000100"
        assert "Read as /toll chart" in json.dumps(answer.params)
        [asked] = fake_slack.called("files.getUploadURLExternal")
        assert asked.params["filename"] == "toll-chart.png" and "SOHR" in asked.params["alt_txt"]
        [upload] = fake_slack.called("upload")
        stored = fake_slack.uploads[upload.params["file_id"]]
        assert stored["data"].startswith(PNG_SIGNATURE) and len(stored["data"]) == int(asked.params["length"])
        assert stored["channel"] == CHANNEL and stored["thread_ts"] == "1700000200.000100"
        assert complete.params["channel_id"] == CHANNEL


async def test_slack_slash_command_chart_is_uploaded_to_the_channel(
    fake_slack: FakeSlack, sqlite_url: str, moderator: Caller
) -> None:
    async with slack_running(sqlite_url, fake_slack) as bot:
        await replay(bot.briefings, Caller.operator())
        answer = (await bot.command("/toll chart")).json()
        if answer.get("text") == "Working on it…":  # a busy machine: the answer follows by response_url
            [follow_up] = await fake_slack.wait_for("response_url", timeout=30)
            answer = follow_up.params
        assert "Death toll over time" in json.dumps(answer)
        await fake_slack.wait_for("files.completeUploadExternal")
        [stored] = fake_slack.uploads.values()
        assert stored["data"].startswith(PNG_SIGNATURE) and stored["channel"] == CHANNEL
        assert "asked by" in str(stored["initial_comment"])


# ---- Discord: the file arrives with the interaction callback as multipart


async def test_discord_attaches_the_chart_to_the_embed(
    fake_discord: FakeDiscord, database_url: str, moderator: Caller
) -> None:
    async for bot in discord_running(fake_discord, database_url):
        await replay(bot.briefings, Caller.operator())
        bot.adapter.defer_after = 30  # the file must come with the first callback, even on a busy machine
        body: dict[str, Any] = await bot.ask("toll", {"chart": True}, **MEMBER)
        [call] = fake_discord.callbacks_with_files()
        assert body is call.body
        embed = body["data"]["embeds"][0]
        assert embed["image"]["url"] == "attachment://toll-chart.png"
        assert body["data"]["attachments"][0]["filename"] == "toll-chart.png"
        assert "SOHR" in body["data"]["attachments"][0]["description"]
        [file] = call.files
        assert file["filename"] == "toll-chart.png" and file["data"].startswith(PNG_SIGNATURE)
        asked = await bot.ask("briefing ask", {"question": "what is the toll in Jabla?"}, **MEMBER)
        shown = json.dumps(asked)
        assert "Read as **/toll Jableh**" in shown and "48 killed" in shown
