"""What each report template receives: documented frozen dataclasses and their builders.

Templates never see the database. Every query runs here, one per report section
(never one per row), and every list comes out in its final order: vocabulary order
for sectors and service areas, Polish alphabetical order for names, dates ascending.
Dates stay ISO strings; templates print them in words with the `slownie` filter.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje import __version__
from kooperacje.basket import basket, gaps
from kooperacje.basket import service_details as sd
from kooperacje.basket.basket import BasketService
from kooperacje.errors import NotFound
from kooperacje.register import teryt
from kooperacje.register.teryt import Unit
from kooperacje.register.vocab import CORE_SECTORS, SECTORS, SERVICE_AREAS, TARGET_GROUPS
from kooperacje.teams import teams
from kooperacje.teams.teams import Team
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Place:
    """A gmina as a report's header names it."""

    kod: str  # TERYT code, 7 digits
    nazwa: str  # "Radomsko"
    rodzaj: str  # "gmina miejska"
    powiat: str | None  # "powiat radomszczański" or "miasto na prawach powiatu Łódź"
    wojewodztwo: str  # "łódzkie"


@dataclass(frozen=True)
class PersonRow:
    """A representative of an institution (staff work contact: name and position only)."""

    imie_nazwisko: str
    stanowisko: str | None


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
    miejsce: str
    adres: str | None
    rodzaj_nazwa: str  # "spotkanie inicjujące"
    tytul: str | None
    instytucji: int  # institutions present
    osob: int  # named representatives present


@dataclass(frozen=True)
class ServiceEntry:
    """A service of the basket under its provider."""

    nazwa: str
    opis: str | None
    dla: tuple[str, ...]  # target-group labels, vocabulary order
    kryteria: str | None
    jak_skorzystac: str | None
    odplatnosc: str | None
    kontakt: str | None
    zasieg: tuple[str, ...]  # readable reach: "powiat radomszczański (1012)"
    wiek: str | None = None  # "13–18 lat"
    dokumenty: str | None = None
    koszt: str | None = None  # "bezpłatna", "odpłatna: 20 zł", or the older description
    gdzie: str | None = None  # where the service is given, in words
    kiedy: str | None = None  # days and opening hours
    zweryfikowano: str | None = None  # ISO date of the last check
    id: int = 0


@dataclass(frozen=True)
class Provider:
    """An institution offering services in one service area of a basket."""

    nazwa: str
    skrot: str | None
    adres: str | None  # "ul. Tkacka 5, 97-500 Radomsko"
    telefon: str | None
    email: str | None
    www: str | None  # as entered; only http(s) addresses become links
    uslugi: tuple[ServiceEntry, ...]

    @property
    def www_link(self) -> str | None:
        """The address for an `href`, or None when it is not a web address."""
        if self.www and self.www.lower().startswith(("http://", "https://")):
            return self.www
        return None


@dataclass(frozen=True)
class AreaGroup:
    """One service area of a basket, providers in Polish alphabetical order."""

    kod: str
    nazwa: str
    dostawcy: tuple[Provider, ...]

    @property
    def liczba_uslug(self) -> int:
        return sum(len(p.uslugi) for p in self.dostawcy)


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


@dataclass(frozen=True)
class AttendeeRow:
    """An institution present at a meeting and who represented it, when known."""

    nazwa: str
    skrot: str | None
    osoby: tuple[PersonRow, ...]


@dataclass(frozen=True)
class AttendeeSector:
    """The institutions of one sector present at a meeting."""

    kod: str
    nazwa: str
    kluczowy: bool
    instytucje: tuple[AttendeeRow, ...]


@dataclass(frozen=True)
class MeetingNote:
    """Context of `spotkanie.md` / `spotkanie.html`: the note of one meeting."""

    id: int
    tytul: str  # the meeting's title, or its kind when it has none
    data: str  # ISO date
    godzina: str | None
    miejsce: str
    adres: str | None
    rodzaj_nazwa: str
    zespol: str  # team name
    gmina: Place
    obecni: tuple[AttendeeSector, ...]  # sectors in DOMAIN.md order, present ones only
    deklaracje: tuple[DeclarationRow, ...]  # signed at this meeting
    opis: str | None  # summary as entered
    wersja: str

    @property
    def liczba_instytucji(self) -> int:
        return sum(len(s.instytucje) for s in self.obecni)


