"""The teams as `zespoly lista` and `zespoly pokaz` show them: counts, members by sector."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje.dates import parse_date
from kooperacje.register.vocab import CORE_SECTORS, SECTORS
from kooperacje.teams import areas
from kooperacje.teams.teams import Member, Team, members_on, resolve
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class TeamSummary(Team):
    """A team with the figures a listing of teams shows."""

    czlonkowie: int  # members today
    spotkania: int  # meetings recorded


@dataclass(frozen=True)
class SectorMembers:
    """The members of one sector on a day (possibly none: a gap in the team)."""

    sektor: str
    sektor_nazwa: str
    kluczowy: bool  # one of the model's core five sectors
    czlonkowie: tuple[Member, ...]


@dataclass(frozen=True)
class Roster:
    """A team on a day: its members grouped by sector, every sector in vocabulary order."""

    zespol: Team
    dzien: dt.date
    sektory: tuple[SectorMembers, ...]
    spotkania: int
    obszar: tuple[str, ...] = ()  # the area beyond its gmina, as reports name it

    @property
    def czlonkowie(self) -> list[Member]:
        return [m for group in self.sektory for m in group.czlonkowie]

    @property
    def obsadzone(self) -> list[SectorMembers]:
        """Sectors with at least one member."""
        return [group for group in self.sektory if group.czlonkowie]

    @property
    def braki(self) -> list[SectorMembers]:
        """Sectors with no member."""
        return [group for group in self.sektory if not group.czlonkowie]


def list_(db: Database) -> list[TeamSummary]:
    """Every team with its members today and number of meetings, by gmina name."""
    rows = db.query(
        """
        WITH last AS (
            SELECT d.zespol, d.rodzaj,
                   row_number() OVER (
                       PARTITION BY d.zespol, d.instytucja ORDER BY d.data DESC, d.id DESC
                   ) AS n
            FROM deklaracje d
            WHERE d.data <= :dzien
        )
        SELECT z.id, z.uuid, z.nazwa, z.gmina, g.nazwa AS gmina_nazwa,
               g.rodzaj AS gmina_rodzaj, g.powiat, g.wojewodztwo, z.lider,
               l.nazwa AS lider_nazwa, p.nazwa AS projekt, z.data_utworzenia,
               z.projekt AS projekt_id, z.misja,
               (SELECT group_concat(teryt, ',') FROM (
                    SELECT teryt FROM zespoly_obszar WHERE zespol = z.id ORDER BY teryt))
                   AS obszar,
               (SELECT plik FROM _pochodzenie po WHERE po.zespol = z.id) AS zrodlo,
               (SELECT scalono FROM _pochodzenie po WHERE po.zespol = z.id) AS scalono,
               (SELECT count(*) FROM last
                WHERE last.zespol = z.id AND last.n = 1 AND last.rodzaj = 'przystapienie')
                   AS czlonkowie,
               (SELECT count(*) FROM spotkania_zespoly sz WHERE sz.zespol = z.id) AS spotkania
        FROM zespoly z
        JOIN teryt g ON g.kod = z.gmina
        LEFT JOIN instytucje l ON l.id = z.lider
        LEFT JOIN projekty p ON p.id = z.projekt
        """,
        {"dzien": dt.date.today().isoformat()},
    )
    return sorted(
        (TeamSummary(**r) for r in rows), key=lambda t: (polish_key(t.gmina_nazwa), t.gmina)
    )


def roster(db: Database, team: Team, day: dt.date | None = None) -> Roster:
    """The team's members on `day` (default: today) grouped by sector."""
    when = day or dt.date.today()
    members = members_on(db, team.id, when)
    meetings = db.execute(
        "SELECT count(*) FROM spotkania_zespoly WHERE zespol = :id", {"id": team.id}
    ).fetchone()[0]
    groups = tuple(
        SectorMembers(
            sektor=code,
            sektor_nazwa=label,
            kluczowy=code in CORE_SECTORS,
            czlonkowie=tuple(m for m in members if m.sektor == code),
        )
        for code, label in SECTORS.items
    )
    return Roster(
        zespol=team,
        dzien=when,
        sektory=groups,
        spotkania=int(meetings),
        obszar=areas.labels(db, team.obszar_kody),
    )


def show(db: Database, ref: str, *, na_dzien: str | None = None) -> Roster:
    """The team named by ref (id, name or gmina) and its members on a day given as text."""
    team = resolve(db, ref)
    return roster(db, team, parse_date(na_dzien) if na_dzien is not None else None)
