"""Slack mrkdwn for text from people and sources: shown literally, it cannot mention, link, format or start a
line. Slack has no escape for `*_~` and backticks, so they become look-alike characters; `&<>` become entities;
URLs and domains are broken with a zero-width space (blocks are also sent with `verbatim: true`)."""

from __future__ import annotations

from briefings.untrusted import one_line

ZWSP = "\u200b"
ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
LOOKALIKES = {"*": "\u2217", "_": "\u02cd", "~": "\u223c", "`": "\u02cb"}
"""∗ ˍ ∼ ˋ: read the same, format nothing."""
BROADCASTS = ("here", "channel", "everyone")


def escape(text: str) -> str:
    """Neutralises Slack's only control characters, so `<!channel>` shows as text and pings nobody."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _letter(char: str) -> bool:
    """A letter as shown: `_` is shown as a look-alike letter."""
    return char.isalpha() or char in LOOKALIKES


def _piece(text: str, i: int) -> str:
    """The mrkdwn for `text[i]`, given its neighbours."""
    char = text[i]
    if char in ENTITIES:
        return ENTITIES[char]
    if char in LOOKALIKES:
        return LOOKALIKES[char]
    last = len(text) - 1
    if char == "@" and (i == last or text[i + 1 : i + 9].lower().startswith(BROADCASTS)):
        return "@" + ZWSP
    if char == ":" and text.startswith("/", i + 1):  # scheme://
        return ":" + ZWSP
    if char == "/" and i == 0 and text.startswith("//"):  # the rest of a URL whose scheme ends the text before
        return ZWSP + "/"
    if (
        char == "."
        and (i == 0 or text[i - 1].isalnum() or text[i - 1] in LOOKALIKES)
        and (i == last or _letter(text[i + 1]))
    ):  # a domain
        return "." + ZWSP
    return char


def guard_line_start(row: str) -> str:
    """`row` (mrkdwn) safe at the start of a line: a leading `>` would make it a quote."""
    return ZWSP + row if row.lstrip().startswith(("&gt;", ">")) else row


def inert(text: str) -> str:
    """`text` as mrkdwn that shows it literally: one line, no mentions, links, formatting or quote marker."""
    text = one_line(text)
    return guard_line_start("".join(_piece(text, i) for i in range(len(text))))
