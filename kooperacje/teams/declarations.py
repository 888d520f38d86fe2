"""Dated declarations of institutions towards a team: membership follows from them.

An institution's declarations towards one team, ordered by date and, within a
day, by the order they were recorded, must alternate: joining, leaving,
joining… Every write keeps that true, so `teams.members_on` is well defined.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje.dates import parse_event_date, polish_date
from kooperacje.errors import Conflict, InvalidInput, NotFound
from kooperacje.register import institutions, validate
from kooperacje.register.vocab import DECLARATION_KINDS
from kooperacje.store.db import now
from kooperacje.teams import meeting_teams, teams

if TYPE_CHECKING:
    from sqlite_utils import Database

JOIN = "przystapienie"
LEAVE = "wystapienie"


@dataclass(frozen=True)
class Declaration:
    """One declaration, with the names a user reads."""

    id: int
    uuid: str
    zespol: int
    zespol_nazwa: str
    instytucja: int
    instytucja_nazwa: str
    sektor: str
    rodzaj: str
    rodzaj_nazwa: str
    data: str
    podpisal: str | None
    spotkanie: int | None
    instytucja_skrot: str | None
    sektor_nazwa: str


SELECT = """
    SELECT d.id, d.uuid, d.zespol, z.nazwa AS zespol_nazwa, d.instytucja,
           i.nazwa AS instytucja_nazwa, i.sektor, d.rodzaj, r.nazwa AS rodzaj_nazwa,
           d.data, d.podpisal, d.spotkanie, i.skrot AS instytucja_skrot,
           s.nazwa AS sektor_nazwa
    FROM deklaracje d
    JOIN zespoly z ON z.id = d.zespol
    JOIN instytucje i ON i.id = d.instytucja
    JOIN sektory s ON s.kod = i.sektor
    JOIN rodzaje_deklaracji r ON r.kod = d.rodzaj
