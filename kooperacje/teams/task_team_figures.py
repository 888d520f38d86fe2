"""The indicators of task teams (ZZK) for a period, exact: opened, closed and by outcome,
in progress, meetings held, institutions taking part, basket services used.

These are the coordinator's own figures (the terminal shows them as they are). Published
documents pass them through `reports.small_counts`, which hides every figure below 3.
Each figure comes from one grouped query over all the teams asked for.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

from kooperacje.dates import parse_date, polish_date
from kooperacje.teams import task_teams, teams
from kooperacje.teams.task_teams import TaskTeam

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Counts:
    """The task teams of one PZK (or of many together) in a period."""

    otwarte: int = 0  # opened within the period
    osoby: int = 0  # of those, concerning a person
    rodziny: int = 0  # of those, concerning a family
    zamkniete: int = 0  # closed within the period
    cel_osiagniety: int = 0  # of those, with the goal achieved
    przerwane: int = 0  # of those, interrupted
    w_toku: int = 0  # open on the last day of the period
    spotkania: int = 0  # task-team meetings held within the period

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )


@dataclass(frozen=True)
class Participation:
    """How many task-team meetings of one PZK an institution took part in."""

    zespol: int
    instytucja: int
    nazwa: str
    skrot: str | None
    sektor: str
    sektor_nazwa: str
    spotkania: int


@dataclass(frozen=True)
class ServiceUse:
    """How many task teams of one PZK at work in the period used a basket service."""

    zespol: int
    usluga: int
    nazwa: str
    instytucja_nazwa: str
    obszar: str
    obszar_nazwa: str
    zzk: int


@dataclass(frozen=True)
class AreaUse:
    """How many task teams of one PZK at work in the period used a service of an area."""

    zespol: int
    obszar: str
    obszar_nazwa: str
    zzk: int


@dataclass(frozen=True)
class Figures:
    """Every indicator of the teams asked for, per team."""

    od: str | None  # ISO date; None: since the first record
    do: str  # ISO date
    zespoly: dict[int, Counts]  # every team asked for, with zeros where nothing happened
    instytucje: tuple[Participation, ...]
    uslugi: tuple[ServiceUse, ...]
    obszary: tuple[AreaUse, ...]

    @property
    def razem(self) -> Counts:
        total = Counts()
        for counts in self.zespoly.values():
            total = total + counts
        return total


# Task teams at work in the period: opened by its end and not closed before its start.
_ACTIVE = """
    SELECT id, zespol FROM zzk
    WHERE zespol IN (SELECT value FROM json_each(:ids)) AND data_otwarcia <= :do
      AND (data_zamkniecia IS NULL OR data_zamkniecia >= :od)
