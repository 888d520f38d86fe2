"""Summary indicators of many teams (a voivodeship, a macroregion, a project) for a period.

Every figure comes from a handful of grouped queries over all the teams in scope at
once (one per kind of figure, never one per team), so a national summary costs the same
number of queries as a summary of one voivodeship."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje import __version__
from kooperacje.register.vocab import CORE_SECTORS, SECTORS
from kooperacje.reports.context import ProjectCard, project_card_of
from kooperacje.reports.scopes import Scope
from kooperacje.reports.task_team_report import TaskTeamSummary, summary_section
from kooperacje.reports.timeline import month_range
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class TeamFigures:
    """The indicators of one team for the period."""

    id: int
    nazwa: str
    gmina: str  # TERYT code
    gmina_nazwa: str
    gmina_rodzaj: str
    wojewodztwo: str  # name, "łódzkie"
    wojewodztwo_kod: str
    makroregion: str | None
    projekt: str | None  # the project's name
    czlonkowie: int  # members on the last day of the period
    przystapienia: int  # joining declarations dated within the period
    wystapienia: int  # leaving declarations dated within the period
    deklaracje: int  # every declaration dated within the period
    sektory: tuple[str, ...]  # codes of the sectors with a member at the end, vocabulary order
    spotkania: int  # meetings held within the period
    frekwencja: float | None  # mean share of members present at those meetings (0–1)
    uslugi: int  # active services in the basket of the team's gmina
    # Of those, verified within the 12 months before the end of the period.
    uslugi_zweryfikowane: int = 0

    @property
    def zweryfikowane(self) -> float | None:
        """Share of the active services verified in the last 12 months (0–1)."""
        return self.uslugi_zweryfikowane / self.uslugi if self.uslugi else None

    @property
    def zweryfikowane_tekst(self) -> str:
        return percent(self.zweryfikowane)

    @property
    def liczba_sektorow(self) -> int:
        return len(self.sektory)

    @property
    def sektory_kluczowe(self) -> int:
        return sum(1 for code in self.sektory if code in CORE_SECTORS)

    @property
    def frekwencja_tekst(self) -> str:
        return percent(self.frekwencja)


@dataclass(frozen=True)
class Totals:
    """The figures of all the teams in scope together."""

    zespoly: int
    czlonkowie: int
    przystapienia: int
    wystapienia: int
    deklaracje: int
    srednio_sektorow: float | None  # mean sectors covered per team
    z_pelnym_rdzeniem: int  # teams with all five core sectors covered
    spotkania: int
    frekwencja: float | None  # mean over every meeting of the period
    uslugi: int  # distinct active services reaching at least one team's gmina
    uslugi_zweryfikowane: int = 0  # of those, verified in the 12 months before the end

    @property
    def frekwencja_tekst(self) -> str:
        return percent(self.frekwencja)

    @property
    def zweryfikowane(self) -> float | None:
        """Share of the active services verified in the last 12 months (0–1)."""
        return self.uslugi_zweryfikowane / self.uslugi if self.uslugi else None

    @property
    def zweryfikowane_tekst(self) -> str:
        return percent(self.zweryfikowane)

    @property
    def srednio_sektorow_tekst(self) -> str:
        return decimal(self.srednio_sektorow)


@dataclass(frozen=True)
class Summary:
    """Context of `zbiorczy.md` / `zbiorczy.html` (and the summary pages of the site).

    `odnosniki` is the path from the page to the site's root ("../") when the page is part
    of the site, so team names become links; None in a stand-alone report.
    """

    zakres: Scope
    od: str | None  # ISO date, or None: since the first record
    do: str  # ISO date
    zespoly: tuple[TeamFigures, ...]  # Polish order of gmina names
    razem: Totals
    spotkania_w_miesiacach: tuple[tuple[str, int], ...]  # ("2019-09", 3), every month in range
    sektory: tuple[tuple[str, str, bool], ...]  # (code, label, core) of the 16 sectors
    wersja: str
    odnosniki: str | None = None
    wykresy: tuple[Any, ...] = ()  # charts.Chart, HTML only (see charts.summary_charts)
    projekt: ProjectCard | None = None  # the project, when the summary is of one
    zzk: TaskTeamSummary | None = None  # task teams, small figures hidden


_TEAMS = """
    SELECT z.id, z.nazwa, z.gmina, g.nazwa AS gmina_nazwa, g.rodzaj AS gmina_rodzaj,
           w.nazwa AS wojewodztwo, g.wojewodztwo AS wojewodztwo_kod, m.makroregion,
           p.nazwa AS projekt
    FROM zespoly z
    JOIN teryt g ON g.kod = z.gmina
    JOIN teryt w ON w.kod = g.wojewodztwo
    LEFT JOIN makroregiony m ON m.wojewodztwo = g.wojewodztwo
    LEFT JOIN projekty p ON p.id = z.projekt
    WHERE (:wojewodztwo IS NULL OR g.wojewodztwo = :wojewodztwo)
      AND (:makroregion IS NULL OR m.makroregion = :makroregion)
      AND (:projekt IS NULL OR z.projekt = CAST(:projekt AS INTEGER))
