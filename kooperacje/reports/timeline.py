"""Figures over time: members of teams month by month and counts per month."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


def member_timeline(
    db: Database, team_ids: Sequence[int], od: str | None, do: str
) -> dict[int, tuple[tuple[str, int], ...]]:
    """Members of each team at the end of every month, from its first declaration (or from
    the month of `od`) to the month of `do`. One query over all the teams."""
    changes: dict[int, dict[str, int]] = {}
    state: dict[tuple[int, int], bool] = {}
    for row in db.query(
        """
        SELECT zespol, instytucja, rodzaj, data FROM deklaracje
        WHERE data <= :do AND zespol IN (SELECT value FROM json_each(:ids))
        ORDER BY zespol, instytucja, data, id
        """,
        {"do": do, "ids": json.dumps(list(team_ids))},
    ):
        key = (row["zespol"], row["instytucja"])
        member = row["rodzaj"] == "przystapienie"
        if state.get(key, False) != member:
            state[key] = member
            month = row["data"][:7]
            team = changes.setdefault(row["zespol"], {})
            team[month] = team.get(month, 0) + (1 if member else -1)
    out: dict[int, tuple[tuple[str, int], ...]] = {}
    for team_id, deltas in changes.items():
        months = month_range({min(deltas): 0, do[:7]: 0})
        count, points = 0, []
        for month, _ in months:
            count += deltas.get(month, 0)
            if od is None or month >= od[:7]:
                points.append((month, count))
        out[team_id] = tuple(points)
    return out


def month_range(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """Every month from the first to the last with a meeting, empty months included."""
    if not counts:
        return ()
    first, last = min(counts), max(counts)
    year, month = int(first[:4]), int(first[5:7])
    out: list[tuple[str, int]] = []
    while f"{year:04d}-{month:02d}" <= last:
        key = f"{year:04d}-{month:02d}"
        out.append((key, counts.get(key, 0)))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(out)
