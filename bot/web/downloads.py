"""The exports offered on the page, the same as `briefing export --format …` writes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.web.cache import Rendered
from bot.web.view import View, modified
from briefings.exports import claims, tables, whole
from briefings.snapshot import Snapshot

CSV = "text/csv"


def _table(name: str, make: Callable[[Snapshot], str]) -> Callable[[View], Awaitable[Rendered]]:
    async def table(view: View) -> Rendered:
        snapshot = await view.snapshot()
        return Rendered(make(snapshot).encode(), CSV, modified(snapshot), filename=f"{view.slug}-{name}")

    return table


async def _json(view: View) -> Rendered:
    snapshot = await view.snapshot()
    body = whole.dumps(await whole.situation_json(view.briefings.store, view.slug, authors=False)).encode()
    return Rendered(body, "application/json", modified(snapshot), filename=f"{view.slug}.json")


NOT_SUMMED = "HXL-tagged CSV; never add rows up across sources"
EXPORTS: dict[str, tuple[str, Callable[[View], Awaitable[Rendered]]]] = {
    "claims.hxl.csv": (f"Every toll claim, one per row ({NOT_SUMMED})", _table("claims.hxl.csv", claims.claims_csv)),
    "latest.hxl.csv": (
        f"Latest figure per source, place and category ({NOT_SUMMED})",
        _table("latest.hxl.csv", claims.latest_csv),
    ),
    "events.acled.csv": ("Events in ACLED's columns (CSV)", _table("events.acled.csv", tables.acled_csv)),
    "tolls.ucdp.csv": ("Toll claims in UCDP GED's columns (CSV)", _table("tolls.ucdp.csv", tables.ucdp_csv)),
    "export.json": ("Everything recorded, with each fact's history (JSON)", _json),
}
"""Path under `/s/{slug}/` -> (what the page's link says, what makes it)."""
