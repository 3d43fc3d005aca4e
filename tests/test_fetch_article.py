"""Fetching an article by its address, against a real web server on 127.0.0.1: the text, title and date of a
page; and for every kind of bad address a clear refusal, nothing proposed and no traceback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from briefings.access import Caller
from briefings.ingest.fetch import Article, Refusal, fetch_article
from briefings.ingest.fetch_settings import USER_AGENT, FetchSettings
from briefings.service import Briefings
from briefings.store.proposals import ProposalQueue
from tests.conftest import Ask
from tests.local_site import LocalSite, Page, endless, slow

ARTICLE = b"""<!doctype html><html lang="en"><head><title>Night of searches on the coast</title>
<meta property="article:published_time" content="2025-03-08T09:00:00Z"></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a> <a href="/sport">Sport</a></nav>
<article><h1>Night of searches on the coast</h1>
<p>Rescue crews kept digging through collapsed homes until dawn, and families waited by the road for news.</p>
<p>At least 14 people were killed in Jableh on Friday, the regional health office said in a short statement.</p>
<p>Shops stayed shut for a second day and the main market was almost empty by the afternoon.</p>
</article><footer>All rights kept by the example paper.</footer></body></html>"""
LINKS_ONLY = b"""<html lang="en"><head><title>Sections</title></head><body><ul>
<li><a href="/a">World</a></li><li><a href="/b">Sport</a></li><li><a href="/c">Weather</a></li></ul></body></html>"""
FRENCH = b"""<html lang="fr"><head><title>Une nuit de recherches</title></head><body><article>
<p>Les equipes de secours ont creuse toute la nuit dans les maisons effondrees, et les familles attendaient.</p>
<p>Au moins quatorze personnes ont ete tuees vendredi selon le bureau regional de la sante.</p>
</article></body></html>"""
UNDECLARED = b"""<html><head><title>Yo</title></head><body><article>
<p>Kuzey kiyisinda kurtarma ekipleri sabaha kadar calisti ve aileler yol kenarinda haber bekledi durdu.</p>
<p>Bolge saglik ofisine gore cuma gunu en az on dort kisi hayatini kaybetti ve cok sayida yarali var.</p>
</article></body></html>"""
LOOPBACK = "127.0.0.1/32"
SLUG = "syria-coast-2025-03"


@pytest.fixture
def site() -> Iterator[LocalSite]:
    server = LocalSite().start()
    server.pages |= {
        "/story": Page(ARTICLE),
        "/links": Page(LINKS_ONLY),
        "/french": Page(FRENCH),
        "/undeclared": Page(UNDECLARED),
        "/report.pdf": Page(b"%PDF-1.4 not really", "application/pdf"),
        "/photo": Page(b"\x89PNG....", "image/png"),
        "/huge-declared": Page(b"<p>x</p>" * 200_000),
        "/huge-streamed": Page(endless(), length=False),
        "/slow": Page(slow(10), length=False),
        "/gone": Page(b"<p>moved away</p>", status=410),
        "/hop": Page(b"", status=302, headers={"Location": "/story"}),
    }
    yield server
    server.stop()


def allowed(**changes: object) -> FetchSettings:
    return FetchSettings(fetch_allow_private=LOOPBACK, **changes)  # type: ignore[arg-type]


async def test_an_article_is_read_with_its_title_date_and_the_bots_name(site: LocalSite) -> None:
    article = await fetch_article(site.url("/hop"), allowed())
    assert isinstance(article, Article), article
    assert article.url == site.url("/story")
    assert article.title == "Night of searches on the coast"
    assert article.published is not None and article.published.date().isoformat() == "2025-03-08"
    assert "At least 14 people were killed in Jableh" in article.text
    assert "Sport" not in article.text and "All rights kept" not in article.text
    assert {seen.headers["user-agent"] for seen in site.seen} == {USER_AGENT}


async def test_private_loopback_and_link_local_addresses_are_refused_before_connecting(site: LocalSite) -> None:
    for url in (site.url("/story"), "http://localhost:9/x", "http://169.254.169.254/latest", "http://10.1.2.3/"):
        refused = await fetch_article(url, FetchSettings())
        assert isinstance(refused, Refusal), url
        assert "private, loopback or link-local" in refused.reason, refused
    assert site.seen == []


async def test_a_redirect_to_a_network_not_allowed_is_refused(site: LocalSite) -> None:
    site.pages["/away"] = Page(b"", status=302, headers={"Location": "http://127.0.0.2:9/inside"})
    refused = await fetch_article(site.url("/away"), allowed())
    assert isinstance(refused, Refusal) and "127.0.0.2" in refused.reason and "private" in refused.reason


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/report.pdf", "is a PDF"),
        ("/photo", "not a web page (its content type is image/png)"),
        ("/huge-declared", "larger than 1 MB"),
        ("/huge-streamed", "larger than 1 MB"),
        ("/gone", "answered 410"),
        ("/nowhere", "answered 404"),
        ("/links", "No article found"),
        ("/french", "in French"),
        ("/undeclared", "does not read as English"),
    ],
)
async def test_what_is_not_an_article_is_refused_saying_why(site: LocalSite, path: str, words: str) -> None:
    refused = await fetch_article(site.url(path), allowed(fetch_max_bytes=1_000_000))
    assert isinstance(refused, Refusal), refused
    assert words in refused.reason


async def test_a_page_too_large_is_not_read_to_its_end(site: LocalSite) -> None:
    await fetch_article(site.url("/huge-streamed"), allowed(fetch_max_bytes=1_000_000))
    assert site.sent["/huge-streamed"] < 10_000_000


async def test_a_slow_page_a_closed_port_and_odd_addresses_are_refused(site: LocalSite) -> None:
    slow_page = await fetch_article(site.url("/slow"), allowed(fetch_timeout=1.5))
    assert isinstance(slow_page, Refusal) and "longer than 1.5 seconds" in slow_page.reason
    closed = await fetch_article("http://127.0.0.1:9/story", allowed())
    assert isinstance(closed, Refusal) and "could not be reached" in closed.reason
    for odd in ("ftp://127.0.0.1/story", "story", "http://user:secret@127.0.0.1/x", "http://"):
        refused = await fetch_article(odd, allowed())
        assert isinstance(refused, Refusal), odd


async def test_propose_with_an_address_proposes_from_the_page(
    site: LocalSite, ask: Ask, briefings: Briefings, moderator: Caller, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_FETCH_ALLOW_PRIVATE", LOOPBACK)
    reply, text = await ask(f"/propose {site.url('/story')}", moderator)
    assert reply.ok, text
    assert "killed=14" in text and "as_of=2025-03-07" in text  # "Friday" read against the page's date
    (queued,) = await ProposalQueue(briefings.store).pending(SLUG)
    assert queued.url == site.url("/story") and queued.title == "Night of searches on the coast"
    assert queued.published.date().isoformat() == "2025-03-08"


@pytest.mark.parametrize("path", ["/report.pdf", "/links", "/french", "/nowhere"])
async def test_propose_with_a_bad_address_says_why_and_proposes_nothing(
    site: LocalSite, ask: Ask, moderator: Caller, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    monkeypatch.setenv("BRIEFING_FETCH_ALLOW_PRIVATE", LOOPBACK)
    reply, text = await ask(f"/propose url={site.url(path)}", moderator)
    assert not reply.ok and reply.at_fault == "url" and text.startswith("Nothing proposed"), text
    assert "Traceback" not in text and "went wrong" not in text
    _, listing = await ask("/review", moderator)
    assert "No proposals waiting" in listing


async def test_propose_refuses_a_private_address_unless_allowed(site: LocalSite, ask: Ask, moderator: Caller) -> None:
    reply, text = await ask(f"/propose {site.url('/story')}", moderator)
    assert not reply.ok and "private, loopback or link-local" in text
    assert site.seen == []


async def test_propose_still_reads_pasted_text(ask: Ask, moderator: Caller) -> None:
    reply, text = await ask(
        "/propose published=2025-03-08 At least 14 people were killed in Jableh, the regional health office said.",
        moderator,
    )
    assert reply.ok and "killed=14" in text
