"""The situation's web page over HTTP on 127.0.0.1: who may read it, what it shows, and its version cache."""

from __future__ import annotations

import re

from sqlalchemy import select

from briefings.access import Caller
from briefings.reply import Outcome
from briefings.store.schema import web_access
from tests.web_serving import MODERATOR, SLUG, get, moderate, serving_web, share_secret


async def test_a_situation_not_shared_is_not_found(database_url: str) -> None:
    async with serving_web(database_url) as serving:
        assert (await get(serving, f"/s/{SLUG}")).status_code == 404
        assert (await get(serving, f"/s/{SLUG}/feed.atom")).status_code == 404
        assert (await get(serving, "/s/no-such-situation")).status_code == 404


async def test_a_secret_link_is_refused_without_its_token_and_stops_working_when_rotated(database_url: str) -> None:
    async with serving_web(database_url) as serving:
        token = await share_secret(serving)
        for path in ("", "/feed.atom", "/feed.json", "/claims.hxl.csv", "/export.json", "/history/t1"):
            assert (await get(serving, f"/s/{SLUG}{path}")).status_code == 404, path
            assert (await get(serving, f"/s/{SLUG}{path}?k=wrong{token}")).status_code == 404, path
            assert (await get(serving, f"/s/{SLUG}{path}?k={token}")).status_code == 200, path
        page = await get(serving, f"/s/{SLUG}?k={token}")
        assert "Clashes on Syria&#39;s coast" in page.text
        assert "noindex" in page.text and "private" in page.headers["Cache-Control"]
        async with serving.briefings.store.reading() as db:
            stored = (await db.execute(select(web_access.c.token_hash))).scalar_one()
        assert token not in stored and len(stored) == 64
        newer = await share_secret(serving)
        assert (await get(serving, f"/s/{SLUG}?k={token}")).status_code == 404
        assert (await get(serving, f"/s/{SLUG}?k={newer}")).status_code == 200
        await moderate(serving, "/weblink off")
        assert (await get(serving, f"/s/{SLUG}?k={newer}")).status_code == 404


async def test_the_page_shows_the_chat_replies_with_sources_as_of_and_ids(database_url: str) -> None:
    async with serving_web(database_url) as serving:
        await moderate(serving, "/weblink public")
        page = (await get(serving, f"/s/{SLUG}")).text
        for heading in ("Death toll", "Timeline", "Reactions", "Sources"):
            assert re.search(rf"<h2 id=\"\w+\">{heading}", page), heading
        assert "<strong>At least 70 killed</strong>, according to SOHR (as of Fri 7 Mar 2025, morning)" in page
        assert f'[<a href="/s/{SLUG}/history/t1">t1</a>]' in page
        assert '<link rel="alternate" type="application/atom+xml"' in page
        assert f'href="/s/{SLUG}/feed.json"' in page and f'href="/s/{SLUG}/claims.hxl.csv"' in page
        assert "<script" not in page
        table = page[page.index('<h2 id="latest">') : page.index("</table>")]
        assert '<th scope="col">Source</th>' in table
        assert re.search(
            r'<th scope="row">Syrian Observatory for Human Rights</th><td>Jableh</td><td>killed</td>'
            r'<td class="number">48</td><td>2025-03-07 morning</td><td><a href="[^"]+/history/t2">t2</a>',
            table,
        )


async def test_a_retracted_fact_leaves_the_page_and_shows_as_retracted_in_its_history(database_url: str) -> None:
    async with serving_web(database_url) as serving:
        await moderate(serving, "/weblink public")
        assert "48 killed" in (await get(serving, f"/s/{SLUG}")).text
        await moderate(serving, '/retract t2 reason="Counted twice"')
        assert "48 killed" not in (await get(serving, f"/s/{SLUG}")).text
        history = await get(serving, f"/s/{SLUG}/history/t2")
        assert history.status_code == 200
        assert "retract" in history.text.lower() and "Counted twice" in history.text
        assert (await get(serving, f"/s/{SLUG}/history/t999")).status_code == 404
        form = await get(serving, f"/s/{SLUG}/history?id=t2")
        assert form.status_code == 303 and form.headers["Location"] == f"/s/{SLUG}/history/t2"


async def test_answers_are_cached_by_version_with_etag_and_last_modified(database_url: str) -> None:
    async with serving_web(database_url) as serving:
        await moderate(serving, "/weblink public")
        first = await get(serving, f"/s/{SLUG}")
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
        again = await get(serving, f"/s/{SLUG}", **{"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert (await get(serving, f"/s/{SLUG}", **{"If-Modified-Since": modified})).status_code == 304
        await moderate(serving, "/update toll killed=120 source=SOHR as_of=2025-03-08T18:00")
        changed = await get(serving, f"/s/{SLUG}", **{"If-None-Match": etag})
        assert changed.status_code == 200 and changed.headers["ETag"] != etag
        assert "120" in changed.text


async def test_hostile_fact_text_is_inert_on_the_page(database_url: str) -> None:
    hostile = "<script>alert(1)</script><a href='https://evil.example/'>click</a> <img src=x onerror=alert(2)>"
    async with serving_web(database_url) as serving:
        await moderate(serving, "/weblink public")
        await moderate(serving, f'/add event date=2025-03-07 text="{hostile}" source=SOHR')
        page = (await get(serving, f"/s/{SLUG}")).text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<script" not in page and "<a href='https" not in page and "<img src=x" not in page
        feed = (await get(serving, f"/s/{SLUG}/feed.atom")).text
        assert "<script" not in feed and "&lt;script&gt;" in feed


async def test_only_moderators_share_and_the_secret_is_never_shown_again(database_url: str) -> None:
    async with serving_web(database_url) as serving:
        member = Caller("console", "reader", "console")
        refused = await serving.briefings.handle("/weblink public", member)
        assert refused.outcome is Outcome.refused
        assert (await get(serving, f"/s/{SLUG}")).status_code == 404
        token = await share_secret(serving)
        status = await moderate(serving, "/weblink")
        assert "secret link only" in status and token not in status
        wrong = await serving.briefings.handle("/weblink everyone", MODERATOR)
        assert wrong.outcome is Outcome.invalid
        assert (await get(serving, f"/s/{SLUG}?k={token}")).status_code == 200
