"""`/propose ADDRESS`: the article is fetched (safely, see `briefings.ingest.fetch`) and read like pasted text."""

from __future__ import annotations

from briefings.commands.context import Context
from briefings.commands.parse import Request
from briefings.commands.table import PROPOSE_USAGE
from briefings.reply import Reply, problem


async def propose_from_address(ctx: Context, request: Request, address: str) -> Reply:
    """Fetches the article at `address` and proposes what it states; a clear refusal when it cannot be read."""
    from briefings.commands.review import propose_text
    from briefings.ingest.fetch import Refusal, fetch_article

    article = await fetch_article(address)
    if isinstance(article, Refusal):
        reply = problem(f"Nothing proposed — {article.reason}", f"Usage: {PROPOSE_USAGE}")
        reply.at_fault = "url"
        return reply
    return await propose_text(
        ctx, request, article.text, url=article.url, title=article.title, published=article.published
    )
