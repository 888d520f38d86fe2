"""Teams (PZK) and their membership, derived from dated declarations."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje import teryt
from kooperacje.errors import Ambiguous, NotFound
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Team:
    """One PZK: the partnership of one gmina."""

    id: int
    uuid: str
    nazwa: str
    gmina: str
    gmina_nazwa: str
    gmina_rodzaj: str
    powiat: str | None
    wojewodztwo: str
    lider: int | None
    lider_nazwa: str | None
    projekt: str | None
    data_utworzenia: str | None


@dataclass(frozen=True)
class Member:
    """An institution that is a member of a team on a given day."""

    instytucja: int
    nazwa: str
    skrot: str | None
    sektor: str
    sektor_nazwa: str
    od: str  # date of the joining declaration in force


SELECT = """
    SELECT z.id, z.uuid, z.nazwa, z.gmina, g.nazwa AS gmina_nazwa, g.rodzaj AS gmina_rodzaj,
           g.powiat, g.wojewodztwo, z.lider, l.nazwa AS lider_nazwa, z.projekt,
           z.data_utworzenia
    FROM zespoly z
    JOIN teryt g ON g.kod = z.gmina
    LEFT JOIN instytucje l ON l.id = z.lider
"""


def _team(row: dict[str, Any]) -> Team:
    return Team(**row)


def get(db: Database, team_id: int) -> Team:
    rows = list(db.query(SELECT + " WHERE z.id = :id", {"id": team_id}))
    if not rows:
        raise NotFound(
            f"nie ma zespołu o numerze {team_id}. "
            "Sprawdź numer poleceniem: kooperacje zespoly lista."
        )
    return _team(rows[0])


def for_gmina(db: Database, gmina: str) -> Team:
    """The team of a gmina given as TERYT code or unique name."""
    unit = teryt.resolve_gmina(db, gmina)
    rows = list(db.query(SELECT + " WHERE z.gmina = :g", {"g": unit.kod}))
    if not rows:
        raise NotFound(
            f"gmina {unit.nazwa} ({unit.kod}, {unit.rodzaj}) nie ma jeszcze zespołu. "
            f"Załóż go poleceniem: kooperacje zespoly zaloz --gmina {unit.kod}."
        )
    return _team(rows[0])


def resolve(db: Database, text: str) -> Team:
    """A team by id, by its name, or by its gmina (code or unique name)."""
    value = text.strip()
    if value.isdigit() and len(value) != 7:
        return get(db, int(value))
    if value.isdigit():
        return for_gmina(db, value)
    rows = list(db.query(SELECT + " WHERE pl_fold(z.nazwa) = :n", {"n": fold(value)}))
    if len(rows) == 1:
        return _team(rows[0])
    if len(rows) > 1:
        listing = "; ".join(f"{r['id']}: {r['nazwa']} ({r['gmina']})" for r in rows)
        raise Ambiguous(f'zespół "{value}" jest niejednoznaczny: {listing}. Podaj numer zespołu.')
    return for_gmina(db, value)


def team_of(db: Database, *, gmina: str | None, zespol: str | None) -> Team:
    """The team chosen with `--gmina G` or `--zespol Z` (exactly one of them)."""
    from kooperacje.errors import InvalidInput

    if (gmina is None) == (zespol is None):
        raise InvalidInput("wskaż zespół: podaj --gmina G albo --zespol Z (jedno z nich).")
    return for_gmina(db, gmina) if gmina is not None else resolve(db, zespol or "")


def members_on(db: Database, team_id: int, day: dt.date | None = None) -> list[Member]:
    """Members of the team on `day` (default: today).

    An institution is a member if its latest declaration towards the team dated
    on or before the day is a joining one; declarations of the same day count in
    the order they were recorded.
    """
    when = (day or dt.date.today()).isoformat()
    rows = db.query(
        """
        WITH last AS (
            SELECT d.instytucja, d.rodzaj, d.data,
                   row_number() OVER (
                       PARTITION BY d.instytucja ORDER BY d.data DESC, d.id DESC
                   ) AS n
            FROM deklaracje d
            WHERE d.zespol = :zespol AND d.data <= :dzien
        )
        SELECT i.id AS instytucja, i.nazwa, i.skrot, i.sektor, s.nazwa AS sektor_nazwa,
               last.data AS od
        FROM last
        JOIN instytucje i ON i.id = last.instytucja
        JOIN sektory s ON s.kod = i.sektor
        WHERE last.n = 1 AND last.rodzaj = 'przystapienie'
        """,
        {"zespol": team_id, "dzien": when},
    )
    return sorted((Member(**r) for r in rows), key=lambda m: polish_key(m.nazwa))
