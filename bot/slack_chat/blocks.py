"""Block Kit rendering of reply documents, built through `slack_sdk.models.blocks` so Slack's limits are checked.

Every piece of text is escaped (`&`, `<`, `>`), the bot's own words included, so nothing in a reply can become a
mention (`<!channel>`, `<@U…>`) or a link; text from people and sources also cannot format, break the line or
auto-link (`bot.slack_chat.escape.inert`), and mrkdwn goes out with `verbatim: true`. Long replies are split at line
boundaries into several section blocks and, past 50 blocks or ~12,000 characters, into several messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.slack_chat.escape import escape, guard_line_start, inert
from briefings.render_text import join_within, split_long
from briefings.render_text import render as render_plain
from briefings.reply import Action, Line, Reply, Span
from briefings.untrusted import one_line

SECTION_CHARS = 3000
HEADER_CHARS = 150
CONTEXT_CHARS = 3000
MESSAGE_BLOCKS = 50
HOME_BLOCKS = 100
MESSAGE_CHARS = 12_000
HOME_CHARS = 30_000
TEXT_CHARS = 40_000
SHARE_ACTION = "share"
ACTION_PREFIX = "act_"
"""The action ids of a section's buttons (a review card's Accept, Edit, Reject) start so."""
BULLETS = ("• ", "      ◦ ")


def unescape(text: str) -> str:
    """What a person typed: Slack sends `&`, `<`, `>` in message and command text as entities."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def span_mrkdwn(span: Span) -> str:
    """A span's text as mrkdwn, without its bold: the bot's own words escaped, untrusted text made inert."""
    return inert(span.text) if span.untrusted else escape(span.text)


def mrkdwn(text: str) -> MarkdownTextObject:
    """A mrkdwn text object that Slack does not scan for links, channel names or mentions."""
    return MarkdownTextObject(text=text, verbatim=True)


def mrkdwn_line(line: Line) -> str:
    """One reply line as mrkdwn: a bullet, escaped spans, `*bold*` for strong spans."""
    out = [BULLETS[min(line.level, 1)]]
    for span in line.spans:
        text = span_mrkdwn(span)
        core = text.strip()
        if span.strong and core:
            lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
            text = f"{lead}*{core}*{trail}"
        out.append(text)
    return "".join(out)


def mrkdwn_text(line: Line) -> str:
    """One line as mrkdwn without its bullet: a comment or a note."""
    return mrkdwn_line(line)[len(BULLETS[0]) :]


def pack(lines: list[str], limit: int = SECTION_CHARS) -> list[str]:
    """Joins lines with newlines into chunks of at most `limit` characters, never splitting a line that fits; a
    piece of a longer line that now starts a line cannot start a quote."""
    pieces = []
    for text in lines:
        parts = split_long(text, limit - 1)
        pieces += parts[:1] + [guard_line_start(part) for part in parts[1:]]
    return join_within(pieces, "\n", limit)


@dataclass
class Unit:
    """One block (checked against Slack's limits once, here) and its escaped text (the `text` fallback of a
    message that is one page of several)."""

    block: dict[str, Any]
    plain: str
    size: int

    @classmethod
    def of(cls, block: Block, plain: str) -> Unit:
        data = block.to_dict()
        return cls(data, plain, len(str(data)))


@dataclass
class Message:
    """One Slack message: blocks (as dicts) and the escaped plain-text fallback."""

    blocks: list[dict[str, Any]] = field(default_factory=list)
    text: str = ""

    def as_kwargs(self) -> dict[str, Any]:
        return {"blocks": self.blocks, "text": self.text}


def header_text(title: str) -> str:
    """The title on one line, cut at a word boundary to fit a header block (which may not be empty)."""
    title = one_line(title).strip() or "…"
    if len(title) <= HEADER_CHARS:
        return title
    cut = title[: HEADER_CHARS - 1].rsplit(" ", 1)[0]
    return cut + "…"


