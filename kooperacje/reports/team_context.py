"""The context of a team report: members by sector, coverage, declarations, meetings, basket."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje import __version__
from kooperacje.basket import basket, gaps
from kooperacje.register import teryt
from kooperacje.register.vocab import CORE_SECTORS, SECTORS, SERVICE_AREAS
from kooperacje.reports.basket_context import AreaGroup, group_basket
from kooperacje.reports.context import (
    PersonRow,
    Place,
    ProjectCard,
    place,
    project_card_of,
    representatives,
)
from kooperacje.reports.task_team_report import TaskTeamSection, team_section
from kooperacje.teams import agreements, areas, rules, teams
from kooperacje.teams.meetings import UNKNOWN_PLACE
from kooperacje.teams.teams import Team
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class MemberRow:
    """A member institution of a team on the report's day."""

    instytucja: int
    nazwa: str
    skrot: str | None
    od: str  # ISO date of the joining declaration in force
    przedstawiciele: tuple[PersonRow, ...]


@dataclass(frozen=True)
class SectorRow:
    """One of the 16 sectors with the team's members in it (none: a gap)."""

    kod: str
    nazwa: str
    kluczowy: bool  # one of the model's core five sectors
    czlonkowie: tuple[MemberRow, ...]

    @property
    def pokryty(self) -> bool:
        return bool(self.czlonkowie)


@dataclass(frozen=True)
class DeclarationRow:
    """A dated declaration of an institution towards a team."""

    data: str  # ISO date
    instytucja: str
    skrot: str | None
    rodzaj: str  # przystapienie | wystapienie
    rodzaj_nazwa: str  # "przystąpienie"
    podpisal: str | None
    spotkanie: str | None  # ISO date of the meeting where it was signed, if recorded


@dataclass(frozen=True)
class MeetingRow:
    """A meeting in a team's list, with how many came."""

    id: int
    data: str  # ISO date
    godzina: str | None  # "10:00"
    miejsce: str  # the venue, or that it was not recorded
    adres: str | None
    rodzaj_nazwa: str  # "spotkanie inicjujące"
    tytul: str | None
    instytucji: int  # institutions present
    osob: int  # named representatives present
    wspolne: str | None = None  # a joint meeting: the other teams' names


@dataclass(frozen=True)
class AgreementLine:
    """An agreement that concerns the team (a party is its gmina, powiat, leader or member)."""

    numer: int
    nazwa: str
    status_nazwa: str  # "planowane", "podpisane", "wygasłe", "rozwiązane"
    termin_podpisania: str | None  # ISO date
    data_podpisania: str | None  # ISO date
    strony: tuple[str, ...]  # the parties' names
    po_terminie: bool  # still planned after the day it was to be signed by


@dataclass(frozen=True)
class TeamHeader:
    """Who and where the team is."""

    id: int
    nazwa: str
    gmina: Place
    projekt: str | None
    lider: str | None  # name of the leading institution
    data_utworzenia: str | None  # ISO date
    makroregion: str | None  # "III"
    projekt_dane: ProjectCard | None = None  # the project's programme, period, partners
    misja: str | None = None  # the team's mission, one sentence
    obszar: tuple[str, ...] = ()  # the area beyond its gmina: "powiat nakielski (0410)"…


@dataclass(frozen=True)
class RulesLine:
    """The version of the team's rules in force on the report's day."""

    numer: int
    nazwa: str
    przyjeto: str  # ISO date adopted
    spotkanie: str | None  # ISO date of the meeting that adopted it


