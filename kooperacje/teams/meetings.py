"""Meetings of a team. Who attended lives in `attendance`, which builds on this module."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.dates import parse_date, parse_event_date, parse_time, polish_date
from kooperacje.errors import Conflict, InvalidInput, NotFound
from kooperacje.register import institutions, validate
from kooperacje.register.vocab import MEETING_KINDS
from kooperacje.store.changes import Change, update
from kooperacje.store.db import now
from kooperacje.teams import teams
from kooperacje.text import fold

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class Meeting:
    """One meeting, with the names a user reads."""

    id: int
    uuid: str
    zespol: int
    zespol_nazwa: str
    gmina: str
    data: str
    godzina: str | None
    miejsce: str
    adres: str | None
    rodzaj: str
    rodzaj_nazwa: str
    tytul: str | None
    opis: str | None
    gmina_nazwa: str
    obecnych: int  # institutions marked present
    ustalenia: str | None = None  # decisions, for the minutes
    nastepne: str | None = None  # the next meeting, as agreed (free text)


SELECT = """
    SELECT s.id, s.uuid, s.zespol, z.nazwa AS zespol_nazwa, z.gmina, s.data, s.godzina,
           s.miejsce, s.adres, s.rodzaj, r.nazwa AS rodzaj_nazwa, s.tytul, s.opis,
           g.nazwa AS gmina_nazwa,
           (SELECT count(DISTINCT o.instytucja) FROM obecnosci o
             WHERE o.spotkanie = s.id AND o.status = 'obecny')
               AS obecnych,
           s.ustalenia, s.nastepne
    FROM spotkania s
    JOIN zespoly z ON z.id = s.zespol
    JOIN teryt g ON g.kod = z.gmina
    JOIN rodzaje_spotkan r ON r.kod = s.rodzaj
