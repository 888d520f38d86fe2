"""What the printable meeting documents receive: the attendance sheet, declarations of
accession and the minutes. Documented frozen dataclasses and their builders.

Templates never see the database. Lists come out in their final order: Polish
alphabetical order for names, vocabulary order for sectors. Dates stay ISO strings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje import __version__
from kooperacje.errors import InvalidInput
from kooperacje.register import institutions, persons, teryt
from kooperacje.register.vocab import CORE_SECTORS, SECTORS
from kooperacje.reports.context import Place, place
from kooperacje.teams import teams
from kooperacje.teams.attendance import EXCUSED, PRESENT, STATUSES, Attendee, attendees
from kooperacje.teams.meetings import Meeting
from kooperacje.teams.meetings import get as get_meeting
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database

# Empty numbered rows at the end of an attendance sheet, for guests nobody invited.
WALK_IN_ROWS = 8


@dataclass(frozen=True)
class SheetRow:
    """One line to sign: an institution and one of its representatives (or none known)."""

    nr: int
    instytucja: str  # "" on the empty rows for walk-ins
    skrot: str | None
    osoba: str | None
    stanowisko: str | None


@dataclass(frozen=True)
class AttendanceSheet:
    """Context of lista-obecnosci.{md,html}."""

    spotkanie: Meeting
    gmina: Place
    wiersze: tuple[SheetRow, ...]  # invited institutions A–Z, then empty numbered rows
    wersja: str


def attendance_sheet(db: Database, meeting_id: int) -> AttendanceSheet:
    """Everyone on the meeting's list (any status), with their representatives."""
    meeting = get_meeting(db, meeting_id)
    listed = attendees(db, meeting_id, STATUSES)
    ids = sorted({a.instytucja for a in listed})
    staff = persons.for_institutions(db, ids)
    names = {a.instytucja: (a.instytucja_nazwa, a.skrot) for a in listed}
    order = sorted(ids, key=lambda i: (polish_key(names[i][0]), i))
    rows: list[SheetRow] = []
    for institution in order:
        name, short = names[institution]
        # Who was recorded for this meeting first; else everyone known of the institution.
        recorded = [(a.osoba_nazwa, a.stanowisko) for a in listed if a.instytucja == institution]
        people = [p for p in recorded if p[0]] or [
            (p.imie_nazwisko, p.stanowisko) for p in staff.get(institution, [])
        ]
        people.sort(key=lambda p: polish_key(p[0] or ""))
        for person, position in people or [(None, None)]:
            rows.append(SheetRow(len(rows) + 1, name, short, person, position))
    for _ in range(WALK_IN_ROWS):
        rows.append(SheetRow(len(rows) + 1, "", None, None, None))
    return AttendanceSheet(
        spotkanie=meeting,
        gmina=place(teryt.get_unit(db, meeting.gmina)),
        wiersze=tuple(rows),
        wersja=__version__,
    )


@dataclass(frozen=True)
class DeclarationForm:
    """One pre-filled declaration of accession (one printed page)."""

    instytucja: institutions.Institution
    zespol: teams.Team
    gmina: Place
    adres: str | None  # "ul. Reymonta 31, 97-500 Radomsko", from the parts known
    przedstawiciel: str | None  # the first representative known, else a line to fill in
    zastepca: str | None  # the second one
    uslugi: tuple[str, ...]  # active services: what the institution brings to the basket
    miejsce: str  # place of signing: the meeting's venue town, else the team's gmina
    data: str | None  # ISO date of the meeting, else None (a line to fill in)


@dataclass(frozen=True)
class Declarations:
    """Context of deklaracja.{md,html}: one or more forms, each on its own page."""

    deklaracje: tuple[DeclarationForm, ...]
    wersja: str


def _form(
    db: Database, institution: institutions.Institution, team: teams.Team, meeting: Meeting | None
) -> DeclarationForm:
    staff = persons.for_institutions(db, [institution.id]).get(institution.id, [])
    services = [
        r["nazwa"]
        for r in db.query(
            "SELECT nazwa FROM uslugi WHERE instytucja = :i AND status = 'aktywna'",
            {"i": institution.id},
        )
    ]
    return DeclarationForm(
        instytucja=institution,
        zespol=team,
        gmina=place(teryt.get_unit(db, team.gmina)),
        adres=", ".join(
            part
            for part in (
                institution.adres,
                " ".join(x for x in (institution.kod_pocztowy, institution.miejscowosc) if x),
            )
            if part
        )
        or None,
        przedstawiciel=staff[0].imie_nazwisko if staff else None,
        zastepca=staff[1].imie_nazwisko if len(staff) > 1 else None,
        uslugi=tuple(sorted(services, key=polish_key)),
        miejsce=team.gmina_nazwa,
        data=meeting.data if meeting else None,
    )


