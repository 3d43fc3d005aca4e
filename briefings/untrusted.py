"""Text from people and sources, made safe to show on one line anywhere: no line breaks, no control characters,
no invisible direction overrides. Platform renderers escape their own markup on top of this."""

from __future__ import annotations

import re
import unicodedata

LINE_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Marks and overrides that reorder text as it is shown (U+202E makes `gpj.exe` look like `exe.jpg`)."""
KEPT_FORMAT = frozenset("\u200c\u200d")
"""Zero-width (non-)joiners: part of how Arabic, Persian and emoji sequences are written."""
_BREAK_RUN = re.compile(f"[ \t]*[{LINE_BREAKS}][{LINE_BREAKS} \t]*")


def _kept(char: str) -> bool:
    if char in BIDI_CONTROLS:
        return False
    if char in KEPT_FORMAT or "\U000e0020" <= char <= "\U000e007f":  # tags spell out flag emoji
        return True
    return unicodedata.category(char) not in ("Cc", "Cf", "Cs")


def one_line(text: str) -> str:
    """`text` as one line: every run of line breaks becomes one space, tabs become spaces, and control,
    direction and other invisible format characters are dropped."""
    text = _BREAK_RUN.sub(" ", text).replace("\t", " ")
    if text.isascii() and text.isprintable():
        return text
    return "".join(char for char in text if _kept(char))