"""


def _scope_params(zakres: Scope) -> dict[str, Any]:
    return {
        "wojewodztwo": zakres.wartosc if zakres.rodzaj == "wojewodztwo" else None,
        "makroregion": zakres.wartosc if zakres.rodzaj == "makroregion" else None,
        "projekt": zakres.wartosc if zakres.rodzaj == "projekt" else None,
    }


def _grouped(db: Database, sql: str, params: dict[str, Any]) -> dict[int, dict[str, Any]]:
    return {row["zespol"]: row for row in db.query(sql, params)}


def summary(
    db: Database, zakres: Scope, od: str | None, do: str, *, odnosniki: str | None = None
) -> Summary:
    """The indicators of every team in scope for the period [od, do], and their totals."""
    params = {**_scope_params(zakres), "od": od or "0000-00-00", "do": do}
    team_rows = sorted(
        (r | {"wojewodztwo": r["wojewodztwo"].lower()} for r in db.query(_TEAMS, params)),
        key=lambda r: (polish_key(r["gmina_nazwa"]), r["gmina"]),
    )
    params["ids"] = json.dumps([r["id"] for r in team_rows])
    sectors: dict[int, set[str]] = {}
    members: dict[int, int] = {}
    for row in db.query(
        """
        WITH last AS (
            SELECT d.zespol, d.instytucja, d.rodzaj,
                   row_number() OVER (
                       PARTITION BY d.zespol, d.instytucja ORDER BY d.data DESC, d.id DESC
                   ) AS n
            FROM deklaracje d
            WHERE d.data <= :do AND d.zespol IN (SELECT value FROM json_each(:ids))
        )
        SELECT last.zespol, i.sektor, count(*) AS liczba
        FROM last JOIN instytucje i ON i.id = last.instytucja
        WHERE last.n = 1 AND last.rodzaj = 'przystapienie'
        GROUP BY last.zespol, i.sektor
        """,
        params,
    ):
        sectors.setdefault(row["zespol"], set()).add(row["sektor"])
        members[row["zespol"]] = members.get(row["zespol"], 0) + row["liczba"]
    declared = _grouped(
        db,
        """
        SELECT zespol, count(*) AS deklaracje,
               sum(rodzaj = 'przystapienie') AS przystapienia,
               sum(rodzaj = 'wystapienie') AS wystapienia
        FROM deklaracje
        WHERE data BETWEEN :od AND :do AND zespol IN (SELECT value FROM json_each(:ids))
        GROUP BY zespol
        """,
        params,
    )
    meetings = _meetings(db, params)
    services = _grouped(
        db,
        """
        SELECT z.id AS zespol, count(DISTINCT u.id) AS uslugi,
               count(DISTINCT CASE WHEN u.zweryfikowano > date(:do, '-12 months')
                                    AND u.zweryfikowano <= :do THEN u.id END) AS zweryfikowane
        FROM zespoly z
        JOIN teryt g ON g.kod = z.gmina
        JOIN uslugi_zasieg r ON r.teryt IN (g.kod, g.powiat, g.wojewodztwo)
        JOIN uslugi u ON u.id = r.usluga AND u.status = 'aktywna'
        WHERE z.id IN (SELECT value FROM json_each(:ids))
        GROUP BY z.id
        """,
        params,
    )
    distinct = next(
        iter(
            db.query(
                """
                SELECT count(DISTINCT u.id) AS n,
                       count(DISTINCT CASE WHEN u.zweryfikowano > date(:do, '-12 months')
                                            AND u.zweryfikowano <= :do THEN u.id END)
                           AS zweryfikowane
                FROM zespoly z
                JOIN teryt g ON g.kod = z.gmina
                JOIN uslugi_zasieg r ON r.teryt IN (g.kod, g.powiat, g.wojewodztwo)
                JOIN uslugi u ON u.id = r.usluga AND u.status = 'aktywna'
                WHERE z.id IN (SELECT value FROM json_each(:ids))
                """,
                params,
            )
        )
    )
    rates: dict[int, list[float]] = {}
    held: dict[int, int] = {}
    months: dict[str, int] = {}
    # A joint meeting counts for each of its teams, and once in the totals and the months.
    counted: set[int] = set()
    for m in meetings:
        held[m["zespol"]] = held.get(m["zespol"], 0) + 1
        if m["id"] not in counted:
            counted.add(m["id"])
            months[m["data"][:7]] = months.get(m["data"][:7], 0) + 1
        if m["czlonkowie"]:
            rates.setdefault(m["zespol"], []).append(min(1.0, m["obecni"] / m["czlonkowie"]))
    order = [code for code, _ in SECTORS.items]
    figures = tuple(
        TeamFigures(
            **row,
            czlonkowie=members.get(row["id"], 0),
            przystapienia=int(declared.get(row["id"], {}).get("przystapienia") or 0),
            wystapienia=int(declared.get(row["id"], {}).get("wystapienia") or 0),
            deklaracje=int(declared.get(row["id"], {}).get("deklaracje") or 0),
            sektory=tuple(c for c in order if c in sectors.get(row["id"], set())),
            spotkania=held.get(row["id"], 0),
            frekwencja=_mean(rates.get(row["id"], [])),
            uslugi=int(services.get(row["id"], {}).get("uslugi") or 0),
            uslugi_zweryfikowane=int(services.get(row["id"], {}).get("zweryfikowane") or 0),
        )
        for row in team_rows
    )
    all_rates = [r for values in rates.values() for r in values]
    return Summary(
        zakres=zakres,
        od=od,
        do=do,
        zespoly=figures,
        razem=Totals(
            zespoly=len(figures),
            czlonkowie=sum(f.czlonkowie for f in figures),
            przystapienia=sum(f.przystapienia for f in figures),
            wystapienia=sum(f.wystapienia for f in figures),
            deklaracje=sum(f.deklaracje for f in figures),
            srednio_sektorow=_mean([float(f.liczba_sektorow) for f in figures]),
            z_pelnym_rdzeniem=sum(1 for f in figures if f.sektory_kluczowe == len(CORE_SECTORS)),
            spotkania=len(counted),
            frekwencja=_mean(all_rates),
            uslugi=int(distinct["n"] or 0),
            uslugi_zweryfikowane=int(distinct["zweryfikowane"] or 0),
        ),
        spotkania_w_miesiacach=month_range(months),
        sektory=tuple((code, label, code in CORE_SECTORS) for code, label in SECTORS.items),
        wersja=__version__,
        odnosniki=odnosniki,
        projekt=(
            project_card_of(db, int(zakres.wartosc or 0)) if zakres.rodzaj == "projekt" else None
        ),
        zzk=summary_section(db, [(f.id, f.nazwa, f.gmina, f.gmina_nazwa) for f in figures], od, do),
    )


def _meetings(db: Database, params: dict[str, Any]) -> list[dict[str, Any]]:
    """Each meeting of the period and each of its teams (a joint meeting gives a row per
    team), with that team's members on its day and how many of them came."""
    return list(
        db.query(
            """
            WITH m AS (
                SELECT s.id, sz.zespol, s.data FROM spotkania_zespoly sz
                JOIN spotkania s ON s.id = sz.spotkanie
                WHERE s.data BETWEEN :od AND :do
                  AND sz.zespol IN (SELECT value FROM json_each(:ids))
            ),
            last AS (
                SELECT m.id AS spotkanie, m.zespol, d.instytucja, d.rodzaj,
                       row_number() OVER (
                           PARTITION BY m.id, m.zespol, d.instytucja
                           ORDER BY d.data DESC, d.id DESC
                       ) AS n
                FROM m JOIN deklaracje d ON d.zespol = m.zespol AND d.data <= m.data
            ),
            mem AS (
                SELECT spotkanie, zespol, instytucja FROM last
                WHERE n = 1 AND rodzaj = 'przystapienie'
            ),
            came AS (SELECT DISTINCT spotkanie, instytucja FROM obecnosci
                     WHERE spotkanie IN (SELECT id FROM m))
            SELECT m.id, m.zespol, m.data, count(mem.instytucja) AS czlonkowie,
                   count(came.instytucja) AS obecni
            FROM m
            LEFT JOIN mem ON mem.spotkanie = m.id AND mem.zespol = m.zespol
            LEFT JOIN came ON came.spotkanie = m.id AND came.instytucja = mem.instytucja
            GROUP BY m.id, m.zespol
            ORDER BY m.data, m.id, m.zespol
            """,
            params,
        )
    )


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def percent(value: float | None) -> str:
    """'83%' (Polish typography puts no space before %), or an en dash when unknown."""
    return "–" if value is None else f"{round(value * 100)}%"


def decimal(value: float | None) -> str:
    """'7,5' with a Polish decimal comma, or an en dash when unknown."""
    return "–" if value is None else f"{value:.1f}".replace(".", ",")
