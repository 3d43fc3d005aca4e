"""Refusing what a command does not take: `/brief @here *EVACUATE*` is an error that names the extra words,
not an answer that ignores them (and could then be shared with them)."""

from __future__ import annotations

from collections.abc import Collection

from briefings.commands.parse import Request
from briefings.reply import Reply, line, problem, untrusted

SHOWN = 80
"""Characters of the extra words quoted back."""


def unexpected(request: Request, usage: str, *, words: int = 0, options: Collection[str] = ()) -> Reply | None:
    """A refusal naming the words after the first `words` and the options not in `options`, or None if
    the request has neither."""
    extra_words = request.words[words:]
    extra_options = [key for key in request.options if key not in options]
    if not extra_words and not extra_options:
        return None
    details = []
    if extra_words:
        text = " ".join(extra_words)
        text = text if len(text) <= SHOWN else text[: SHOWN - 1] + "…"
        details.append(line("Not understood: ", untrusted(text)))
    if extra_options:
        details.append(line("Options it does not take: ", untrusted(", ".join(f"{key}=" for key in extra_options))))
    if extra_words:
        title = f"/{request.name} does not take these words."
    else:
        title = f"/{request.name} takes no {', '.join(f'{key}=' for key in extra_options)} option."
    reply = problem(title, *details, line("Usage: ", usage))
    reply.at_fault = extra_options[0] if extra_options else None
    return reply