def units(reply: Reply, *, note: Line | None = None) -> list[Unit]:
    """The reply as a flat list of blocks: header, sections, footer and `note` as context."""
    header = PlainTextObject(text=header_text(reply.title), emoji=False)
    out = [Unit.of(HeaderBlock(text=header), inert(reply.title))]
    for section in reply.sections:
        texts = [mrkdwn_line(line) for line in section.lines]
        if section.heading:
            texts.insert(0, f"*{inert(section.heading)}*")
        out += [Unit.of(SectionBlock(text=mrkdwn(chunk)), chunk) for chunk in pack(texts)]
        if section.actions:
            out.append(Unit.of(actions_block(section.actions), ""))
    if reply.image is not None:
        alt = f"Chart ({escape(reply.image.filename)}, posted as a file): {inert(reply.image.alt)}"
        chunk = alt if len(alt) <= CONTEXT_CHARS else alt[: CONTEXT_CHARS - 1] + "…"
        out.append(Unit.of(ContextBlock(elements=[mrkdwn(chunk)]), chunk))
    for extra in (reply.footer, note):
        if extra is not None:
            for chunk in pack([mrkdwn_text(extra)], CONTEXT_CHARS):
                out.append(Unit.of(ContextBlock(elements=[mrkdwn(chunk)]), chunk))
    return out


def actions_block(actions: tuple[Action, ...]) -> ActionsBlock:
    """A section's actions as buttons (`act_accept`, …); each button's value is its command, run as whoever clicks."""
    buttons = [
        ButtonElement(
            text=PlainTextObject(text=a.label, emoji=False),
            action_id=f"{ACTION_PREFIX}{a.label.lower()}",
            value=a.command[:2000],
            style=a.style or None,
        )
        for a in actions
    ]
    return ActionsBlock(block_id=actions[0].command[:255], elements=buttons)


def share_block(command: str) -> ActionsBlock:
    """The "Post to channel" button; its value is the command, re-run by whoever clicks it."""
    button = ButtonElement(
        text=PlainTextObject(text="Post to channel"), action_id=SHARE_ACTION, value=command[:2000], style="primary"
    )
    return ActionsBlock(block_id="share", elements=[button])


def messages(
    reply: Reply,
    *,
    share: str | None = None,
    note: Line | None = None,
    max_blocks: int = MESSAGE_BLOCKS,
    max_chars: int = MESSAGE_CHARS,
) -> list[Message]:
    """The reply as one or more messages; a share button (if `share` is a command) goes on the last one."""
    pages: list[list[Unit]] = [[]]
    size = 0
    reserve = 1 if share else 0
    for unit in units(reply, note=note):
        if pages[-1] and (len(pages[-1]) + 1 + reserve > max_blocks or size + unit.size > max_chars):
            pages.append([])
            size = 0
        pages[-1].append(unit)
        size += unit.size
    out = []
    for page in pages:
        blocks = [unit.block for unit in page]
        text = plain_text(reply) if len(pages) == 1 else "\n".join(unit.plain for unit in page)
        out.append(Message(blocks, text[:TEXT_CHARS]))
    if share:
        out[-1].blocks.append(share_block(share).to_dict())
    return out


def plain_text(reply: Reply) -> str:
    """The whole reply as escaped text without blocks (refusals and errors are sent this way)."""
    return render_plain(reply, span=span_mrkdwn, loose=inert)[:TEXT_CHARS]


def home_view(reply: Reply) -> dict[str, Any]:
    """An App Home tab showing `reply`; cut to the first page if it is very long."""
    pages = messages(reply, max_blocks=HOME_BLOCKS - 1, max_chars=HOME_CHARS)
    blocks = pages[0].blocks
    if len(pages) > 1:
        more = ContextBlock(elements=[mrkdwn("Shortened here: use /brief for the whole briefing.")])
        blocks.append(more.to_dict())
    return {"type": "home", "blocks": blocks}
