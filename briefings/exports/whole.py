"""The whole situation as JSON, every fact with its full history (what `briefing export` has always written)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from briefings.revisions import encode
from briefings.store.store import Store
from briefings.stored_form import to_stored


async def situation_json(store: Store, slug: str, authors: bool = True) -> dict[str, Any]:
    """`authors`: include who made each revision (platform user ids: not for pages outside chat)."""
    situation = await store.situation(slug)
    snapshot = await store.snapshot(slug)
    history = await store.revisions_since(slug, datetime.min.replace(tzinfo=UTC))
    facts = []
    for key, fact in snapshot.facts.items():
        revisions = [
            {
                "number": r.number,
                "at": r.at.isoformat(),
                "author": r.author if authors else None,
                "action": r.action,
                "reason": r.reason,
                "data": encode(r.fact),
            }
            for r in history
            if r.key == key
        ]
        facts.append({"id": key, "kind": fact.kind, "current": encode(fact), "history": revisions})
    return {"situation": to_stored(situation, exclude_none=False), "facts": facts}


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
