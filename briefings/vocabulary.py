"""Words a situation may extend: the kinds of measure it speaks of, each with the label readers see."""

from __future__ import annotations

from briefings.facts import Situation, kind_slug

MEASURE_KINDS: dict[str, str] = {
    "curfew": "Curfew",
    "reinforcement": "Reinforcement",
    "operation": "Operation",
    "state-of-emergency": "State of emergency",
    "evacuation-order": "Evacuation order",
    "border-closure": "Border closure",
    "aid-access": "Aid access",
    "ceasefire": "Ceasefire",
    "lockdown": "Lockdown",
    "quarantine": "Quarantine",
    "travel-restriction": "Travel restriction",
    "communications-shutdown": "Communications shutdown",
    "school-closure": "School closure",
    "mobilisation": "Mobilisation",
    "arrests": "Arrests",
    "sanctions": "Sanctions",
    "other": "Other",
}
"""Kinds every situation knows, by the slug files and moderators write."""


def measure_kinds(situation: Situation) -> dict[str, str]:
    """The kinds this situation knows: the common ones, then its own (which may also relabel a common one)."""
    return {**MEASURE_KINDS, **situation.measure_kinds}


def measure_label(situation: Situation, kind: str) -> str:
    """What a reader sees for a kind: its label, or the slug in words for one nobody labelled."""
    found = measure_kinds(situation).get(kind)
    return found if found else kind.replace("-", " ").capitalize()


def known_measure(situation: Situation, text: str) -> str:
    """The kind `text` names, if the situation knows it; else a ValueError listing those it does."""
    kind = str(kind_slug(text))
    if kind not in measure_kinds(situation):
        raise ValueError(
            f"'{kind}' is not a kind of measure this situation knows ({', '.join(measure_kinds(situation))}); "
            "a situation file may add its own under situation.measure_kinds"
        )
    return kind