"""


def context_of(db: Database, meeting: Meeting) -> institutions.Context:
    """Where an institution named in a command about this meeting is looked for first."""
    return teams.context_of(teams.get(db, meeting.zespol))


def team_ids(db: Database, meeting_id: int) -> list[int]:
    """The teams whose meeting it is."""
    return [
        int(r["zespol"])
        for r in db.query("SELECT zespol FROM spotkania WHERE id = :id", {"id": meeting_id})
    ]


def get(db: Database, meeting_id: int) -> Meeting:
    """The meeting with this number."""
    rows = list(db.query(SELECT + " WHERE s.id = :id", {"id": meeting_id}))
    if not rows:
        raise NotFound(
            f"nie ma spotkania o numerze {meeting_id}. "
            "Sprawdź numer poleceniem: kooperacje spotkania lista."
        )
    return Meeting(**rows[0])


def list_(
    db: Database,
    *,
    gmina: str | None = None,
    zespol: str | None = None,
    od: str | None = None,
    do: str | None = None,
) -> list[Meeting]:
    """Meetings, oldest first, optionally of one team and within dates (inclusive)."""
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if gmina is not None or zespol is not None:
        params["z"] = teams.team_of(db, gmina=gmina, zespol=zespol).id
        clauses.append("s.zespol = :z")
    start = parse_date(od) if od is not None else None
    end = parse_date(do) if do is not None else None
    if start and end and start > end:
        raise InvalidInput(
            f"data początkowa ({start.isoformat()}) jest późniejsza niż końcowa "
            f"({end.isoformat()}). Zamień wartości --od i --do."
        )
    if start:
        params["od"] = start.isoformat()
        clauses.append("s.data >= :od")
    if end:
        params["do"] = end.isoformat()
        clauses.append("s.data <= :do")
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    rows = db.query(SELECT + where + " ORDER BY s.data, ifnull(s.godzina, ''), s.id", params)
    return [Meeting(**r) for r in rows]


def _check_duplicate(
    db: Database, team_id: int, row: dict[str, Any], meeting_id: int | None = None
) -> None:
    found = [
        r
        for r in db.query(
            "SELECT id, miejsce FROM spotkania WHERE zespol = :z AND data = :d "
            "AND ifnull(godzina, '') = ifnull(:g, '') AND id IS NOT :id",
            {"z": team_id, "d": row["data"], "g": row["godzina"], "id": meeting_id},
        )
        if fold(r["miejsce"]) == fold(row["miejsce"])
    ]
    if found:
        raise Conflict(
            f"zespół ma już spotkanie nr {found[0]['id']} w tym miejscu "
            f"({row['miejsce']}) {polish_date(row['data'])}"
            + (f" o {row['godzina']}" if row["godzina"] else "")
            + ". Jeśli to to samo spotkanie, popraw je poleceniem: "
            f"kooperacje spotkania edytuj {found[0]['id']}."
        )


def add(
    db: Database,
    *,
    gmina: str | None = None,
    zespol: str | None = None,
    data: str,
    miejsce: str,
    rodzaj: str,
    godzina: str | None = None,
    adres: str | None = None,
    tytul: str | None = None,
    opis: str | None = None,
) -> Meeting:
    """Record a meeting of the team of a gmina."""
    team = teams.team_of(db, gmina=gmina, zespol=zespol)
    time = validate.clean(godzina)
    row: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "zespol": team.id,
        "data": parse_event_date(data).isoformat(),
        "godzina": parse_time(time) if time else None,
        "miejsce": validate.required(miejsce, "miejsce spotkania"),
        "adres": validate.clean(adres),
        "rodzaj": MEETING_KINDS.parse(rodzaj),
        "tytul": validate.clean(tytul),
        "opis": validate.clean(opis),
        "utworzono": now(),
        "zmieniono": now(),
    }
    _check_duplicate(db, team.id, row)
    with db.atomic():
        meeting_id = db.table("spotkania").insert(row).last_rowid
    assert meeting_id is not None
    return get(db, meeting_id)


@dataclass(frozen=True)
class MeetingEdit:
    """The result of an edit: the meeting as it is now and what changed."""

    spotkanie: Meeting
    zmiany: tuple[Change, ...]


# Columns of `spotkania` an edit may change, in the order changes are reported.
EDITABLE = (
    "data",
    "godzina",
    "miejsce",
    "adres",
    "rodzaj",
    "tytul",
    "opis",
    "ustalenia",
    "nastepne",
)


def apply_edit(
    db: Database,
    meeting_id: int,
    *,
    data: str | None = None,
    godzina: str | None = None,
    miejsce: str | None = None,
    adres: str | None = None,
    rodzaj: str | None = None,
    tytul: str | None = None,
    opis: str | None = None,
    ustalenia: str | None = None,
    nastepne: str | None = None,
) -> MeetingEdit:
    """Change the given fields (None: keep; "" clears time, address, title, summary,
    decisions, next meeting).

    Every changed field is logged in `_zmiany`.
    """
    meeting = get(db, meeting_id)
    values: dict[str, Any] = {}
    if data is not None:
        values["data"] = parse_event_date(data).isoformat()
        _check_declarations_date(db, meeting_id, values["data"])
    if godzina is not None:
        time = validate.clean(godzina)
        values["godzina"] = parse_time(time) if time else None
    if miejsce is not None:
        values["miejsce"] = validate.required(miejsce, "miejsce spotkania")
    if rodzaj is not None:
        values["rodzaj"] = MEETING_KINDS.parse(rodzaj)
    texts = (
        ("adres", adres),
        ("tytul", tytul),
        ("opis", opis),
        ("ustalenia", ustalenia),
        ("nastepne", nastepne),
    )
    for name, value in texts:
        if value is not None:
            values[name] = validate.clean(value)
    if not values:
        raise InvalidInput(
            "nie podano nic do zmiany. Podaj co najmniej jedną z opcji: --data, --godzina, "
            "--miejsce, --adres, --rodzaj, --tytul, --opis, --ustalenia, --nastepne."
        )
    current = {name: getattr(meeting, name) for name in EDITABLE}
    _check_duplicate(db, meeting.zespol, current | values, meeting_id)
    changed = update(db, "spotkania", meeting_id, values)

    def shown(name: str, value: Any) -> str | None:
        if value is None:
            return None
        return MEETING_KINDS.label(value) if name == "rodzaj" else str(value)

    return MeetingEdit(
        spotkanie=get(db, meeting_id),
        zmiany=tuple(
            Change(name, shown(name, current[name]), shown(name, changed[name]))
            for name in EDITABLE
            if name in changed
        ),
    )


def edit(db: Database, meeting_id: int, **fields: str | None) -> Meeting:
    """Change the given fields (see apply_edit); returns the meeting as it is now."""
    return apply_edit(db, meeting_id, **fields).spotkanie


def _check_declarations_date(db: Database, meeting_id: int, day: str) -> None:
    early = list(
        db.query(
            "SELECT id, data FROM deklaracje WHERE spotkanie = :s AND data < :d ORDER BY data",
            {"s": meeting_id, "d": day},
        )
    )
    if early:
        listing = ", ".join(f"nr {r['id']} ({polish_date(r['data'])})" for r in early)
        raise Conflict(
            f"na tym spotkaniu podpisano deklaracje z wcześniejszą datą: {listing}. "
            "Spotkanie nie może odbyć się po podpisaniu tych deklaracji; sprawdź datę."
        )


def remove(db: Database, meeting_id: int) -> Meeting:
    """Delete a meeting and its attendance; refused while declarations point to it."""
    meeting = get(db, meeting_id)
    linked = list(
        db.query(
            "SELECT d.id, d.data, i.nazwa FROM deklaracje d "
            "JOIN instytucje i ON i.id = d.instytucja WHERE d.spotkanie = :s ORDER BY d.data, d.id",
            {"s": meeting_id},
        )
    )
    if linked:
        listing = "; ".join(
            f"nr {r['id']} ({r['nazwa']}, {polish_date(r['data'])})" for r in linked
        )
        raise Conflict(
            f"spotkania nr {meeting_id} nie można usunąć: wskazują na nie deklaracje {listing}. "
            "Jeśli są błędne, usuń je najpierw poleceniem: kooperacje deklaracje usun N."
        )
    # The history triggers keep the deleted meeting and its attendance rows.
    with db.atomic():
        db.execute("DELETE FROM obecnosci WHERE spotkanie = :id", {"id": meeting_id})
        db.execute("DELETE FROM spotkania WHERE id = :id", {"id": meeting_id})
    return meeting
