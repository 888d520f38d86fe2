"""Meetings of one team or of several (a joint meeting). Who attended lives in `attendance`,
which builds on this module.

A meeting's host team is `spotkania.zespol`; every team whose meeting it is, the host
included, is listed in `spotkania_zespoly`, and a meeting shows in each of their reports.
The venue may be unknown (stored as '', read as None): documents then say so in words
(UNKNOWN_PLACE).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kooperacje.dates import (
    parse_event_date,
    parse_range,
    parse_time,
    polish_date,
    polish_datetime,
)
from kooperacje.errors import Conflict, InvalidInput, NotFound
from kooperacje.register import institutions, validate
from kooperacje.register.vocab import MEETING_KINDS
from kooperacje.store.changes import Change, update
from kooperacje.store.db import now
from kooperacje.teams import meeting_teams, teams
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
    miejsce: str | None  # None: the venue is not known
    adres: str | None
    rodzaj: str
    rodzaj_nazwa: str
    tytul: str | None
    opis: str | None
    gmina_nazwa: str
    obecnych: int  # institutions marked present
    ustalenia: str | None = None  # decisions, for the minutes
    nastepne: str | None = None  # the next meeting, as agreed (free text)
    inne_zespoly: str | None = None  # a joint meeting: the other teams' names, "; " between

    @property
    def miejsce_opis(self) -> str:
        """The venue as a document names it, or that it is not known."""
        return self.miejsce or UNKNOWN_PLACE


# How documents and listings name a venue nobody recorded.
UNKNOWN_PLACE = "miejsce nie zostało podane"

SELECT = """
    SELECT s.id, s.uuid, s.zespol, z.nazwa AS zespol_nazwa, z.gmina, s.data, s.godzina,
           nullif(s.miejsce, '') AS miejsce, s.adres, s.rodzaj, r.nazwa AS rodzaj_nazwa,
           s.tytul, s.opis,
           g.nazwa AS gmina_nazwa,
           (SELECT count(DISTINCT o.instytucja) FROM obecnosci o
             WHERE o.spotkanie = s.id AND o.status = 'obecny')
               AS obecnych,
           s.ustalenia, s.nastepne,
           (SELECT group_concat(nazwa, '; ') FROM (
                SELECT z2.nazwa FROM spotkania_zespoly sz JOIN zespoly z2 ON z2.id = sz.zespol
                WHERE sz.spotkanie = s.id AND sz.zespol != s.zespol
                ORDER BY z2.nazwa COLLATE pl)) AS inne_zespoly
    FROM spotkania s
    JOIN zespoly z ON z.id = s.zespol
    JOIN teryt g ON g.kod = z.gmina
    JOIN rodzaje_spotkan r ON r.kod = s.rodzaj
"""


def context_of(db: Database, meeting: Meeting) -> institutions.Context:
    """Where an institution named in a command about this meeting is looked for first:
    among the members and the areas of all its teams."""
    return meeting_teams.context_for(db, meeting.id)


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
        clauses.append("s.id IN (SELECT spotkanie FROM spotkania_zespoly WHERE zespol = :z)")
    start, end = parse_range(od, do)
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
        if fold(r["miejsce"] or "") == fold(row["miejsce"] or "")
    ]
    if found:
        raise Conflict(
            f"zespół ma już spotkanie nr {found[0]['id']} w tym miejscu "
            f"({row['miejsce'] or UNKNOWN_PLACE}) {polish_date(row['data'])}"
            + (f" o {row['godzina']}" if row["godzina"] else "")
            + ". Jeśli to to samo spotkanie, popraw je poleceniem: "
            f"kooperacje spotkania edytuj {found[0]['id']}."
        )


def _place(value: str | None) -> str | None:
    text = validate.clean(value)
    if text is not None and len(text) > 500:
        raise InvalidInput(
            f"miejsce spotkania jest za długie ({len(text)} znaków, najwyżej 500). Skróć je."
        )
    return text


def add(
    db: Database,
    *,
    gmina: str | Sequence[str] | None = None,
    zespol: str | Sequence[str] | None = None,
    data: str,
    rodzaj: str,
    miejsce: str | None = None,
    godzina: str | None = None,
    adres: str | None = None,
    tytul: str | None = None,
    opis: str | None = None,
) -> Meeting:
    """Record a meeting of one team or, given several, a joint meeting (the first team
    given hosts it). The venue may be left out when it is not known."""
    chosen = meeting_teams.teams_given(db, gmina, zespol)
    team = chosen[0]
    time = validate.clean(godzina)
    row: dict[str, Any] = {
        "uuid": str(uuid.uuid4()),
        "zespol": team.id,
        "data": parse_event_date(data).isoformat(),
        "godzina": parse_time(time) if time else None,
        "miejsce": _place(miejsce) or "",  # '': not known (the column is NOT NULL)
        "adres": validate.clean(adres),
        "rodzaj": MEETING_KINDS.parse(rodzaj),
        "tytul": validate.clean(tytul),
        "opis": validate.clean(opis),
        "utworzono": now(),
        "zmieniono": now(),
    }
    _check_time_exists(row["data"], row["godzina"])
    _check_duplicate(db, team.id, row)
    with db.atomic():
        meeting_id = db.table("spotkania").insert(row).last_rowid
        assert meeting_id is not None
        # The host is listed by a trigger; the other teams here.
        for other in chosen[1:]:
            db.execute(
                "INSERT OR IGNORE INTO spotkania_zespoly (spotkanie, zespol) VALUES (:s, :z)",
                {"s": meeting_id, "z": other.id},
            )
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
    zespoly: Sequence[str] = (),
    bez_zespolow: Sequence[str] = (),
) -> MeetingEdit:
    """Change the given fields (None: keep; "" clears venue, time, address, title, summary,
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
        values["miejsce"] = _place(miejsce) or ""
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
    joining = [teams.resolve(db, text) for text in zespoly]
    leaving = [teams.resolve(db, text) for text in bez_zespolow]
    if not values and not joining and not leaving:
        raise InvalidInput(
            "nie podano nic do zmiany. Podaj co najmniej jedną z opcji: --data, --godzina, "
            "--miejsce, --adres, --rodzaj, --tytul, --opis, --ustalenia, --nastepne, "
            "--zespol, --bez-zespolu."
        )
    current = {name: getattr(meeting, name) for name in EDITABLE}
    edited = current | values
    _check_time_exists(edited["data"], edited["godzina"])
    _check_duplicate(db, meeting.zespol, edited, meeting_id)
    with db.atomic():
        changed = update(db, "spotkania", meeting_id, values) if values else {}
        listed = meeting_teams.change_teams(db, meeting.id, meeting.zespol, joining, leaving)

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
        )
        + tuple(listed),
    )


def edit(db: Database, meeting_id: int, **fields: Any) -> Meeting:
    """Change the given fields (see apply_edit); returns the meeting as it is now."""
    return apply_edit(db, meeting_id, **fields).spotkanie


def _check_time_exists(day: str, time: str | None) -> None:
    """Refuse a start time the clocks skip that day (summer time begins)."""
    if time is not None:
        polish_datetime(dt.date.fromisoformat(day), time)


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