"""


def figures(
    db: Database, team_ids: list[int], od: str | None, do: str, *, obszary: bool = True
) -> Figures:
    """The indicators of the teams for the period [od, do] (inclusive, ISO dates); the use
    of service areas only when `obszary` (a team's page lists the services instead)."""
    params: dict[str, Any] = {"ids": json.dumps(team_ids), "od": od or "0000-00-00", "do": do}
    counts: dict[int, dict[str, int]] = {t: {} for t in team_ids}
    for row in db.query(
        """
        SELECT zespol,
               sum(data_otwarcia BETWEEN :od AND :do) AS otwarte,
               sum(data_otwarcia BETWEEN :od AND :do AND kategoria = 'osoba') AS osoby,
               sum(data_otwarcia BETWEEN :od AND :do AND kategoria = 'rodzina') AS rodziny,
               sum(data_zamkniecia BETWEEN :od AND :do) AS zamkniete,
               sum(data_zamkniecia BETWEEN :od AND :do AND wynik = 'cel_osiagniety')
                   AS cel_osiagniety,
               sum(data_zamkniecia BETWEEN :od AND :do AND wynik = 'przerwany') AS przerwane,
               sum(data_otwarcia <= :do AND (data_zamkniecia IS NULL OR data_zamkniecia > :do))
                   AS w_toku,
               sum((SELECT count(*) FROM zzk_spotkania s
                     WHERE s.zzk = zzk.id AND s.data BETWEEN :od AND :do)) AS spotkania
        FROM zzk WHERE zespol IN (SELECT value FROM json_each(:ids))
        GROUP BY zespol
        """,
        params,
    ):
        counts[row.pop("zespol")].update({k: int(v or 0) for k, v in row.items()})
    participation = tuple(
        Participation(**r)
        for r in db.query(
            """
            SELECT k.zespol, i.id AS instytucja, i.nazwa, i.skrot, i.sektor,
                   se.nazwa AS sektor_nazwa, count(*) AS spotkania
            FROM zzk_obecnosci o
            JOIN zzk_spotkania s ON s.id = o.spotkanie
            JOIN zzk k ON k.id = s.zzk
            JOIN instytucje i ON i.id = o.instytucja
            JOIN sektory se ON se.kod = i.sektor
            WHERE k.zespol IN (SELECT value FROM json_each(:ids)) AND s.data BETWEEN :od AND :do
            GROUP BY k.zespol, i.id
            ORDER BY k.zespol, i.id
            """,
            params,
        )
    )
    services = tuple(
        ServiceUse(**r)
        for r in db.query(
            f"""
            SELECT a.zespol, u.id AS usluga, u.nazwa, i.nazwa AS instytucja_nazwa, u.obszar,
                   o.nazwa AS obszar_nazwa, count(*) AS zzk
            FROM ({_ACTIVE}) a
            JOIN zzk_uslugi zu ON zu.zzk = a.id
            JOIN uslugi u ON u.id = zu.usluga
            JOIN instytucje i ON i.id = u.instytucja
            JOIN obszary_uslug o ON o.kod = u.obszar
            GROUP BY a.zespol, u.id
            ORDER BY a.zespol, u.id
            """,
            params,
        )
    )
    areas = tuple(
        AreaUse(**r)
        for r in (
            ()
            if not obszary
            else db.query(
                f"""
            SELECT a.zespol, u.obszar, o.nazwa AS obszar_nazwa, count(DISTINCT a.id) AS zzk
            FROM ({_ACTIVE}) a
            JOIN zzk_uslugi zu ON zu.zzk = a.id
            JOIN uslugi u ON u.id = zu.usluga
            JOIN obszary_uslug o ON o.kod = u.obszar
            GROUP BY a.zespol, u.obszar
            ORDER BY a.zespol, o.kolejnosc
            """,
                params,
            )
        )
    )
    return Figures(
        od=od,
        do=do,
        zespoly={team: Counts(**values) for team, values in counts.items()},
        instytucje=participation,
        uslugi=services,
        obszary=areas,
    )


@dataclass(frozen=True)
class Overview:
    """The coordinator's list of task teams at work in a period, with the exact figures."""

    zzk: tuple[TaskTeam, ...]
    od: str | None
    do: str
    liczby: Counts

    @property
    def opis(self) -> str:
        """The figures as one Polish sentence, for the terminal."""
        c = self.liczby
        since = f"od {polish_date(self.od)} " if self.od else ""
        return (
            f"Wskaźniki ZZK ({since}do {polish_date(self.do)}): otwarte {c.otwarte} "
            f"(osoby {c.osoby}, rodziny {c.rodziny}); zamknięte {c.zamkniete} "
            f"(cel osiągnięty {c.cel_osiagniety}, przerwane {c.przerwane}); w toku na koniec "
            f"okresu {c.w_toku}; spotkania ZZK {c.spotkania}."
        )


def overview(
    db: Database,
    *,
    gmina: str | None = None,
    zespol: str | None = None,
    od: str | None = None,
    do: str | None = None,
    wynik: str | None = None,
) -> Overview:
    """The task teams at work in the period (see task_teams.list_) and the exact figures of
    the same teams' PZK (one or all) for the period (default: until today)."""
    found = task_teams.list_(db, gmina=gmina, zespol=zespol, od=od, do=do, wynik=wynik)
    if gmina is not None or zespol is not None:
        team_ids = [teams.team_of(db, gmina=gmina, zespol=zespol).id]
    else:
        team_ids = [int(r["id"]) for r in db.query("SELECT id FROM zespoly ORDER BY id")]
    start = parse_date(od).isoformat() if od is not None else None
    end = (parse_date(do) if do is not None else dt.date.today()).isoformat()
    counts = figures(db, team_ids, start, end)
    return Overview(zzk=tuple(found), od=start, do=end, liczby=counts.razem)
