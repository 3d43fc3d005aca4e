"""Words to index terms: plain letters, a light English stemmer, and the news words that mean the same thing."""

from __future__ import annotations

import functools
import re

from briefings.names import normalize


def word_set(text: str) -> frozenset[str]:
    """The words of a text, as a set (vocabularies are written as plain text)."""
    return frozenset(text.split())


STOP = word_set(
    "a an the of in on at to for from by about and or but is are was were be been being has have had did "
    "does do how many much what whats who whos whom when where which why any anything there their they "
    "them it its this that these those me us we you i my our your please tell show give can could would "
    "will should so far yet now just also still as with into than then out up over if not no yes some all "
    "more most very ever know known recorded record happen happened happening going get got make made say "
    "said says take taken took place thing things something anyone anybody someone somebody whether tell told "
    "hear heard"
)
"""Words that carry no topic of their own."""

_GROUPS = (
    "kill killed died die dead death fatal fatality casualty toll slain bodies body lives life",
    "wound injure injury hurt",
    "send sent deploy dispatch move bring",
    "attack strike hit bomb bombard shell raid assault target",
    "airstrike air-strike helicopter airstrikes warplane jet",
    "arrest detain detention custody",
    "kidnap abduct hostage seize captive",
    "flee fled displace displaced evacuate refugee",
    "protest demonstrate demonstration rally",
    "curfew lockdown",
    "aid relief help assistance",
    "rescue rescuer save",
    "condemn denounce",
    "investigate investigation inquiry probe",
    "ceasefire truce",
    "violent violence worst deadliest bloodiest",
    "ouster oust fall fell toppled overthrow overthrown",
    "reinforcement reinforce troops",
    "clash fight fighting battle combat",
    "government authority authorities official officials",
    "measure step action response",
    "suspect suspicion blame accuse",
)
"""Groups of words a question and a fact may use for one thing (everyday news English, no names)."""

_ENDINGS = (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))


def stem(word: str) -> str:
    """`airstrikes` -> `airstrike`, `kidnapped` -> `kidnap`, `casualties` -> `casualty`: close enough to match."""
    if len(word) <= 3 or word.isdigit():
        return word
    for ending, replacement in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)] + replacement
            break
    if len(word) > 4 and word[-1] == word[-2] and word[-1] not in "ls":
        word = word[:-1]  # kidnapp -> kidnap
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def _groups() -> dict[str, str]:
    out: dict[str, str] = {}
    for group in _GROUPS:
        words = group.split()
        head = stem(words[0].replace("-", ""))
        for word in words:
            out.setdefault(stem(word.replace("-", "")), head)
    return out


SAME = _groups()
"""A stemmed word -> the stem that stands for its group."""


_ASCII_NON_WORD = re.compile(r"[\W_]+")
_APOSTROPHES = re.compile("['`]")


def words(text: str) -> list[str]:
    """Normalised words (no accents or punctuation), in order; plain ASCII takes a shorter way to the same."""
    if text.isascii():
        return _ASCII_NON_WORD.sub(" ", _APOSTROPHES.sub("", text).lower()).split()
    return normalize(text).split()


@functools.lru_cache(maxsize=65536)
def term(word: str) -> str:
    """The index term of one normalised word."""
    stemmed = stem(word)
    return SAME.get(stemmed, stemmed)


def terms(text: str) -> list[str]:
    """Every index term of a text (stop words left out), in order."""
    return [term(w) for w in words(text) if w not in STOP]