"""


@dataclass(frozen=True)
class _Step:
    id: int
    data: str
    rodzaj: str


def get(db: Database, declaration_id: int) -> Declaration:
    """The declaration with this number."""
    rows = list(db.query(SELECT + " WHERE d.id = :id", {"id": declaration_id}))
    if not rows:
        raise NotFound(
            f"nie ma deklaracji o numerze {declaration_id}. "
            "Sprawdź numer poleceniem: kooperacje deklaracje lista."
        )
    return Declaration(**rows[0])


def _timeline(db: Database, team_id: int, institution_id: int) -> list[_Step]:
    rows = db.query(
        "SELECT id, data, rodzaj FROM deklaracje WHERE zespol = :z AND instytucja = :i "
        "ORDER BY data, id",
        {"z": team_id, "i": institution_id},
    )
    return [_Step(**r) for r in rows]


def _kind_label(code: str) -> str:
    return DECLARATION_KINDS.label(code)


def _check_addition(
    steps: list[_Step], kind: str, day: dt.date, who: str, team: teams.Team
) -> None:
    """Refuse a declaration that would break the join/leave alternation."""
    iso = day.isoformat()
    before = [s for s in steps if s.data <= iso]
    after = [s for s in steps if s.data > iso]
    member = bool(before) and before[-1].rodzaj == JOIN
    on_day = polish_date(day)
    if kind == JOIN and member:
        last = before[-1]
        raise Conflict(
            f"{who} jest już członkiem zespołu „{team.nazwa}” w dniu {on_day} "
            f"(deklaracja przystąpienia nr {last.id} z dnia {polish_date(last.data)}). "
            "Nowa deklaracja przystąpienia nie jest potrzebna; historię pokaże polecenie: "
            f"kooperacje deklaracje lista --zespol {team.id}."
        )
    if kind == LEAVE and not member:
        reason = (
            f"ostatnia deklaracja przed tym dniem to wystąpienie nr {before[-1].id} "
            f"z dnia {polish_date(before[-1].data)}"
            if before
            else "brak wcześniejszej deklaracji przystąpienia"
        )
        raise Conflict(
            f"{who} nie jest członkiem zespołu „{team.nazwa}” w dniu {on_day} ({reason}), "
            "więc nie może z niego wystąpić. Sprawdź datę albo instytucję; historię pokaże "
            f"polecenie: kooperacje deklaracje lista --zespol {team.id}."
        )
    if after and after[0].rodzaj == kind:
        nxt = after[0]
        raise Conflict(
            f"ta deklaracja ({_kind_label(kind)}) poprzedzałaby późniejszą deklarację "
            f"nr {nxt.id} tego samego rodzaju z dnia {polish_date(nxt.data)}: {who} "
            "nie może dwa razy z rzędu przystąpić ani wystąpić. Jeśli tamta deklaracja "
            f"jest błędna, usuń ją poleceniem: kooperacje deklaracje usun {nxt.id}."
        )


def _check_alternation(steps: list[_Step], removed: int) -> None:
    """Refuse removing a declaration if the rest would no longer alternate."""
    previous: _Step | None = None
    for step in steps:
        if previous is None and step.rodzaj == LEAVE:
            raise Conflict(
                f"po usunięciu deklaracji nr {removed} wystąpienie nr {step.id} z dnia "
                f"{polish_date(step.data)} dotyczyłoby instytucji, która nie była członkiem "
                f"zespołu. Usuń najpierw deklarację nr {step.id}."
            )
        if previous is not None and previous.rodzaj == step.rodzaj:
            raise Conflict(
                f"po usunięciu deklaracji nr {removed} deklaracje nr {previous.id} i nr "
                f"{step.id} ({_kind_label(step.rodzaj)}) następowałyby po sobie. "
                f"Usuń najpierw deklarację nr {step.id}."
            )
        previous = step


def _check_meeting(db: Database, meeting_id: int, team: teams.Team, day: dt.date) -> None:
    rows = list(
        db.query(
            "SELECT s.zespol, s.data, z.nazwa FROM spotkania s "
            "JOIN zespoly z ON z.id = s.zespol WHERE s.id = :id",
            {"id": meeting_id},
        )
    )
    if not rows:
        raise NotFound(
            f"nie ma spotkania o numerze {meeting_id}. "
            f"Sprawdź numer poleceniem: kooperacje spotkania lista --zespol {team.id}."
        )
    meeting = rows[0]
    if team.id not in meeting_teams.team_ids(db, meeting_id):
        raise InvalidInput(
            f"spotkanie nr {meeting_id} należy do zespołu „{meeting['nazwa']}”, a deklaracja "
            f"dotyczy zespołu „{team.nazwa}”. Wskaż spotkanie tego zespołu "
            f"(kooperacje spotkania lista --zespol {team.id})."
        )
    if meeting["data"] > day.isoformat():
        raise InvalidInput(
            f"spotkanie nr {meeting_id} odbyło się {polish_date(meeting['data'])}, później niż "
            f"data deklaracji ({polish_date(day)}). Popraw datę albo numer spotkania."
        )


def add(
    db: Database,
    *,
    instytucja: str,
    gmina: str | None = None,
    zespol: str | None = None,
    data: str,
    rodzaj: str = JOIN,
    podpisal: str | None = None,
    spotkanie: int | None = None,
) -> Declaration:
    """Record a dated declaration of an institution towards the team of a gmina."""
    team = teams.team_of(db, gmina=gmina, zespol=zespol)
    institution = institutions.resolve(db, instytucja, teams.context_of(team))
    day = parse_event_date(data)
    kind = DECLARATION_KINDS.parse(rodzaj)
    signer = validate.clean(podpisal)
    if spotkanie is not None:
        _check_meeting(db, spotkanie, team, day)
    who = f"„{institution.nazwa}” (nr {institution.id})"
    _check_addition(_timeline(db, team.id, institution.id), kind, day, who, team)
    row = {
        "uuid": str(uuid.uuid4()),
        "zespol": team.id,
        "instytucja": institution.id,
        "rodzaj": kind,
        "data": day.isoformat(),
        "podpisal": signer,
        "spotkanie": spotkanie,
        "utworzono": now(),
    }
    with db.atomic():
        declaration_id = db.table("deklaracje").insert(row).last_rowid
    assert declaration_id is not None
    return get(db, declaration_id)


def list_(
    db: Database, *, gmina: str | None = None, zespol: str | None = None
) -> list[Declaration]:
    """Declarations of one team (or of all teams), oldest first."""
    where, params = "", {}
    if gmina is not None or zespol is not None:
        team = teams.team_of(db, gmina=gmina, zespol=zespol)
        where, params = " WHERE d.zespol = :z", {"z": team.id}
    rows = db.query(SELECT + where + " ORDER BY d.data, d.id", params)
    return [Declaration(**r) for r in rows]


def remove(db: Database, declaration_id: int) -> Declaration:
    """Delete a mistaken declaration; the deleted row is kept in the edit log."""
    declaration = get(db, declaration_id)
    rest = [
        s
        for s in _timeline(db, declaration.zespol, declaration.instytucja)
        if s.id != declaration_id
    ]
    _check_alternation(rest, declaration_id)
    # The history trigger keeps the deleted row.
    db.execute("DELETE FROM deklaracje WHERE id = :id", {"id": declaration_id})
    return declaration