@dataclass(frozen=True)
class TeamReport:
    """Context of `zespol.md` / `zespol.html`: a team as it stood on `stan_na`."""

    zespol: TeamHeader
    stan_na: str  # ISO date; declarations and meetings after it are left out
    sektory: tuple[SectorRow, ...]  # all 16 sectors, DOMAIN.md order
    deklaracje: tuple[DeclarationRow, ...]  # chronological
    spotkania: tuple[MeetingRow, ...]  # chronological
    koszyk: tuple[AreaGroup, ...]  # areas with services only
    obszary_bez_uslug: tuple[str, ...]  # labels of service areas with no service
    wersja: str  # program version for the footer
    grupy_bez_uslug: tuple[str, ...] = ()  # labels of target groups with no active service
    # Active services of the basket not checked for 12 months: never checked first.
    niezweryfikowane: tuple[gaps.Unverified, ...] = ()
    # Task teams (ZZK) up to stan_na (from `od` when given), small figures hidden.
    zzk: TaskTeamSection | None = None
    porozumienia: tuple[AgreementLine, ...] = ()  # signed or due first, oldest first
    regulamin: RulesLine | None = None  # None: no rules recorded by the report's day

    @property
    def porozumienia_po_terminie(self) -> list[AgreementLine]:
        return [a for a in self.porozumienia if a.po_terminie]

    @property
    def czlonkowie(self) -> int:
        return sum(len(s.czlonkowie) for s in self.sektory)

    @property
    def sektory_z_czlonkami(self) -> list[SectorRow]:
        return [s for s in self.sektory if s.pokryty]

    @property
    def luki(self) -> list[SectorRow]:
        """Sectors with no member."""
        return [s for s in self.sektory if not s.pokryty]

    @property
    def luki_kluczowe(self) -> list[SectorRow]:
        return [s for s in self.luki if s.kluczowy]

    @property
    def liczba_uslug(self) -> int:
        return sum(a.liczba_uslug for a in self.koszyk)


def declaration_rows(
    db: Database,
    *,
    zespol: int | None = None,
    dzien: str | None = None,
    spotkanie: int | None = None,
) -> tuple[DeclarationRow, ...]:
    # Only the conditions asked for: "(:x IS NULL OR d.x = :x)" would hide the indexes.
    where = []
    if zespol is not None:
        where.append("d.zespol = :zespol")
    if dzien is not None:
        where.append("d.data <= :dzien")
    if spotkanie is not None:
        where.append("d.spotkanie = :spotkanie")
    rows = db.query(
        """
        SELECT d.id, d.data, i.nazwa AS instytucja, i.skrot, d.rodzaj,
               r.nazwa AS rodzaj_nazwa, d.podpisal, s.data AS spotkanie
        FROM deklaracje d
        JOIN instytucje i ON i.id = d.instytucja
        JOIN rodzaje_deklaracji r ON r.kod = d.rodzaj
        LEFT JOIN spotkania s ON s.id = d.spotkanie
        WHERE """
        + (" AND ".join(where) or "1 = 1"),
        {"zespol": zespol, "dzien": dzien, "spotkanie": spotkanie},
    )
    ordered = sorted(rows, key=lambda r: (r["data"], polish_key(r["instytucja"]), r["id"]))
    return tuple(DeclarationRow(**{k: v for k, v in r.items() if k != "id"}) for r in ordered)


def _meetings(db: Database, team_id: int, dzien: str) -> tuple[MeetingRow, ...]:
    rows = db.query(
        """
        SELECT s.id, s.data, s.godzina, coalesce(nullif(s.miejsce, ''), :nieznane) AS miejsce,
               s.adres, r.nazwa AS rodzaj_nazwa, s.tytul,
               (SELECT count(DISTINCT o.instytucja) FROM obecnosci o
                 WHERE o.spotkanie = s.id AND o.status = 'obecny') AS instytucji,
               (SELECT count(DISTINCT o.osoba) FROM obecnosci o
                 WHERE o.spotkanie = s.id AND o.status = 'obecny') AS osob,
               (SELECT group_concat(nazwa, '; ') FROM (
                    SELECT z.nazwa FROM spotkania_zespoly sz JOIN zespoly z ON z.id = sz.zespol
                    WHERE sz.spotkanie = s.id AND sz.zespol != :zespol
                    ORDER BY z.nazwa COLLATE pl)) AS wspolne
        FROM spotkania_zespoly t
        JOIN spotkania s ON s.id = t.spotkanie
        JOIN rodzaje_spotkan r ON r.kod = s.rodzaj
        WHERE t.zespol = :zespol AND s.data <= :dzien
        ORDER BY s.data, coalesce(s.godzina, ''), s.id
        """,
        {"zespol": team_id, "dzien": dzien, "nieznane": UNKNOWN_PLACE},
    )
    return tuple(MeetingRow(**r) for r in rows)


