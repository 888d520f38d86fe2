"""Running a meeting at the registration table: the actions of `spotkania prowadz`.

Each function is one confirmed action and commits on its own (one transaction), so an
interrupted session loses at most the entry being typed. Matching is forgiving: a few
letters, no diacritics, a typo.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje.register import institutions, persons
from kooperacje.register.vocab import CORE_SECTORS, SECTORS, Vocabulary
from kooperacje.teams import declarations, meeting_teams, teams
from kooperacje.teams.attendance import PRESENT, Attendee, attendees, mark
from kooperacje.teams.declarations import Declaration
from kooperacje.teams.meetings import Meeting, context_of, get
from kooperacje.text import fold

if TYPE_CHECKING:
    from sqlite_utils import Database


def _score(query: str, institution: institutions.Institution) -> float:
    """How well a typed fragment fits an institution (0: not at all)."""
    name = fold(institution.nazwa)
    short = fold(institution.skrot or "")
    if query == short:
        return 3.0
    if query in name or (short and query in short):
        return 2.0
    words = name.split() + short.split()
    total = 0.0
    for token in query.split():
        best = 0.0
        for word in words:
            if word.startswith(token):
                best = 1.0
                break
            best = max(best, difflib.SequenceMatcher(None, token, word[: len(token) + 1]).ratio())
        if best < 0.7:
            return 0.0
        total += best
    return total / max(len(query.split()), 1)


def find(
    db: Database, text: str, limit: int = 9, meeting: Meeting | None = None
) -> list[institutions.Institution]:
    """Institutions best matching a few letters of the name or short name, best first;
    among equally good ones, the meeting's teams' members first, then those seated in its
    gminas, then in its powiats."""
    query = fold(text)
    if not query:
        return []
    scored = [(s, i) for i in institutions.list_(db) if (s := _score(query, i)) > 0]
    rank: dict[int, int] = {}
    if meeting is not None:
        rank = institutions.context_rank(db, context_of(db, meeting), [i.id for _, i in scored])
    # Stable: Polish order among equals.
    scored.sort(key=lambda pair: (-pair[0], rank.get(pair[1].id, 0)))
    return [i for _, i in scored[:limit]]


def match_term(vocabulary: Vocabulary, text: str) -> str | None:
    """A vocabulary code from a code, a label, a fragment or a near miss; None if unclear."""
    query = fold(text).replace("_", " ")
    if not query:
        return None
    names = {code: fold(label) for code, label in vocabulary.items}
    codes = {code: fold(code.replace("_", " ")) for code, _ in vocabulary.items}
    exact = [c for c in names if query in (names[c], codes[c])]
    if exact:
        return exact[0]
    starts = [c for c in names if names[c].startswith(query) or codes[c].startswith(query)]
    if len(starts) == 1:
        return starts[0]
    close = difflib.get_close_matches(query, list(names.values()) + list(codes.values()), 1, 0.75)
    if close:
        return next(c for c in names if close[0] in (names[c], codes[c]))
    return None


def match_person(staff: list[persons.Person], text: str) -> persons.Person | None:
    """A representative by exact name, else by a close spelling."""
    query = fold(text)
    by_name = {fold(p.imie_nazwisko): p for p in staff}
    if query in by_name:
        return by_name[query]
    close = difflib.get_close_matches(query, list(by_name), 1, 0.85)
    return by_name[close[0]] if close else None


def is_member(db: Database, meeting: Meeting, institution_id: int) -> bool:
    """Whether the institution is a member of the team on the day of the meeting."""
    day = dt.date.fromisoformat(meeting.data)
    return any(
        m.instytucja == institution_id
        for team_id in meeting_teams.team_ids(db, meeting.id)
        for m in teams.members_on(db, team_id, day)
    )


def check_in(db: Database, meeting_id: int, institution_id: int) -> None:
    """Mark the institution present."""
    with db.atomic():
        mark(db, meeting_id, institution_id, None, PRESENT)


def walk_in(
    db: Database,
    meeting: Meeting,
    *,
    nazwa: str,
    sektor: str,
    skrot: str | None = None,
    gmina: str | None = None,
) -> institutions.Institution:
    """Register an institution not yet in the database (seat: the team's gmina unless
    given), marked present."""
    seat = gmina or meeting.gmina
    with db.atomic():
        new = institutions.add(db, nazwa=nazwa, sektor=sektor, skrot=skrot, gmina=seat)
        mark(db, meeting.id, new.id, None, PRESENT)
    return new


def attend_person(db: Database, meeting_id: int, institution_id: int, person_id: int) -> None:
    """Record who came for the institution."""
    with db.atomic():
        mark(db, meeting_id, institution_id, person_id, PRESENT)


def new_person(
    db: Database,
    meeting_id: int,
    institution_id: int,
    imie_nazwisko: str,
    stanowisko: str | None = None,
) -> persons.Person:
    """Add a representative and record that they came."""
    with db.atomic():
        person = persons.add(
            db, imie_nazwisko=imie_nazwisko, instytucja=str(institution_id), stanowisko=stanowisko
        )
        mark(db, meeting_id, institution_id, person.id, PRESENT)
    return person


def sign(db: Database, meeting: Meeting, institution_id: int, podpisal: str | None) -> Declaration:
    """A declaration of accession signed at the table: dated with the meeting, linked to it."""

    return declarations.add(
        db,
        instytucja=str(institution_id),
        zespol=str(meeting.zespol),
        data=meeting.data,
        podpisal=podpisal,
        spotkanie=meeting.id,
    )


@dataclass(frozen=True)
class MissingSector:
    """A sector with no member in the team."""

    kod: str
    nazwa: str
    kluczowy: bool


@dataclass(frozen=True)
class Summary:
    """What the meeting holds now: who came, what was signed, which sectors are missing."""

    spotkanie: Meeting
    obecni: tuple[Attendee, ...]  # by sector, then name
    deklaracje: tuple[str, ...]  # "name (nr N)" of declarations signed at this meeting
    brakujace: tuple[MissingSector, ...]  # sectors of DOMAIN.md without a member


def summary(db: Database, meeting_id: int) -> Summary:
    """The summary printed when the session ends."""
    meeting = get(db, meeting_id)
    signed = tuple(
        f"{r['nazwa']} (deklaracja nr {r['id']})"
        for r in db.query(
            "SELECT d.id, i.nazwa FROM deklaracje d JOIN instytucje i ON i.id = d.instytucja "
            "WHERE d.spotkanie = :s AND d.rodzaj = 'przystapienie' ORDER BY d.id",
            {"s": meeting_id},
        )
    )
    day = dt.date.fromisoformat(meeting.data)
    covered = {m.sektor for m in teams.members_on(db, meeting.zespol, day)}
    missing = tuple(
        MissingSector(code, label, code in CORE_SECTORS)
        for code, label in SECTORS.items
        if code not in covered
    )
    return Summary(meeting, tuple(attendees(db, meeting_id)), signed, missing)


def get_meeting(db: Database, meeting_id: int) -> Meeting:
    """The meeting to run (NotFound with a hint when there is none)."""
    return get(db, meeting_id)
