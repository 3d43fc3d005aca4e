"""No code outside seeds and tests names a seed place, source or actor: answers hold for any situation."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "syria-coast-2025-03.yaml"


def seed_names() -> set[str]:
    """Every proper name the seed gives a place, source or actor (names and aliases), and the region's parts.
    All-lower-case aliases are everyday words (`government`, `gunmen`) and are left out."""
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    names: set[str] = set()
    for section in ("places", "sources", "actors"):
        for item in data[section]:
            names |= {item["name"], *item.get("aliases", [])}
    names |= {part.strip() for part in re.split(r",| and ", data["situation"]["region"])}
    return {name for name in names if any(c.isupper() for c in name)}


def test_seed_names_are_found() -> None:
    names = {n.lower() for n in seed_names()}
    assert {"jableh", "sohr", "latakia", "qardaha", "syria", "alawite", "turkish", "saudis"} <= names


def test_no_code_names_a_seed_place_source_or_actor() -> None:
    names = sorted(seed_names(), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(n) for n in names) + r")(?![\w])", re.IGNORECASE)
    found = []
    for folder in ("briefings", "bot"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for match in pattern.finditer(text):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {match.group(0)}")
    assert found == []
