"""Which teams a meeting belongs to: one, or several for a joint meeting (host first)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kooperacje.errors import InvalidInput
from kooperacje.register import institutions
from kooperacje.store.changes import Change
from kooperacje.teams import teams

if TYPE_CHECKING:
    from sqlite_utils import Database


def team_ids(db: Database, meeting_id: int) -> list[int]:
    """The teams whose meeting it is, the host first."""
    return [
        int(r["zespol"])
        for r in db.query(
            "SELECT sz.zespol FROM spotkania_zespoly sz JOIN spotkania s ON s.id = sz.spotkanie "
            "WHERE sz.spotkanie = :id ORDER BY sz.zespol != s.zespol, sz.zespol",
            {"id": meeting_id},
        )
    ]


def context_for(db: Database, meeting_id: int) -> institutions.Context:
    """The members and areas of all the meeting's teams (for names in its commands)."""
    found = institutions.NO_CONTEXT
    for team_id in team_ids(db, meeting_id):
        found = found | teams.context_of(teams.get(db, team_id))
    return found


def _many(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)


def teams_given(
    db: Database,
    gmina: str | Sequence[str] | None,
    zespol: str | Sequence[str] | None,
) -> list[teams.Team]:
    """The teams named by one or more --gmina and --zespol, in the order given, once each."""
    found: dict[int, teams.Team] = {}
    for text in _many(gmina):
        team = teams.for_gmina(db, text)
        found.setdefault(team.id, team)
    for text in _many(zespol):
        team = teams.resolve(db, text)
        found.setdefault(team.id, team)
    if not found:
        raise InvalidInput(
            "wskaż zespół: podaj --gmina G albo --zespol Z (wspólne spotkanie kilku zespołów: "
            "powtórz opcję, np. --zespol 1 --zespol 2)."
        )
    return list(found.values())


def change_teams(
    db: Database,
    meeting_id: int,
    host: int,
    joining: list[teams.Team],
    leaving: list[teams.Team],
) -> list[Change]:
    """Make the meeting one of more teams, or of fewer (never of no team: not the host's),
    inside the caller's transaction."""
    out: list[Change] = []
    for team in joining:
        cursor = db.execute(
            "INSERT OR IGNORE INTO spotkania_zespoly (spotkanie, zespol) VALUES (:s, :z)",
            {"s": meeting_id, "z": team.id},
        )
        if cursor.rowcount:
            out.append(Change("zespol", None, team.nazwa))
    for team in leaving:
        if team.id == host:
            raise InvalidInput(
                f"zespół „{team.nazwa}” jest gospodarzem spotkania nr {meeting_id} i nie może "
                "go opuścić. Jeśli spotkanie zapisano przy złym zespole, usuń je i zapisz ponownie."
            )
        cursor = db.execute(
            "DELETE FROM spotkania_zespoly WHERE spotkanie = :s AND zespol = :z",
            {"s": meeting_id, "z": team.id},
        )
        if not cursor.rowcount:
            raise InvalidInput(
                f"spotkanie nr {meeting_id} nie jest spotkaniem zespołu „{team.nazwa}”. "
                f"Zespoły spotkania pokaże polecenie: kooperacje spotkania pokaz {meeting_id}."
            )
        out.append(Change("zespol", team.nazwa, None))
    return out
