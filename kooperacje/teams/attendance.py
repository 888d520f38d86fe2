"""Who attended a meeting: institutions, and the person who came when known."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje.errors import Ambiguous, InvalidInput, NotFound
from kooperacje.register import institutions, persons, validate
from kooperacje.register.vocab import ATTENDANCE_STATUSES, SECTORS
from kooperacje.teams.meetings import Meeting, context_of, get
from kooperacje.text import fold, polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


# Attendance statuses (as event tools distinguish them); the codes are their labels.
INVITED, PRESENT, EXCUSED, ABSENT = ATTENDANCE_STATUSES.codes
STATUSES = (INVITED, PRESENT, EXCUSED, ABSENT)


@dataclass(frozen=True)
class Attendee:
    """An institution present at a meeting, with the person who came when known."""

    instytucja: int
    instytucja_nazwa: str
    skrot: str | None
    sektor: str
    sektor_nazwa: str
    osoba: int | None
    osoba_nazwa: str | None
    stanowisko: str | None
    status: str = PRESENT  # zaproszony, obecny, usprawiedliwiony or nieobecny


_SECTOR_ORDER = {code: n for n, code in enumerate(SECTORS.codes)}


def parse_status(text: str) -> str:
    """An attendance status from user input (case- and diacritics-insensitive; any gender
    or number: "obecna", "nieobecni", "usprawiedliwiona")."""
    return ATTENDANCE_STATUSES.parse(text)


def attendees(
    db: Database, meeting_id: int, statuses: tuple[str, ...] = (PRESENT,)
) -> list[Attendee]:
    """Who attended (or had another of `statuses`): by sector (vocabulary order), then
    institution and person name."""
    rows = db.query(
        """
        SELECT o.instytucja, i.nazwa AS instytucja_nazwa, i.skrot, i.sektor,
               s.nazwa AS sektor_nazwa, o.osoba, p.imie_nazwisko AS osoba_nazwa, p.stanowisko,
               o.status
        FROM obecnosci o
        JOIN instytucje i ON i.id = o.instytucja
        JOIN sektory s ON s.kod = i.sektor
        LEFT JOIN osoby p ON p.id = o.osoba
        WHERE o.spotkanie = :id AND o.status IN (SELECT value FROM json_each(:st))
        """,
        {"id": meeting_id, "st": json.dumps(list(statuses))},
    )
    return sorted(
        (Attendee(**r) for r in rows),
        key=lambda a: (
            _SECTOR_ORDER.get(a.sektor, len(_SECTOR_ORDER)),
            polish_key(a.instytucja_nazwa),
            a.instytucja,
            polish_key(a.osoba_nazwa or ""),
        ),
    )


def _require_meeting(db: Database, meeting_id: int) -> None:

    get(db, meeting_id)


def _resolve_person(db: Database, text: str, institution: institutions.Institution) -> int:
    """A representative of the institution, by id or by name (exact, else a unique
    fragment) among its staff; a person of another institution is refused."""

    value = validate.clean(text)
    if not value:
        raise InvalidInput("nie podano osoby. Podaj w --osoba numer albo imię i nazwisko.")
    if value.isdigit():
        candidates = [persons.get(db, int(value))]
    else:
        staff = persons.list_(db, instytucja=str(institution.id))
        folded = fold(value)
        candidates = [p for p in staff if fold(p.imie_nazwisko) == folded] or [
            p for p in staff if folded in fold(p.imie_nazwisko)
        ]
        if not candidates:
            try:
                candidates = [persons.resolve(db, value)]
            except NotFound:
                raise NotFound(
                    f'nie znaleziono osoby "{value}" w instytucji „{institution.nazwa}”. '
                    f'Dodaj ją poleceniem: kooperacje osoby dodaj "{value}" '
                    f"--instytucja {institution.id}."
                ) from None
    if len(candidates) > 1:
        listing = "; ".join(f"{p.id}: {p.imie_nazwisko}" for p in candidates)
        raise Ambiguous(
            f'osoba "{value}" jest niejednoznaczna w instytucji „{institution.nazwa}”: '
            f"{listing}. Podaj numer osoby."
        )
    person = candidates[0]
    if person.instytucja != institution.id:
        raise InvalidInput(
            f"osoba {person.label} nie jest przedstawicielem instytucji "
            f"„{institution.nazwa}”. Podaj osobę z tej instytucji "
            f"(kooperacje osoby lista --instytucja {institution.id})."
        )
    return person.id


def _institutions(
    db: Database, meeting_id: int, refs: list[str], osoba: str | None
) -> tuple[list[institutions.Institution], int | None]:
    if not refs:
        raise InvalidInput("podaj co najmniej jedną instytucję (numer, nazwę albo skrót).")
    where = context_of(db, get(db, meeting_id))
    found: dict[int, institutions.Institution] = {}
    for ref in refs:
        institution = institutions.resolve(db, ref, where)
        found.setdefault(institution.id, institution)
    chosen = list(found.values())
    if osoba is None:
        return chosen, None
    if len(chosen) != 1:
        raise InvalidInput(
            "opcję --osoba można podać tylko przy jednej instytucji. "
            "Zapisz obecność każdej instytucji osobnym poleceniem."
        )
    return chosen, _resolve_person(db, osoba, chosen[0])


def attend(
    db: Database,
    meeting_id: int,
    institutions: list[str],
    osoba: str | None = None,
    status: str = PRESENT,
) -> list[Attendee]:
    """Mark institutions (and optionally the person who came) with a status, present by
    default; marking twice changes nothing. Returns the records of those institutions."""
    _require_meeting(db, meeting_id)
    code = parse_status(status)
    chosen, person = _institutions(db, meeting_id, institutions, osoba)
    with db.atomic():
        for institution in chosen:
            mark(db, meeting_id, institution.id, person, code)
    ids = {i.id for i in chosen}
    return [a for a in attendees(db, meeting_id, STATUSES) if a.instytucja in ids]


def mark(
    db: Database, meeting_id: int, institution_id: int, person: int | None, status: str
) -> None:
    """Record one institution's (and person's) status, inside the caller's transaction."""
    key = {"s": meeting_id, "i": institution_id, "o": person, "st": status}
    rows = list(
        db.query("SELECT id, osoba FROM obecnosci WHERE spotkanie = :s AND instytucja = :i", key)
    )
    if person is None and rows:
        # The institution as a whole: every row of it takes the status.
        db.execute(
            "UPDATE obecnosci SET status = :st WHERE spotkanie = :s AND instytucja = :i", key
        )
        return
    own = [r for r in rows if r["osoba"] == person]
    anonymous = [r for r in rows if r["osoba"] is None]
    if own or anonymous:
        # An invitation, or a mark made before we knew who came, becomes this person's.
        target = (own or anonymous)[0]["id"]
        db.execute(
            "UPDATE obecnosci SET osoba = :o, status = :st WHERE id = :id", key | {"id": target}
        )
    else:
        db.execute(
            "INSERT INTO obecnosci (spotkanie, instytucja, osoba, status) VALUES (:s, :i, :o, :st)",
            key,
        )


