"""The situation's web page and each fact's history page: the same replies as in chat, rendered as HTML."""

from __future__ import annotations

from datetime import UTC, datetime

from markupsafe import Markup

from bot.web import html
from bot.web.cache import Rendered
from bot.web.view import View, modified
from briefings.exports import claims
from briefings.reply import Reply
from briefings.snapshot import Snapshot
from briefings.untrusted import one_line

PARTS = (
    ("brief", "/brief", "At a glance"),
    ("toll", "/toll", "Death toll"),
    ("latest", "", "Latest per source"),
    ("chart", "/toll chart", "Toll over time"),
    ("timeline", "/timeline", "Timeline"),
    ("reactions", "/reactions", "Reactions"),
    ("sources", "/sources", "Sources"),
)
"""The page's parts, in order: an anchor, the chat command that answers it, the label in the page's menu."""

HTML = "text/html"


def downloads(view: View) -> list[tuple[str, str]]:
    from bot.web.downloads import EXPORTS

    return [(view.link(name), label) for name, (label, _) in EXPORTS.items()]


def _page(view: View, title: str, situation_title: str, region: str, updated: str, body: list[Markup]) -> bytes:
    template = html.environment.get_template("page.html")
    links = {
        "page": view.link(),
        "atom": view.link("feed.atom"),
        "json": view.link("feed.json"),
        "history": view.link("history"),
    }
    nav = [(anchor, label) for anchor, _, label in PARTS] if title == situation_title else []
    text = template.render(
        title=title,
        situation_title=situation_title,
        region=region,
        updated=updated,
        version=view.version,
        links=links,
        nav=nav,
        body=body,
        downloads=downloads(view),
        token=view.token,
        public=view.public,
    )
    return text.encode()


async def situation_page(view: View) -> Rendered:
    """The brief, the toll and its chart, the timeline, reactions and sources, each as chat gives it."""
    snapshot = await view.snapshot()
    situation = snapshot.situation
    body = []
    for anchor, command, _ in PARTS:
        if not command:
            continue
        reply = await view.ask(command)
        image = view.link("chart.png") if reply.image is not None else None
        body.append(html.render(reply, view.history_link, image, anchor))
        if anchor == "toll":
            body.append(latest_table(view, snapshot))
    changed = modified(snapshot)
    title = one_line(situation.title)
    page = _page(view, title, title, one_line(situation.region), _when(changed), body)
    return Rendered(page, HTML, changed)


def latest_table(view: View, snapshot: Snapshot) -> Markup:
    """Each source's latest figure per place and category, as a table (the `hxl-latest` export's rows)."""
    rows = []
    for number, words, category, qualifier, key, _, source, _, as_of, *_, location in claims.latest_rows(snapshot):
        figure = words if number is None else number
        rows.append(
            {
                "source": source,
                "place": location or "Whole situation",
                "category": category,
                "figure": f"{qualifier} {figure}" if qualifier else figure,
                "as_of": as_of,
                "id": key,
                "link": view.history_link(str(key)),
            }
        )
    return Markup(html.environment.get_template("latest.html").render(rows=rows))


async def chart_png(view: View) -> Rendered:
    snapshot = await view.snapshot()
    reply = await view.ask("/toll chart")
    if reply.image is None:
        return Rendered(b"No chart: fewer than two figures to draw.", "text/plain", modified(snapshot), status=404)
    return Rendered(reply.image.png, "image/png", modified(snapshot))


async def history_page(view: View, key: str) -> Rendered:
    """Every revision of one fact, as `/history` gives it (a retracted fact shows as retracted)."""
    snapshot = await view.snapshot()
    reply: Reply = await view.ask(f"/history {key}")
    title = one_line(snapshot.situation.title)
    body = [html.render(reply, view.history_link, None, "history")]
    changed = modified(snapshot)
    page = _page(view, one_line(reply.title), title, one_line(snapshot.situation.region), _when(changed), body)
    return Rendered(page, HTML, changed, status=200 if reply.ok else 404)


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%d %b %Y %H:%M UTC")
