"""Reply documents as Discord embeds, split to fit Discord's limits, with untrusted text made inert."""

from __future__ import annotations

import io
from typing import Any

import discord

from bot.discord_chat.escape import ZWSP, guard_line_start, inert
from briefings.render_text import split_long
from briefings.reply import Line, Reply, Span
from briefings.untrusted import one_line

TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FOOTER_LIMIT = 2048
MESSAGE_LIMIT = 6000
EMBEDS_PER_MESSAGE = 10
CONTENT_LIMIT = 2000
COLOUR = discord.Colour(0x3B6EA5)
CONTINUED = " (continued)"
BULLETS = ("• ", "\u2003– ")


def span_markdown(span: Span) -> str:
    """One span as embed markdown. The bot's own words are escaped the same way as text from people and
    sources (`inert`): they may hold `_` or `*`, or a name that was not marked untrusted."""
    text = inert(span.text)
    return f"**{text}**" if span.strong and text.strip() else text


def line_markdown(line: Line) -> str:
    return BULLETS[min(line.level, 1)] + "".join(span_markdown(span) for span in line.spans)


def plain(line: Line) -> str:
    """For footers, which Discord shows without markdown or mentions: one line, no control characters."""
    return "".join(one_line(span.text) for span in line.spans)


def cut(text: str, limit: int) -> str:
    """`text` within `limit` characters, ending with "…" if cut (never inside an escape)."""
    return text if len(text) <= limit else mend([text[: limit - 1], text[limit - 1 :]])[0] + "…"


def blocks(reply: Reply) -> list[str]:
    """The reply's body as lines of markdown; a section starts with its bold heading after a blank line."""
    out: list[str] = []
    for section in reply.sections:
        if out:
            out.append("")
        if section.heading:
            out.append(f"**{inert(section.heading)}**")
        out += [line_markdown(line) for line in section.lines]
    return out


def pieces(lines: list[str], limit: int) -> list[str]:
    """Lines no longer than `limit`: a longer one is cut at sentence ends, never mid-sentence if it can help.
    A piece that starts a line of its own gets any markup at its start escaped (`# `, `> `, `1. `)."""
    out = []
    for text in lines:
        parts = [part for part in mend(split_long(text, limit - 4)) if part]
        out += parts[:1] + [guard_line_start(part) for part in parts[1:]]
    return out


def mend(parts: list[str]) -> list[str]:
    """Pieces of one escaped line, none ending inside an escape (`\\` and the character it escapes, or a
    character and the zero-width space that breaks it): such an end moves to the next piece."""
    parts = list(parts)
    for i in range(len(parts) - 1):
        while parts[i] and (_open_escape(parts[i]) or parts[i + 1].startswith(ZWSP)):
            parts[i], parts[i + 1] = parts[i][:-1], parts[i][-1] + parts[i + 1]
    return parts


def _open_escape(text: str) -> bool:
    return (len(text) - len(text.rstrip("\\"))) % 2 == 1


def footer_text(reply: Reply, marker: str = "") -> str:
    """The reply's footer, then `marker` (kept whole: `find_posted` looks for it at the end)."""
    tail = f" · {marker}" if marker and reply.footer else marker
    text = plain(reply.footer) if reply.footer else ""
    return cut(text, FOOTER_LIMIT - len(tail)) + tail


def run_marker(run_key: str) -> str:
    """Put in the footer of posted digests so `find_posted` can recognise them after nonces expire."""
    return f"ref {run_key}"


def pack(lines: list[str], budget: int) -> list[list[str]]:
    """Messages of descriptions: each description ≤ 4,096 characters, ≤ 10 a message, ≤ `budget` together.
    Splits fall between lines; a blank line (a section break) never starts a description."""
    messages: list[list[str]] = [[""]]
    for text in pieces(lines, min(DESCRIPTION_LIMIT, budget)):
        message = messages[-1]
        if not message[-1] and not text:
            continue
        joined = f"{message[-1]}\n{text}" if message[-1] else text
        used = sum(len(d) for d in message[:-1])
        if len(joined) <= DESCRIPTION_LIMIT and used + len(joined) <= budget:
            message[-1] = joined
        elif not text:
            continue
        elif len(message) < EMBEDS_PER_MESSAGE and used + len(message[-1]) + len(text) <= budget:
            message.append(text)
        else:
            messages.append([text])
    return [[d.strip("\n") for d in message if d.strip()] or [""] for message in messages]


def render(reply: Reply, marker: str = "") -> list[list[discord.Embed]]:
    """Messages of embeds: ≤ 10 embeds and ≤ 6,000 characters each; the title on the first embed of each
    message (marked as continued after the first), the footer (and `marker`) on the last."""
    footer = footer_text(reply, marker)
    title = cut(inert(reply.title), TITLE_LIMIT - len(CONTINUED))
    budget = MESSAGE_LIMIT - len(title) - len(CONTINUED) - len(footer)
    out: list[list[discord.Embed]] = []
    for number, descriptions in enumerate(pack(blocks(reply), budget)):
        embeds = [discord.Embed(description=d or None, colour=COLOUR) for d in descriptions]
        embeds[0].title = title if number == 0 else title + CONTINUED
        if footer:
            embeds[-1].set_footer(text=footer)
        out.append(embeds)
    return out


def content(reply: Reply) -> str:
    """A refusal or an error as plain message text (≤ 2,000 characters), escaped like embeds."""
    lines = [f"**{inert(reply.title)}**"]
    for section in reply.sections:
        if section.heading:
            lines.append(inert(section.heading))
        lines += [line_markdown(line) for line in section.lines]
    if reply.footer:
        lines.append(inert(reply.footer.text))
    return cut("\n".join(lines), CONTENT_LIMIT)


def embeds_size(embeds: list[discord.Embed]) -> int:
    """Characters Discord counts towards the 6,000 limit."""
    return sum(len(embed) for embed in embeds)


def attachment(reply: Reply, embeds: list[discord.Embed], number: int) -> dict[str, Any]:
    """The reply's chart, attached to its first message and shown in the first embed (send's keyword)."""
    if reply.image is None or number > 0:
        return {}
    image = reply.image
    embeds[0].set_image(url=f"attachment://{image.filename}")
    return {"file": discord.File(io.BytesIO(image.png), filename=image.filename, description=image.alt[:1024])}