def unattend(
    db: Database, meeting_id: int, institutions: list[str], osoba: str | None = None
) -> list[Attendee]:
    """Withdraw a mistaken attendance mark (of the person only, with osoba).

    Returns the attendance records removed; each removal is kept in the edit log.
    """
    _require_meeting(db, meeting_id)
    chosen, person = _institutions(db, meeting_id, institutions, osoba)
    present = attendees(db, meeting_id)
    removed: list[Attendee] = []
    for institution in chosen:
        marks = [a for a in present if a.instytucja == institution.id]
        if person is not None:
            marks = [a for a in marks if a.osoba == person]
        if not marks:
            who = f"„{institution.nazwa}”" + (" (ta osoba)" if person is not None else "")
            raise NotFound(
                f"{who} nie ma zapisanej obecności na spotkaniu nr {meeting_id}. "
                f"Sprawdź listę obecnych: kooperacje spotkania pokaz {meeting_id}."
            )
        removed.extend(marks)
    with db.atomic():
        for mark in removed:
            db.execute(
                "DELETE FROM obecnosci WHERE spotkanie = :s AND instytucja = :i AND osoba IS :o",
                {"s": meeting_id, "i": mark.instytucja, "o": mark.osoba},
            )
        if person is not None:
            # The institution itself still came, unless nobody else of it is recorded.
            for institution in chosen:
                left = db.execute(
                    "SELECT count(*) FROM obecnosci WHERE spotkanie = :s AND instytucja = :i",
                    {"s": meeting_id, "i": institution.id},
                ).fetchone()[0]
                if not left:
                    db.execute(
                        "INSERT INTO obecnosci (spotkanie, instytucja, osoba) "
                        "VALUES (:s, :i, NULL)",
                        {"s": meeting_id, "i": institution.id},
                    )
    return removed


@dataclass(frozen=True)
class MeetingDetails:
    """A meeting with its attendees (sector order, then Polish order of names)."""

    spotkanie: Meeting
    obecni: tuple[Attendee, ...]


def details(db: Database, meeting_id: int) -> MeetingDetails:
    """The meeting and its attendees."""
    return MeetingDetails(get(db, meeting_id), tuple(attendees(db, meeting_id)))
