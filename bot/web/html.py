"""Reply documents as HTML, the third rendering beside Slack's blocks and Discord's embeds. Every piece of text is
escaped (Jinja2 autoescape); text from people and sources is also kept to one line, so it can never become markup,
a link or a script. A fact id in the bot's own words (`[t1]`) links to that fact's history page."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from briefings.reply import Line, Reply, Span
from briefings.untrusted import one_line

FACT_ID = re.compile(r"\[([a-z][0-9]{1,9})\]")
"""A fact's id as the bot writes it after a figure or a fact."""

environment = Environment(
    loader=PackageLoader("bot.web", "templates"),
    autoescape=select_autoescape(("html", "xml", "atom"), default_for_string=True, default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


def span_html(span: Span, history: Callable[[str], str] | None = None) -> Markup:
    """One span: untrusted text on one line and escaped; the bot's own words escaped, fact ids linked."""
    if span.untrusted:
        html = escape(one_line(span.text))
    elif history is None:
        html = escape(span.text)
    else:
        pieces, at = [], 0
        for found in FACT_ID.finditer(span.text):
            pieces.append(escape(span.text[at : found.start()]))
            key = found.group(1)
            pieces.append(Markup('[<a href="{}">{}</a>]').format(history(key), key))
            at = found.end()
        pieces.append(escape(span.text[at:]))
        html = Markup("").join(pieces)
    return Markup("<strong>{}</strong>").format(html) if span.strong and span.text.strip() else html


def line_html(line: Line, history: Callable[[str], str] | None = None) -> Markup:
    return Markup("").join(span_html(span, history) for span in line.spans)


@dataclass
class Item:
    """A bullet and the details under it."""

    html: Markup
    details: list[Markup] = field(default_factory=list)


def items(lines: list[Line], history: Callable[[str], str] | None = None) -> list[Item]:
    out: list[Item] = []
    for line in lines:
        html = line_html(line, history)
        if line.level and out:
            out[-1].details.append(html)
        else:
            out.append(Item(html))
    return out


def reply_context(
    reply: Reply, history: Callable[[str], str] | None = None, image_url: str | None = None, anchor: str = "reply"
) -> dict[str, Any]:
    """What the `reply.html` template shows of a reply; headings and the title are untrusted text."""
    return {
        "anchor": anchor,
        "title": one_line(reply.title),
        "sections": [
            {"heading": one_line(s.heading) if s.heading else None, "items": items(s.lines, history)}
            for s in reply.sections
        ],
        "footer": line_html(reply.footer, history) if reply.footer else None,
        "image": {"url": image_url, "alt": one_line(reply.image.alt)} if reply.image and image_url else None,
        "ok": reply.ok,
    }


def render(
    reply: Reply, history: Callable[[str], str] | None = None, image_url: str | None = None, anchor: str = "reply"
) -> Markup:
    """A reply as an HTML `<section>`: its title as a heading, its sections, its chart with the text alternative."""
    context = reply_context(reply, history, image_url, anchor)
    return Markup(environment.get_template("reply.html").render(reply=context))
