"""Who may read a situation outside chat (its web page, feeds and exports): everyone, or only whoever holds its
secret link. Only a hash of the link's token is kept, so a copy of the database does not give the link away."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import String, bindparam, select

from briefings.store.errors import NotFound
from briefings.store.schema import situations, web_access
from briefings.store.store import Store
from briefings.store.upsert import dialect_insert

TOKEN_BYTES = 24
"""192 random bits: the token cannot be guessed, so the link is the key."""

HEAD = (
    select(situations.c.slug, situations.c.version, web_access.c.public, web_access.c.token_hash)
    .select_from(situations.outerjoin(web_access, web_access.c.situation_id == situations.c.id))
    .where(situations.c.slug == bindparam("slug", type_=String))
)
"""A situation's version and access rule in one read (the only read a cached page needs)."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class WebAccess:
    """A situation's version now and how it may be read: `public`, or with the token hashed as `token_hash`;
    neither means it is not shared outside chat at all."""

    slug: str
    version: int
    public: bool = False
    token_hash: str | None = None

    def allows(self, token: str | None) -> bool:
        if self.public:
            return True
        if self.token_hash is None or not token:
            return False
        return hmac.compare_digest(token_hash(token), self.token_hash)

    @property
    def shared(self) -> bool:
        return self.public or self.token_hash is not None


async def read_access(store: Store, slug: str) -> WebAccess:
    """The situation's version and access rule; NotFound if there is no such situation."""
    row = await store._first(HEAD, {"slug": slug})
    if row is None:
        raise NotFound(f"no situation '{slug}'")
    return WebAccess(str(row[0]), int(row[1]), bool(row[2]), row[3])


async def share(store: Store, slug: str, mode: str, by: str) -> str | None:
    """Sets how the situation is read outside chat: `public`, `secret` (a new secret link, the old one stops
    working) or `off`. Returns the new link's token for `secret` (shown once, kept only hashed)."""
    token = secrets.token_urlsafe(TOKEN_BYTES) if mode == "secret" else None
    values = {
        "public": mode == "public",
        "token_hash": token_hash(token) if token else None,
        "updated_at": datetime.now(UTC),
        "updated_by": by,
    }
    async with store.writing() as db:
        situation_id = await store.situation_id(db, slug)
        statement = dialect_insert(store.engine.dialect.name)(web_access).values(situation_id=situation_id, **values)
        await db.execute(
            statement.on_conflict_do_update(
                index_elements=[web_access.c.situation_id], set_={k: statement.excluded[k] for k in values}
            )
        )
    return token
