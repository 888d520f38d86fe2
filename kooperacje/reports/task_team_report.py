"""Task-team (ZZK) indicators as published: in the team report, the site and the summary.

The exact figures come from `teams.task_team_figures`; here they pass through
`small_counts`, so no published figure below 3 is printed or can be worked out. Rows
are in Polish alphabetical order, never by size: an order by size would rank the hidden
figures. No document lists single task teams, their codes or their dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING

from kooperacje.register.vocab import SECTORS, SERVICE_AREAS
from kooperacje.reports import small_counts
from kooperacje.reports.small_counts import Shown
from kooperacje.teams import task_team_figures
from kooperacje.teams.task_team_figures import Counts
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class PublishedCounts:
    """The figures of Counts as a document prints them (see small_counts)."""

    otwarte: Shown
    osoby: Shown
    rodziny: Shown
    zamkniete: Shown
    cel_osiagniety: Shown
    przerwane: Shown
    w_toku: Shown
    spotkania: Shown


@dataclass(frozen=True)
class InstitutionRow:
    """An institution of the team's task teams and the meetings it took part in."""

    nazwa: str
    skrot: str | None
    sektor_nazwa: str
    spotkania: Shown


@dataclass(frozen=True)
class ServiceRow:
    """A basket service and the number of the team's task teams that used it."""

    nazwa: str
    instytucja_nazwa: str
    obszar_nazwa: str
    zzk: Shown


@dataclass(frozen=True)
class TaskTeamSection:
    """The task teams of one PZK in the team report (and its page of the site)."""

    od: str | None  # ISO date; None: since the first record
    do: str  # ISO date
    liczby: PublishedCounts
    instytucje: tuple[InstitutionRow, ...]  # took part in a meeting within the period
    uslugi: tuple[ServiceRow, ...]  # used by a task team at work within the period


@dataclass(frozen=True)
class TeamTaskRow:
    """One team's task-team figures in a summary."""

    id: int
    nazwa: str
    gmina: str
    gmina_nazwa: str
    liczby: PublishedCounts


@dataclass(frozen=True)
class Share:
    """A sector or service area and its published figure."""

    nazwa: str
    liczba: Shown


@dataclass(frozen=True)
class TaskTeamSummary:
    """The task teams of every team in a summary: per team, together, by sector and area."""

    zespoly: tuple[TeamTaskRow, ...]  # in the order of the summary's teams
    razem: PublishedCounts
    sektory: tuple[Share, ...]  # meetings attended by institutions of each of the 16 sectors
    obszary: tuple[Share, ...]  # task teams that used a service of each of the 14 areas


def published(counts: Counts, since_start: bool) -> PublishedCounts:
    """One unit's figures with the sums they form (see small_counts.cells)."""
    sums: list[tuple[str, tuple[str, ...]]] = [
        ("otwarte", ("osoby", "rodziny")),
        ("zamkniete", ("cel_osiagniety", "przerwane")),
    ]
    if since_start:  # every task team opened so far is closed or still in progress
        sums.append(("otwarte", ("zamkniete", "w_toku")))
    return PublishedCounts(**small_counts.cells(asdict(counts), sums))


def _totals(rows: Sequence[PublishedCounts], exact: Counts) -> PublishedCounts:
    return PublishedCounts(
        **{
            f.name: small_counts.total([getattr(r, f.name) for r in rows], getattr(exact, f.name))
            for f in fields(PublishedCounts)
        }
    )


def team_section(db: Database, team_id: int, od: str | None, do: str) -> TaskTeamSection:
    """The published task-team figures of one team for [od, do]."""
    data = task_team_figures.figures(db, [team_id], od, do, obszary=False)
    institutions = sorted(
        (
            InstitutionRow(p.nazwa, p.skrot, p.sektor_nazwa, small_counts.primary(p.spotkania))
            for p in data.instytucje
        ),
        key=lambda r: polish_key(r.nazwa),
    )
    services = sorted(
        (
            ServiceRow(s.nazwa, s.instytucja_nazwa, s.obszar_nazwa, small_counts.primary(s.zzk))
            for s in data.uslugi
        ),
        key=lambda r: (polish_key(r.nazwa), polish_key(r.instytucja_nazwa)),
    )
    return TaskTeamSection(
        od=od,
        do=do,
        liczby=published(data.zespoly[team_id], od is None),
        instytucje=tuple(institutions),
        uslugi=tuple(services),
    )


def summary_section(
    db: Database, teams: Sequence[tuple[int, str, str, str]], od: str | None, do: str
) -> TaskTeamSummary:
    """The published task-team figures of the teams (id, name, TERYT code, gmina name)."""
    data = task_team_figures.figures(db, [t[0] for t in teams], od, do)
    rows = tuple(
        TeamTaskRow(team_id, name, code, gmina, published(data.zespoly[team_id], od is None))
        for team_id, name, code, gmina in teams
    )
    sectors = []
    for code, label in SECTORS.items:
        cells = [p.spotkania for p in data.instytucje if p.sektor == code]
        parts = [small_counts.primary(n) for n in cells]
        sectors.append(Share(label, small_counts.total(parts, sum(cells))))
    areas = []
    for code, label in SERVICE_AREAS.items:
        cells = [a.zzk for a in data.obszary if a.obszar == code]
        parts = [small_counts.primary(n) for n in cells]
        areas.append(Share(label, small_counts.total(parts, sum(cells))))
    return TaskTeamSummary(
        zespoly=rows,
        razem=_totals([r.liczby for r in rows], data.razem),
        sektory=tuple(sectors),
        obszary=tuple(areas),
    )
