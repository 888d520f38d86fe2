"""Small numbers in published reports: every task-team figure below 3 is "mniej niż 3".

In a small gmina, "1 family" can point at a family. So a published figure below 3 is
never printed (primary suppression), and no printed figure may give it back by arithmetic:

- a unit's figures that add up (opened = persons + families; closed = goal achieved +
  interrupted; from the first record: opened = closed + in progress) never leave exactly
  one hidden figure in a sum: another is hidden too ("ukryte"). The rule depends only on
  the unit's own figures, so a team's page and every summary show the same cells hidden;
- a total over units (teams, institutions) is exact only when none of its parts is
  hidden; otherwise it says "co najmniej N", N being the sum of the printed parts, which
  a reader can add up anyway.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

THRESHOLD = 3
LESS = "mniej niż 3"
HIDDEN = "ukryte"


@dataclass(frozen=True)
class Shown:
    """A figure as published: its text, and the number only when it is printed exactly."""

    tekst: str
    liczba: int | None = None

    def __str__(self) -> str:
        return self.tekst

    @property
    def ukryta(self) -> bool:
        return self.liczba is None


def primary(value: int) -> Shown:
    """A figure with no relation to others: below 3 it is "mniej niż 3"."""
    return Shown(LESS) if value < THRESHOLD else Shown(str(value), value)


def cells(values: Mapping[str, int], sums: Sequence[tuple[str, Sequence[str]]]) -> dict[str, Shown]:
    """The figures of one unit. `sums` are (total, parts) with values[total] ==
    sum(values[part]); no sum is left with a single hidden member."""
    small = {name for name, value in values.items() if value < THRESHOLD}
    extra: set[str] = set()
    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            members = (total, *parts)
            hidden = [m for m in members if m in small or m in extra]
            if len(hidden) != 1:
                continue
            # Hide the smallest other part (a total only when no part is left).
            others = [p for p in parts if p not in hidden] or [total]
            extra.add(min(others, key=lambda name: (values[name], members.index(name))))
            changed = True
    return {
        name: Shown(LESS)
        if name in small
        else Shown(HIDDEN)
        if name in extra
        else Shown(str(value), value)
        for name, value in values.items()
    }


def total(parts: Sequence[Shown], value: int) -> Shown:
    """A sum over units whose own figures are published (see the module's rule)."""
    if value < THRESHOLD:
        return Shown(LESS)
    if all(not p.ukryta for p in parts):
        return Shown(str(value), value)
    known = sum(p.liczba or 0 for p in parts)
    return Shown(f"co najmniej {known}") if known >= THRESHOLD else Shown(HIDDEN)
