"""Which situation each channel follows: its own choice, else the default, else the first one loaded."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from briefings.store.schema import channels, situations
from briefings.store.upsert import dialect_insert

LOCATE = select(situations.c.slug, situations.c.version).where(
    situations.c.id
    == func.coalesce(
        select(channels.c.situation_id).where(channels.c.channel == bindparam("channel")).scalar_subquery(),
        select(situations.c.id)
        .where((bindparam("default", type_=String) == "") | (situations.c.slug == bindparam("default", type_=String)))
        .order_by(situations.c.id)
        .limit(1)
        .scalar_subquery(),
    )
)
"""A channel's situation (its own choice, else the default, else the first loaded) and its version."""


async def choose(db: AsyncConnection, channel: str, situation_id: int, at: datetime, by: str) -> None:
    """Records the channel's choice (replacing an earlier one)."""
    values = {"channel": channel, "situation_id": situation_id, "updated_at": at, "updated_by": by}
    statement = dialect_insert(db.dialect.name)(channels).values(**values)
    await db.execute(
        statement.on_conflict_do_update(
            index_elements=[channels.c.channel],
            set_={k: statement.excluded[k] for k in ("situation_id", "updated_at", "updated_by")},
        )
    )
