"""`/weblink`: whether people outside chat may read the situation's web page, feeds and exports."""

from __future__ import annotations

from briefings.commands.context import Context
from briefings.commands.parse import Request
from briefings.commands.table import WEBLINK_USAGE as USAGE
from briefings.reply import Reply, Section, line, problem, untrusted
from briefings.store.web_access import read_access, share

MODES = ("public", "secret", "off")


def page_path(slug: str, token: str | None = None) -> str:
    """The page's path on the bot's web server (the token, if any, is the secret link's key)."""
    return f"/s/{slug}" + (f"?k={token}" if token else "")


async def weblink_command(ctx: Context, request: Request) -> Reply:
    if len(request.words) > 1 or request.options or (request.words and request.words[0].lower() not in MODES):
        return problem(f"Usage: {USAGE}", "public: anyone; secret: a new secret link; off: nobody outside chat.")
    situation = await ctx.store.situation(ctx.slug)
    title = untrusted(situation.title, True)
    if not request.words:
        access = await read_access(ctx.store, ctx.slug)
        if access.public:
            now = line("The web page of ", title, " is public: ", page_path(ctx.slug))
        elif access.shared:
            now = line("The web page of ", title, " is readable with its secret link only (shown once when made).")
        else:
            now = line("The web page of ", title, " is not shared outside chat.")
        return Reply("Web page", [Section(None, [now])], line(f"Moderators change it with {USAGE}"))
    mode = request.words[0].lower()
    token = await share(ctx.store, ctx.slug, mode, ctx.caller.ident)
    if mode == "public":
        said = [line("Anyone may now read ", title, " at ", page_path(ctx.slug), " on this bot's web address.")]
    elif mode == "secret":
        said = [
            line("New secret link for ", title, ": ", page_path(ctx.slug, token), " on this bot's web address."),
            line("Any earlier link no longer works. Only a hash of it is kept: it cannot be shown again."),
        ]
    else:
        said = [line("The web page, feeds and exports of ", title, " are no longer shared outside chat.")]
    return Reply("Web page", [Section(None, said)])
