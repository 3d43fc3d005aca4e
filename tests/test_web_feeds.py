"""The Atom and JSON feeds, read by feedparser as a feed reader would, over HTTP on 127.0.0.1."""

from __future__ import annotations

import json

import feedparser

from tests.web_serving import SLUG, base, get, moderate, serving_web


async def test_atom_has_one_entry_per_change_and_withdraws_a_retracted_fact(database_url: str) -> None:
    async with serving_web(database_url) as serving:
        token_free = await moderate(serving, "/weblink public")
        assert "public" in token_free.lower() or "anyone" in token_free.lower()
        before = feedparser.parse((await get(serving, f"/s/{SLUG}/feed.atom")).content)
        assert not before.bozo, before.bozo_exception
        assert before.feed.title == "Clashes on Syria's coast"
        ids = [e.id for e in before.entries]
        assert len(ids) == len(set(ids)) and all(i.startswith("urn:uuid:") for i in ids)
        t2 = [e for e in before.entries if " t2:" in e.title]
        assert len(t2) == 1 and t2[0].link == f"{base(serving)}/s/{SLUG}/history/t2"
        await moderate(serving, '/correct t1 killed=72 reason="Revised count"')
        await moderate(serving, '/retract t2 reason="Counted twice"')
        raw = (await get(serving, f"/s/{SLUG}/feed.atom")).text
        after = feedparser.parse(raw)
        assert not after.bozo, after.bozo_exception
        after_ids = {e.id for e in after.entries}
        assert t2[0].id not in after_ids
        assert f'<at:deleted-entry ref="{t2[0].id}"' in raw
        assert set(ids) - {t2[0].id} <= after_ids  # earlier entries keep their ids
        corrected = next(e for e in after.entries if e.title.startswith("Corrected toll t1"))
        assert "killed 70 → 72" in corrected.summary and "Revised count" in corrected.summary
        assert corrected.published < corrected.updated  # first recorded, then changed


async def test_json_feed_1_1_matches_the_atom_entries(database_url: str) -> None:
    async with serving_web(database_url) as serving:
        await moderate(serving, "/weblink public")
        await moderate(serving, '/retract t3 reason="Wrong place"')
        response = await get(serving, f"/s/{SLUG}/feed.json")
        assert response.headers["Content-Type"].startswith("application/feed+json")
        document = json.loads(response.content)  # feedparser 6.0 reads Atom and RSS, not JSON Feed
        assert document["version"] == "https://jsonfeed.org/version/1.1"
        assert document["title"] and document["items"]
        for item in document["items"]:
            assert {"id", "url", "content_text", "date_published", "date_modified"} <= set(item)
        atom = feedparser.parse((await get(serving, f"/s/{SLUG}/feed.atom")).content)
        assert [i["id"] for i in document["items"]] == [e.id for e in atom.entries]
        assert [i["title"] for i in document["items"]] == [e.title for e in atom.entries]
        assert [r["url"] for r in document["_briefing"]["retracted"]] == [f"{base(serving)}/s/{SLUG}/history/t3"]
        assert document["feed_url"] == f"{base(serving)}/s/{SLUG}/feed.json"