def declarations(
    db: Database,
    *,
    instytucja: str | None = None,
    gmina: str | None = None,
    zespol: str | None = None,
    spotkanie: int | None = None,
    wszyscy_zaproszeni: bool = False,
) -> Declarations:
    """One form for an institution towards a team, or one per invited non-member of a
    meeting (`wszyscy_zaproszeni` with `spotkanie`)."""
    meeting = get_meeting(db, spotkanie) if spotkanie is not None else None
    if wszyscy_zaproszeni:
        if meeting is None or instytucja is not None:
            raise InvalidInput(
                "--wszyscy-zaproszeni wymaga --spotkanie S i nie łączy się z --instytucja. "
                "Przykład: kooperacje raport deklaracja --wszyscy-zaproszeni --spotkanie 1."
            )
        team = teams.get(db, meeting.zespol)
        day = dt.date.fromisoformat(meeting.data)
        members = {m.instytucja for m in teams.members_on(db, team.id, day)}
        invited = sorted(
            {a.instytucja: a.instytucja_nazwa for a in attendees(db, meeting.id, STATUSES)}.items(),
            key=lambda pair: polish_key(pair[1]),
        )
        forms = [
            _form(db, institutions.get(db, i), team, meeting)
            for i, _ in invited
            if i not in members
        ]
        if not forms:
            raise InvalidInput(
                f"wszystkie instytucje zaproszone na spotkanie nr {meeting.id} są już członkami "
                "zespołu albo nikogo nie zaproszono (kooperacje spotkania zapros)."
            )
        return Declarations(tuple(forms), __version__)
    if instytucja is None:
        raise InvalidInput(
            "podaj --instytucja I (z --gmina G albo --zespol Z), albo --wszyscy-zaproszeni "
            "--spotkanie S."
        )
    if meeting is not None and gmina is None and zespol is None:
        team = teams.get(db, meeting.zespol)
    else:
        team = teams.team_of(db, gmina=gmina, zespol=zespol)
    form = _form(db, institutions.resolve(db, instytucja, teams.context_of(team)), team, meeting)
    return Declarations((form,), __version__)


@dataclass(frozen=True)
class SectorGroup:
    """Attending institutions of one sector, with who came."""

    nazwa: str
    kluczowy: bool
    instytucje: tuple[tuple[str, tuple[str, ...]], ...]  # (institution, persons)


@dataclass(frozen=True)
class Minutes:
    """Context of protokol.{md,html}."""

    spotkanie: Meeting
    gmina: Place
    obecni: tuple[SectorGroup, ...]  # sectors in DOMAIN.md order, present ones only
    usprawiedliwieni: tuple[str, ...]  # institutions excused
    deklaracje: tuple[tuple[str, str | None], ...]  # (institution, signed by), joining ones
    uslugi: tuple[tuple[str, str, str], ...]  # (institution, service, area) presented
    wersja: str

    @property
    def liczba_instytucji(self) -> int:
        return sum(len(s.instytucje) for s in self.obecni)


def _people(rows: Iterable[Attendee]) -> tuple[str, ...]:
    names = {a.osoba_nazwa for a in rows if a.osoba_nazwa is not None}
    return tuple(sorted((n for n in names if n is not None), key=polish_key))


def minutes(db: Database, meeting_id: int) -> Minutes:
    """The minutes of one meeting."""
    meeting = get_meeting(db, meeting_id)
    present = attendees(db, meeting_id, (PRESENT,))
    groups = []
    for code, label in SECTORS.items:
        mine = [a for a in present if a.sektor == code]
        names = sorted({a.instytucja_nazwa for a in mine}, key=polish_key)
        if names:
            rows = tuple(
                (name, _people(a for a in mine if a.instytucja_nazwa == name)) for name in names
            )
            groups.append(SectorGroup(label, code in CORE_SECTORS, rows))
    excused = sorted(
        {a.instytucja_nazwa for a in attendees(db, meeting_id, (EXCUSED,))}, key=polish_key
    )
    signed = tuple(
        (r["nazwa"], r["podpisal"])
        for r in db.query(
            "SELECT i.nazwa, d.podpisal FROM deklaracje d JOIN instytucje i ON i.id = d.instytucja "
            "WHERE d.spotkanie = :s AND d.rodzaj = 'przystapienie' ORDER BY d.data, d.id",
            {"s": meeting_id},
        )
    )
    services = sorted(
        (
            (r["instytucja"], r["nazwa"], r["obszar"])
            for r in db.query(
                "SELECT i.nazwa AS instytucja, u.nazwa, o.nazwa AS obszar "
                "FROM spotkania_uslugi su JOIN uslugi u ON u.id = su.usluga "
                "JOIN instytucje i ON i.id = u.instytucja JOIN obszary_uslug o ON o.kod = u.obszar "
                "WHERE su.spotkanie = :s",
                {"s": meeting_id},
            )
        ),
        key=lambda t: (polish_key(t[0]), polish_key(t[1])),
    )
    return Minutes(
        spotkanie=meeting,
        gmina=place(teryt.get_unit(db, meeting.gmina)),
        obecni=tuple(groups),
        usprawiedliwieni=tuple(excused),
        deklaracje=signed,
        uslugi=tuple(services),
        wersja=__version__,
    )
