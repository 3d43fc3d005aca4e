"""Plain-text rendering of replies (console, `briefing ask`, and platforms' fallback text)."""

from __future__ import annotations

from briefings.reply import Line, Reply

BULLETS = ("• ", "  – ")


def render_line(line: Line) -> str:
    return BULLETS[min(line.level, 1)] + line.text


def render(reply: Reply) -> str:
    """Text is shown as typed: plain text has no markup that untrusted text could abuse."""
    out = [reply.title]
    for section in reply.sections:
        out.append("")
        if section.heading:
            out.append(section.heading)
        out += [render_line(line) for line in section.lines]
    if reply.image:
        out += ["", f"[Image {reply.image.filename}: {reply.image.alt}]"]
    if reply.footer:
        out += ["", reply.footer.text]
    return "\n".join(out)