@dataclass(frozen=True)
class BasketReport:
    """Context of `koszyk.md` / `koszyk.html`: the printable basket of a gmina."""

    gmina: Place
    zespol: str | None  # name of the gmina's team, if it has one
    obszar: str | None  # label of the area filter, if any
    grupa: str | None  # label of the target-group filter, if any
    obszary: tuple[AreaGroup, ...]  # areas with services only, vocabulary order
    wersja: str
    stan_na: str = ""  # ISO date the catalogue was made on
    filtry: tuple[str, ...] = ()  # every filter in words: "wiek 70 lat", "tylko bezpłatne"
    indeks: tuple[IndexEntry, ...] = ()  # providers in Polish order

    @property
    def liczba_uslug(self) -> int:
        return sum(a.liczba_uslug for a in self.obszary)


@dataclass(frozen=True)
class IndexEntry:
    """A provider in the index of a printable basket, with the sections it appears in."""

    nazwa: str
    skrot: str | None
    obszary: tuple[tuple[int, str, str], ...]  # (section number, area code, area label)


def _powiat_label(unit: Unit) -> str | None:
    if not unit.powiat or not unit.powiat_kod:
        return None
    # Cities with powiat rights have powiat codes 61-99.
    if int(unit.powiat_kod[2:]) >= 61:
        return f"miasto na prawach powiatu {unit.powiat}"
    return f"powiat {unit.powiat}"


def place(unit: Unit) -> Place:
    """The header fields of a gmina."""
    return Place(
        kod=unit.kod,
        nazwa=unit.nazwa,
        rodzaj=unit.rodzaj,
        powiat=_powiat_label(unit),
        wojewodztwo=unit.wojewodztwo,
    )


def _ids(values: Iterable[int]) -> str:
    # A list of ids as one JSON parameter, read in SQL with json_each(): one query.
    return json.dumps(sorted(set(values)))


def _persons(rows: Iterable[dict[str, Any]]) -> tuple[PersonRow, ...]:
    people = {(r["imie_nazwisko"], r["stanowisko"]) for r in rows if r["imie_nazwisko"]}
    return tuple(
        PersonRow(name, position)
        for name, position in sorted(people, key=lambda p: (polish_key(p[0]), p[1] or ""))
    )


def _representatives(db: Database, ids: Sequence[int]) -> dict[int, tuple[PersonRow, ...]]:
    rows = db.query(
        """
        SELECT instytucja, imie_nazwisko, stanowisko FROM osoby
        WHERE instytucja IN (SELECT value FROM json_each(:ids))
        """,
        {"ids": _ids(ids)},
    )
    by_institution: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_institution.setdefault(row["instytucja"], []).append(row)
    return {key: _persons(value) for key, value in by_institution.items()}


