"""What the printable meeting documents receive: the attendance sheet, declarations of
accession and the minutes. Documented frozen dataclasses and their builders.

Templates never see the database. Lists come out in their final order: Polish
alphabetical order for names, vocabulary order for sectors. Dates stay ISO strings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje import __version__
from kooperacje.errors import InvalidInput
from kooperacje.register import institutions, persons, teryt
from kooperacje.register.vocab import CORE_SECTORS, SECTORS
from kooperacje.reports.context import Place, place
from kooperacje.teams import teams
from kooperacje.teams.attendance import (
    ABSENT,
    EXCUSED,
    INVITED,
    PRESENT,
    STATUSES,
    Attendee,
    attendees,
)
from kooperacje.teams.meetings import Meeting
from kooperacje.teams.meetings import get as get_meeting
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database

# Empty numbered rows at the end of an attendance sheet, for guests nobody invited.
WALK_IN_ROWS = 8
# Lines for what an institution brings to the basket: at least this many in all, and
# always a few empty ones after the services already known.
CONTRIBUTION_LINES = 5
MIN_EMPTY_LINES = 2


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
class Contact:
    """A representative named on a declaration, with the work contacts known."""

    imie_nazwisko: str
    stanowisko: str | None
    telefon: str | None  # work phone; None: a line to fill in
    email: str | None  # work e-mail; None: a line to fill in

    def __str__(self) -> str:
        return self.imie_nazwisko


@dataclass(frozen=True)
class DeclarationForm:
    """One pre-filled declaration of accession (one printed page)."""

    instytucja: institutions.Institution
    zespol: teams.Team  # zespol.projekt: the project line, when the team is in one
    gmina: Place
    adres: str | None  # "ul. Reymonta 31, 97-500 Radomsko", from the parts known
    przedstawiciel: Contact | None  # the first representative known, else lines to fill in
    zastepca: Contact | None  # the second one
    uslugi: tuple[str, ...]  # active services: what the institution brings to the basket
    miejsce: str  # place of signing: the team's gmina
    data: str | None  # ISO date of the meeting, else None (a line to fill in)
    numer: str = ""  # "D/2019/1/0009": see declaration_number
    wolne_linie: int = CONTRIBUTION_LINES  # empty lines after the services listed


def declaration_number(year: int, team_id: int, institution_id: int) -> str:
    """The number printed on a declaration: D/year/team/institution, e.g. D/2019/1/0009.

    The year is the meeting's (or the year of printing, without a meeting); the same
    institution and team always get the same number in that year, so a reprint matches
    the copy already signed.
    """
    return f"D/{year}/{team_id}/{institution_id:04d}"


def _contact(person: persons.Person) -> Contact:
    return Contact(person.imie_nazwisko, person.stanowisko, person.telefon, person.email)


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
    year = int(meeting.data[:4]) if meeting else dt.date.today().year
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
        przedstawiciel=_contact(staff[0]) if staff else None,
        zastepca=_contact(staff[1]) if len(staff) > 1 else None,
        uslugi=tuple(sorted(services, key=polish_key)),
        miejsce=team.gmina_nazwa,
        data=meeting.data if meeting else None,
        numer=declaration_number(year, team.id, institution.id),
        wolne_linie=max(CONTRIBUTION_LINES - len(services), MIN_EMPTY_LINES),
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
    # Absent without an excuse: marked absent, or invited and never marked present.
    nieusprawiedliwieni: tuple[str, ...] = ()
    ustalenia: tuple[str, ...] = ()  # the decisions, one item each (see `decisions`)

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
    came = {a.instytucja for a in present}
    unexcused = sorted(
        {
            a.instytucja_nazwa
            for a in attendees(db, meeting_id, (ABSENT, INVITED))
            if a.instytucja not in came
        },
        key=polish_key,
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
        nieusprawiedliwieni=tuple(unexcused),
        ustalenia=decisions(meeting.ustalenia),
    )


# "1. ", "2) ", "- ", "* ", "• ", "– " at the start of a line: a new item of a list.
_MARKER = re.compile(r"^(?:\d{1,3}[.)]|[-*•–])\s+")
# "1. " or "1) " inside a line: an inline numbered list ("1. Powołano … 2. Ustalono …").
_INLINE_NUMBER = re.compile(r"(?:^|(?<=\s))(\d{1,3})[.)]\s+")


def _inline_items(line: str) -> list[str]:
    """Split "1. a 2. b 3. c" where the numbers run 1, 2, 3…; else the line as it is."""
    cuts: list[tuple[int, int]] = []
    for found in _INLINE_NUMBER.finditer(line):
        if int(found.group(1)) == len(cuts) + 1 and (cuts or found.start() == 0):
            cuts.append((found.start(), found.end()))
    if len(cuts) < 2:
        return [line]
    ends = [start for start, _ in cuts[1:]] + [len(line)]
    return [line[body:end].strip() for (_, body), end in zip(cuts, ends, strict=True)]


def decisions(text: str | None) -> tuple[str, ...]:
    """The decisions of a meeting as separate items, numbering and bullets removed.

    One item per line, or per list marker when the lines carry markers ("1.", "2)",
    "-", "•"; an unmarked line then continues the item above); a single line
    numbered inline ("1. … 2. …") is split at its numbers.
    """
    lines = [line.strip() for line in re.split(r"\r\n|\r|\n", text or "")]
    filled = [line for line in lines if line]
    if len(filled) == 1:
        inline = [item for item in _inline_items(filled[0]) if item]
        if len(inline) > 1:
            return tuple(inline)
    marked = any(_MARKER.match(line) for line in lines)
    items: list[str] = []
    open_item = False
    for line in lines:
        if not line:
            open_item = False
            continue
        marker = _MARKER.match(line)
        body = line[marker.end() :].strip() if marker else line
        if marked and not marker and open_item:
            items[-1] = f"{items[-1]} {body}".strip()
        elif body:
            items.append(body)
            open_item = True
    return tuple(items)
