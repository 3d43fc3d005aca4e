"""Finding places, actors and sources by any spelling people type."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

_NON_WORD = re.compile(r"[\W_]+")
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc\u02bb`\u00b4]")
_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "æ": "ae",
        "œ": "oe",
        "\u0640": "",  # Arabic tatweel, a stretch of the line between letters
        "ة": "ه",  # taa marbuta, often written as haa
        "ى": "ي",  # alef maqsura, often written as yaa
    }
)
"""Letters spelled more than one way, read as one (Unicode decomposition alone does not relate them)."""
ARTICLES = ("al ", "el ", "the ")
ARABIC_ARTICLE = "ال"
ACCEPT = 86.0
SUGGEST = 55.0


def normalize(text: str) -> str:
    """Lower case, no accents or vowel marks, no punctuation, in any script: `Al-Mina` and `al mina` look
    alike, and so do Arabic names with and without their short vowels. No letters or digits gives ""."""
    flat = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", text)).casefold()
    flat = "".join(char for char in flat if not unicodedata.combining(char)).translate(_LETTERS)
    return _NON_WORD.sub(" ", flat).strip()


def has_letters(text: str) -> bool:
    """Whether `text` has something to find it by: a letter or a digit, in any script."""
    return bool(normalize(text))


def _variants(name: str) -> set[str]:
    base = normalize(name)
    out = {base}
    for prefix in ARTICLES:
        if base.startswith(prefix):
            out.add(base[len(prefix) :])
    if base.startswith(ARABIC_ARTICLE) and len(base) > len(ARABIC_ARTICLE) + 2:
        out.add(base[len(ARABIC_ARTICLE) :])
    return {v for v in out if v}


class UnknownName(ValueError):
    """No entry matched; `suggestions` are the nearest names."""

    def __init__(self, what: str, text: str, suggestions: list[str]) -> None:
        self.what, self.text, self.suggestions = what, text, suggestions
        hint = f"; did you mean {_or_list(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown {what} '{text}'{hint}")


def _or_list(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


@dataclass
class NameIndex:
    """Every spelling of every entry of one kind, pointing at the entry's key."""

    what: str
    _exact: dict[str, str] = field(default_factory=dict)
    _display: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, what: str, entries: Iterable[tuple[str, str, Iterable[str]]]) -> NameIndex:
        """`entries` are (key, display name, other spellings)."""
        index = cls(what)
        for key, name, aliases in entries:
            index.add(key, name, aliases)
        return index

    def add(self, key: str, name: str, aliases: Iterable[str] = ()) -> None:
        """One more entry (earlier spellings keep pointing where they did)."""
        self._display[key] = name
        for spelling in (name, *aliases):
            for variant in _variants(spelling):
                self._exact.setdefault(variant, key)

    def __contains__(self, key: str) -> bool:
        return key in self._display

    def name(self, key: str) -> str:
        return self._display.get(key, key)

    def names(self) -> list[str]:
        return list(self._display.values())

    def spellings(self) -> dict[str, str]:
        """Every known spelling (normalized) and the key it names."""
        return dict(self._exact)

    def exact(self, text: str) -> str | None:
        """The key that `text` names exactly (an id, a name or an alias), or None."""
        if text.strip().lower() in self._display:
            return text.strip().lower()
        for variant in _variants(text):
            if variant in self._exact:
                return self._exact[variant]
        return None

    def find(self, text: str) -> str | None:
        """Like `exact`, but also accepts a close spelling when one entry clearly fits best."""
        found = self.exact(text)
        wanted = normalize(text)
        if found or len(wanted) < 4:
            return found  # two or three letters (`UN`) look like parts of too many names to guess
        from rapidfuzz import fuzz, process  # loaded only when a spelling is not exact

        best = process.extract(wanted, list(self._exact), scorer=fuzz.WRatio, limit=2)
        if not best or best[0][1] < ACCEPT:
            return None
        top_key = self._exact[best[0][0]]
        if len(best) > 1 and self._exact[best[1][0]] != top_key and best[1][1] >= best[0][1] - 2:
            return None  # two different entries match about as well: ambiguous
        return top_key

    def matching(self, text: str, close: bool = True) -> list[str]:
        """Every entry `text` names: one of its spellings exactly, or whole words (or a word's start) inside
        one; a close misspelling when nothing else fits. Several entries when the words fit several."""
        wanted = normalize(text)
        for article in ARTICLES:
            wanted = wanted.removeprefix(article)
        exact = self.exact(text)
        found = [exact] if exact else []
        if len(wanted) >= 3:
            base = wanted[:-1] if wanted.endswith("s") and len(wanted) > 4 else wanted
            pattern = re.compile(r"(^| )" + re.escape(base) + (r"[a-z]*" if len(wanted) >= 4 else "") + r"( |$)")
            for spelling, key in self._exact.items():
                if key not in found and pattern.search(spelling):
                    found.append(key)
        if not found and close:
            nearest = self.find(text)
            found = [nearest] if nearest else []
        return found

    def resolve(self, text: str) -> str:
        """Like `find`, but raises `UnknownName` with the nearest names."""
        key = self.find(text)
        if key is None:
            raise UnknownName(self.what, text, self.suggest(text))
        return key

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        wanted = normalize(text)
        scored: dict[str, float] = {}
        from rapidfuzz import fuzz, process  # loaded only when a spelling is not exact

        if len(wanted) < 4:  # two letters: names with a word that starts so, not names that merely contain them
            starts = [k for s, k in self._exact.items() if any(w.startswith(wanted) for w in s.split())]
            return [self._display[k] for k in dict.fromkeys(starts)][:limit]
        for spelling, score, _ in process.extract(wanted, list(self._exact), scorer=fuzz.WRatio, limit=12):
            key = self._exact[spelling]
            if score >= SUGGEST and score > scored.get(key, 0):
                scored[key] = score
        ranked = sorted(scored, key=lambda k: -scored[k])[:limit]
        return [self._display[k] for k in ranked]