def _declarations(
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
        SELECT s.id, s.data, s.godzina, s.miejsce, s.adres, r.nazwa AS rodzaj_nazwa, s.tytul,
               (SELECT count(DISTINCT o.instytucja) FROM obecnosci o
                 WHERE o.spotkanie = s.id AND o.status = 'obecny') AS instytucji,
               (SELECT count(DISTINCT o.osoba) FROM obecnosci o
                 WHERE o.spotkanie = s.id AND o.status = 'obecny') AS osob
        FROM spotkania s
        JOIN rodzaje_spotkan r ON r.kod = s.rodzaj
        WHERE s.zespol = :zespol AND s.data <= :dzien
        ORDER BY s.data, coalesce(s.godzina, ''), s.id
        """,
        {"zespol": team_id, "dzien": dzien},
    )
    return tuple(MeetingRow(**r) for r in rows)


def _service(s: BasketService) -> ServiceEntry:
    where = (
        s.adres
        if s.miejsce == "siedziba"
        else sd.place_text(
            s.miejsce, s.miejsce_adres, s.miejsce_kod_pocztowy, s.miejsce_miejscowosc
        )
    )
    return ServiceEntry(
        nazwa=s.nazwa,
        opis=s.opis,
        dla=s.grupy_nazwy,
        kryteria=s.kryteria,
        jak_skorzystac=s.jak_skorzystac,
        odplatnosc=s.odplatnosc,
        kontakt=sd.contact_text(s.kontakt, s.kontakt_osoba, s.kontakt_telefon, s.kontakt_email),
        zasieg=s.zasieg_nazwy,
        wiek=sd.age_label(s.wiek_od, s.wiek_do),
        dokumenty=s.dokumenty,
        koszt=sd.cost_text(s.bezplatna, s.odplatnosc),
        gdzie=where,
        kiedy=sd.when_text(s.godziny, s.dni),
        zweryfikowano=s.zweryfikowano,
        id=s.id,
    )


def provider_index(areas: Sequence[AreaGroup]) -> tuple[IndexEntry, ...]:
    """Every provider of the basket once, in Polish order, with its sections."""
    found: dict[tuple[str, str | None], list[tuple[int, str, str]]] = {}
    for number, area in enumerate(areas, start=1):
        for provider in area.dostawcy:
            found.setdefault((provider.nazwa, provider.skrot), []).append(
                (number, area.kod, area.nazwa)
            )
    return tuple(
        IndexEntry(name, short, tuple(sections))
        for (name, short), sections in sorted(found.items(), key=lambda i: polish_key(i[0][0]))
    )


def group_basket(services: Sequence[BasketService]) -> tuple[AreaGroup, ...]:
    """Services grouped by area (vocabulary order), then provider (Polish order)."""
    areas: list[AreaGroup] = []
    for code, label in SERVICE_AREAS.items:
        in_area = [s for s in services if s.obszar == code]
        if not in_area:
            continue
        providers: dict[int, list[BasketService]] = {}
        for s in in_area:
            providers.setdefault(s.instytucja, []).append(s)
        ordered = sorted(
            providers.values(),
            key=lambda group: (polish_key(group[0].instytucja_nazwa), group[0].instytucja),
        )
        areas.append(
            AreaGroup(
                kod=code,
                nazwa=label,
                dostawcy=tuple(
                    Provider(
                        nazwa=group[0].instytucja_nazwa,
                        skrot=group[0].instytucja_skrot,
                        adres=group[0].adres,
                        telefon=group[0].telefon,
                        email=group[0].email,
                        www=group[0].www,
                        uslugi=tuple(
                            _service(s) for s in sorted(group, key=lambda s: polish_key(s.nazwa))
                        ),
                    )
                    for group in ordered
                ),
            )
        )
    return tuple(areas)


def _makroregion(db: Database, voivodeship: str) -> str | None:
    rows = list(
        db.query("SELECT makroregion FROM makroregiony WHERE wojewodztwo = :w", {"w": voivodeship})
    )
    return str(rows[0]["makroregion"]) if rows else None


def team_report(db: Database, team: Team, day: dt.date | None = None) -> TeamReport:
    """The team as it stood on `day` (default: today): members, declarations, meetings,
    the basket of its gmina and the gaps."""
    when = day or dt.date.today()
    unit = teryt.get_unit(db, team.gmina)
    members = teams.members_on(db, team.id, when)
    people = _representatives(db, [m.instytucja for m in members])
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
        ),
        stan_na=when.isoformat(),
        sektory=sectors,
        deklaracje=_declarations(db, zespol=team.id, dzien=when.isoformat()),
        spotkania=_meetings(db, team.id, when.isoformat()),
        koszyk=group_basket(services),
        obszary_bez_uslug=tuple(
            label for code, label in SERVICE_AREAS.items if code not in offered
        ),
        wersja=__version__,
        grupy_bez_uslug=tuple(g.nazwa for g in missing.grupy),
        niezweryfikowane=missing.niezweryfikowane,
    )


def meeting_note(db: Database, meeting_id: int) -> MeetingNote:
    """The note of one meeting: where, when, who came (by sector), what was signed."""
    rows = list(
        db.query(
            """
            SELECT s.id, s.data, s.godzina, s.miejsce, s.adres, s.tytul, s.opis,
                   r.nazwa AS rodzaj_nazwa, z.nazwa AS zespol, z.gmina
            FROM spotkania s
            JOIN rodzaje_spotkan r ON r.kod = s.rodzaj
            JOIN zespoly z ON z.id = s.zespol
            WHERE s.id = :id
            """,
            {"id": meeting_id},
        )
    )
    if not rows:
        raise NotFound(
            f"nie ma spotkania o numerze {meeting_id}. "
            "Sprawdź numer poleceniem: kooperacje spotkania lista."
        )
    meeting = rows[0]
    present = db.query(
        """
        SELECT o.instytucja, i.nazwa, i.skrot, i.sektor, p.imie_nazwisko, p.stanowisko
        FROM obecnosci o
        JOIN instytucje i ON i.id = o.instytucja
        LEFT JOIN osoby p ON p.id = o.osoba
        WHERE o.spotkanie = :id AND o.status = 'obecny'
        """,
        {"id": meeting_id},
    )
    by_institution: dict[int, list[dict[str, Any]]] = {}
    for row in present:
        by_institution.setdefault(row["instytucja"], []).append(row)
    attendees = sorted(
        by_institution.values(),
        key=lambda group: (polish_key(group[0]["nazwa"]), group[0]["instytucja"]),
    )
    sectors = tuple(
        AttendeeSector(
            kod=code,
            nazwa=label,
            kluczowy=code in CORE_SECTORS,
            instytucje=tuple(
                AttendeeRow(nazwa=g[0]["nazwa"], skrot=g[0]["skrot"], osoby=_persons(g))
                for g in attendees
                if g[0]["sektor"] == code
            ),
        )
        for code, label in SECTORS.items
    )
    return MeetingNote(
        id=meeting["id"],
        tytul=meeting["tytul"] or meeting["rodzaj_nazwa"][:1].upper() + meeting["rodzaj_nazwa"][1:],
        data=meeting["data"],
        godzina=meeting["godzina"],
        miejsce=meeting["miejsce"],
        adres=meeting["adres"],
        rodzaj_nazwa=meeting["rodzaj_nazwa"],
        zespol=meeting["zespol"],
        gmina=place(teryt.get_unit(db, meeting["gmina"])),
        obecni=tuple(s for s in sectors if s.instytucje),
        deklaracje=_declarations(db, spotkanie=meeting_id),
        opis=meeting["opis"],
        wersja=__version__,
    )


def basket_report(
    db: Database,
    unit: Unit,
    *,
    obszar: str | None = None,
    grupa: str | None = None,
    wiek: int | None = None,
    bezplatne: bool = False,
    status: str | None = None,
    szukaj: str | None = None,
    stan_na: dt.date | None = None,
) -> BasketReport:
    """The printable basket of a gmina; the filters of `kooperacje koszyk` as raw input."""
    found = basket.basket_for(
        db,
        unit.kod,
        obszar,
        grupa,
        wiek=wiek,
        bezplatne=bezplatne,
        status=status,
        szukaj=szukaj,
    )
    team = list(db.query("SELECT nazwa FROM zespoly WHERE gmina = :g", {"g": unit.kod}))
    filters = [f"wiek {found.wiek} lat"] if found.wiek is not None else []
    filters += ["tylko bezpłatne"] if found.bezplatne else []
    filters += ["usługi zawieszone"] if found.status == "zawieszona" else []
    filters += [f"wyszukiwanie „{found.szukaj}”"] if found.szukaj else []
    areas = group_basket(found.uslugi)
    return BasketReport(
        gmina=place(unit),
        zespol=team[0]["nazwa"] if team else None,
        obszar=SERVICE_AREAS.label(found.obszar) if found.obszar else None,
        grupa=TARGET_GROUPS.label(found.grupa) if found.grupa else None,
        obszary=areas,
        wersja=__version__,
        stan_na=(stan_na or dt.date.today()).isoformat(),
        filtry=tuple(filters),
        indeks=provider_index(areas),
    )
