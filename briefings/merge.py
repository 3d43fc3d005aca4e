"""`briefing load --merge`: what a situation file would change in the store, applied as revisions."""

from __future__ import annotations

from dataclasses import dataclass, field

from briefings.facts import Fact, Status
from briefings.loader import SituationFile
from briefings.revisions import Change, encode
from briefings.snapshot import Snapshot


@dataclass
class MergePlan:
    added: list[tuple[str, Fact]] = field(default_factory=list)
    revised: list[tuple[str, Fact, Fact]] = field(default_factory=list)
    retracted: list[tuple[str, Fact, Fact]] = field(default_factory=list)
    unchanged: int = 0
    untouched: int = 0
    """Facts in the store that the file does not mention: left exactly as they are."""

    def changes(self, reason: str) -> list[Change]:
        out = [Change(fact, key, "merge", reason, new=True) for key, fact in self.added]
        out += [Change(after, key, "merge", reason) for key, _, after in self.revised]
        out += [Change(after, key, "retract", reason) for key, _, after in self.retracted]
        return out

    @property
    def empty(self) -> bool:
        return not (self.added or self.revised or self.retracted)


class MergeError(ValueError):
    pass


def plan(snapshot: Snapshot, file: SituationFile) -> MergePlan:
    if file.situation.slug != snapshot.situation.slug:
        raise MergeError(f"the file is for '{file.situation.slug}', not '{snapshot.situation.slug}'")
    result = MergePlan()
    for key, fact in file.facts.items():
        current = snapshot.facts.get(key)
        if current is None:
            result.added.append((key, fact))
        elif type(current) is not type(fact):
            raise MergeError(f"{key} is a {current.kind} in the store but a {fact.kind} in the file")
        elif encode(current) == encode(fact):
            result.unchanged += 1
        elif fact.status is Status.retracted and current.status is not Status.retracted:
            result.retracted.append((key, current, fact))
        else:
            result.revised.append((key, current, fact))
    result.untouched = len(set(snapshot.facts) - set(file.facts))
    return result