def _makroregion(db: Database, voivodeship: str) -> str | None:
    rows = list(
        db.query("SELECT makroregion FROM makroregiony WHERE wojewodztwo = :w", {"w": voivodeship})
    )
    return str(rows[0]["makroregion"]) if rows else None


def _rules_line(db: Database, team_id: int, day: dt.date) -> RulesLine | None:
    found = rules.in_force(db, team_id, day)
    if found is None:
        return None
    return RulesLine(found.id, found.nazwa, found.przyjeto, found.spotkanie_data)


def team_report(
    db: Database, team: Team, day: dt.date | None = None, *, od: dt.date | None = None
) -> TeamReport:
    """The team as it stood on `day` (default: today): members, declarations, meetings,
    the basket of its gmina and the gaps; its task teams from `od` (default: all)."""
    when = day or dt.date.today()
    unit = teryt.get_unit(db, team.gmina)
    members = teams.members_on(db, team.id, when)
    people = representatives(db, [m.instytucja for m in members])
    ordered = sorted(members, key=lambda m: (polish_key(m.nazwa), m.instytucja))
    sectors = tuple(
        SectorRow(
            kod=code,
            nazwa=label,
            kluczowy=code in CORE_SECTORS,
            czlonkowie=tuple(
                MemberRow(
                    instytucja=m.instytucja,
                    nazwa=m.nazwa,
                    skrot=m.skrot,
                    od=m.od,
                    przedstawiciele=people.get(m.instytucja, ()),
                )
                for m in ordered
                if m.sektor == code
            ),
        )
        for code, label in SECTORS.items
    )
    services = basket.basket(db, unit)
    offered = {s.obszar for s in services}
    missing = gaps.for_unit(db, unit, None, today=when)
    return TeamReport(
        zespol=TeamHeader(
            id=team.id,
            nazwa=team.nazwa,
            gmina=place(unit),
            projekt=team.projekt,
            lider=team.lider_nazwa,
            data_utworzenia=team.data_utworzenia,
            makroregion=_makroregion(db, unit.wojewodztwo_kod),
            projekt_dane=(
                project_card_of(db, team.projekt_id) if team.projekt_id is not None else None
            ),
            misja=team.misja,
            obszar=areas.labels(db, team.obszar_kody),
        ),
        stan_na=when.isoformat(),
        sektory=sectors,
        deklaracje=declaration_rows(db, zespol=team.id, dzien=when.isoformat()),
        spotkania=_meetings(db, team.id, when.isoformat()),
        koszyk=group_basket(services),
        obszary_bez_uslug=tuple(
            label for code, label in SERVICE_AREAS.items if code not in offered
        ),
        wersja=__version__,
        grupy_bez_uslug=tuple(g.nazwa for g in missing.grupy),
        niezweryfikowane=missing.niezweryfikowane,
        porozumienia=tuple(
            AgreementLine(
                numer=d.porozumienie.id,
                nazwa=d.porozumienie.nazwa,
                status_nazwa=d.porozumienie.status_nazwa,
                termin_podpisania=d.porozumienie.termin_podpisania,
                data_podpisania=d.porozumienie.data_podpisania,
                strony=tuple(p.nazwa for p in d.strony),
                po_terminie=d.porozumienie.po_terminie(when),
            )
            for d in agreements.for_team(db, team, when, [m.instytucja for m in members])
        ),
        regulamin=_rules_line(db, team.id, when),
        zzk=team_section(db, team.id, od.isoformat() if od else None, when.isoformat()),
    )
