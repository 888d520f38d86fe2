"""A team's rules (regulamin) as dated versions, each adopted on a day, often at a meeting.

Nothing is overwritten: a new version is a new row, and the version in force on a day is
the latest adopted on or before it. The text is Markdown read from the user's file.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kooperacje.dates import parse_event_date, polish_date
from kooperacje.errors import Conflict, InvalidInput, NotFound
from kooperacje.register import validate
from kooperacje.store.db import now
from kooperacje.teams import meeting_teams, meetings, teams
from kooperacje.teams.teams import Team
from kooperacje.text import clip

if TYPE_CHECKING:
    from sqlite_utils import Database

# Rules run to a few pages; a file far larger is not the rules.
MAX_BYTES = 200_000


@dataclass(frozen=True)
class Rules:
    """One version of a team's rules."""

    id: int
    uuid: str
    zespol: int
    zespol_nazwa: str
    nazwa: str
    tekst: str  # Markdown
    przyjeto: str  # ISO date adopted
    spotkanie: int | None  # the meeting that adopted it
    spotkanie_data: str | None
    spotkanie_tytul: str | None
    plik: str | None  # the file it was read from (its name only)
    uwagi: str | None


SELECT = """
    SELECT r.id, r.uuid, r.zespol, z.nazwa AS zespol_nazwa, r.nazwa, r.tekst, r.przyjeto,
           r.spotkanie, s.data AS spotkanie_data, s.tytul AS spotkanie_tytul, r.plik, r.uwagi
    FROM regulaminy r
    JOIN zespoly z ON z.id = r.zespol
    LEFT JOIN spotkania s ON s.id = r.spotkanie
"""


def _rules(row: dict[str, Any]) -> Rules:
    return Rules(**row)


def get(db: Database, rules_id: int) -> Rules:
    rows = list(db.query(SELECT + " WHERE r.id = :id", {"id": rules_id}))
    if not rows:
        raise NotFound(
            f"nie ma wersji regulaminu o numerze {rules_id}. Sprawdź numer poleceniem: "
            "kooperacje zespoly regulamin lista --zespol Z."
        )
    return _rules(rows[0])


def read_text(path: Path) -> str:
    """The Markdown text of a rules file: UTF-8 (a BOM is dropped), not empty, not huge."""
    name = clip(str(path), 200)
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise InvalidInput(f'"{name}" jest katalogiem. Podaj plik regulaminu (.md).') from None
    except FileNotFoundError:
        raise InvalidInput(f'nie ma pliku "{name}". Podaj ścieżkę pliku regulaminu.') from None
    except OSError as exc:
        raise InvalidInput(f'nie można odczytać pliku "{name}": {exc.strerror or exc}.') from None
    if len(data) > MAX_BYTES:
        raise InvalidInput(
            f'plik "{name}" ma ponad {MAX_BYTES // 1000} kB, za dużo jak na regulamin. '
            "Sprawdź, czy to właściwy plik (tekst w Markdown)."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput(
            f'plik "{name}" nie jest tekstem UTF-8. Zapisz regulamin jako tekst (Markdown) '
            "w kodowaniu UTF-8."
        ) from None
    if "\x00" in text:
        raise InvalidInput(f'plik "{name}" nie jest plikiem tekstowym. Podaj plik Markdown.')
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise InvalidInput(f'plik "{name}" jest pusty. Wpisz w nim tekst regulaminu.')
    return text + "\n"


def _meeting_of(db: Database, team: Team, meeting_id: int) -> meetings.Meeting:
    meeting = meetings.get(db, meeting_id)
    if team.id not in meeting_teams.team_ids(db, meeting_id):
        raise InvalidInput(
            f"spotkanie nr {meeting_id} nie jest spotkaniem zespołu „{team.nazwa}”. Wskaż "
            f"spotkanie tego zespołu (kooperacje spotkania lista --zespol {team.id})."
        )
    return meeting


def add(
    db: Database,
    *,
    plik: Path,
    gmina: str | None = None,
    zespol: str | None = None,
    data: str | None = None,
    spotkanie: int | None = None,
    nazwa: str | None = None,
    uwagi: str | None = None,
) -> Rules:
    """Record a version of a team's rules, adopted on `data` or at meeting `spotkanie`
    (then on its day); the text comes from the Markdown file `plik`."""
    team = teams.team_of(db, gmina=gmina, zespol=zespol)
    return add_text(
        db,
        team=team,
        tekst=read_text(plik),
        plik=plik.name,
        data=data,
        spotkanie=spotkanie,
        nazwa=nazwa,
        uwagi=uwagi,
    )


def add_text(
    db: Database,
    *,
    team: Team,
    tekst: str,
    plik: str | None = None,
    data: str | None = None,
    spotkanie: int | None = None,
    nazwa: str | None = None,
    uwagi: str | None = None,
) -> Rules:
    """Record a version of the team's rules with this Markdown text (see add)."""
    if not tekst.strip():
        raise InvalidInput("tekst regulaminu jest pusty. Wpisz w pliku tekst regulaminu.")
    meeting = _meeting_of(db, team, spotkanie) if spotkanie is not None else None
    given = validate.clean(data)
    day = parse_event_date(given).isoformat() if given else None
    if day is None and meeting is None:
        raise InvalidInput(
            "podaj, kiedy przyjęto regulamin: --data RRRR-MM-DD albo --spotkanie S "
            "(spotkanie, na którym go przyjęto)."
        )
    if meeting is not None and day is not None and day != meeting.data:
        raise InvalidInput(
            f"spotkanie nr {meeting.id} odbyło się {polish_date(meeting.data)}, a podana data "
            f"przyjęcia to {polish_date(day)}. Podaj tylko --spotkanie albo zgodną datę."
        )
    adopted = day or (meeting.data if meeting else "")
    title = validate.clean(nazwa) or f"Regulamin zespołu „{team.nazwa}”"
    if len(title) > 300:
        raise InvalidInput(f"tytuł regulaminu jest za długi ({len(title)} znaków). Skróć go.")
    same_day = list(
        db.query(
            "SELECT id FROM regulaminy WHERE zespol = :z AND przyjeto = :d",
            {"z": team.id, "d": adopted},
        )
    )
    if same_day:
        raise Conflict(
            f"zespół ma już wersję regulaminu nr {same_day[0]['id']} przyjętą "
            f"{polish_date(adopted)}. Jeśli tamta jest błędna, usuń ją poleceniem: kooperacje "
            f"zespoly regulamin usun {same_day[0]['id']} --tak."
        )
    stamp = now()
    row = {
        "uuid": str(uuid.uuid4()),
        "zespol": team.id,
        "nazwa": title,
        "tekst": tekst,
        "przyjeto": adopted,
        "spotkanie": meeting.id if meeting else None,
        "plik": plik,
        "uwagi": validate.clean(uwagi),
        "utworzono": stamp,
        "zmieniono": stamp,
    }
    with db.atomic():
        rules_id = db.table("regulaminy").insert(row).last_rowid
    assert rules_id is not None
    return get(db, rules_id)


def list_(db: Database, *, gmina: str | None = None, zespol: str | None = None) -> list[Rules]:
    """The versions of a team's rules, oldest first."""
    team = teams.team_of(db, gmina=gmina, zespol=zespol)
    rows = db.query(SELECT + " WHERE r.zespol = :z ORDER BY r.przyjeto, r.id", {"z": team.id})
    return [_rules(r) for r in rows]


def in_force(db: Database, team_id: int, day: dt.date | None = None) -> Rules | None:
    """The version in force on `day` (default: today): the latest adopted by then."""
    rows = list(
        db.query(
            SELECT + " WHERE r.zespol = :z AND r.przyjeto <= :d ORDER BY r.przyjeto DESC, r.id DESC"
            " LIMIT 1",
            {"z": team_id, "d": (day or dt.date.today()).isoformat()},
        )
    )
    return _rules(rows[0]) if rows else None


def chosen(
    db: Database,
    *,
    numer: int | None = None,
    gmina: str | None = None,
    zespol: str | None = None,
    na_dzien: dt.date | None = None,
) -> Rules:
    """A version by its number, or the one in force on a day in the team's rules."""
    if numer is not None:
        if gmina is not None or zespol is not None:
            raise InvalidInput(
                "podaj numer wersji regulaminu albo zespół (--gmina, --zespol), nie jedno "
                "i drugie: numer wskazuje już wersję regulaminu jednego zespołu."
            )
        return get(db, numer)
    team = teams.team_of(db, gmina=gmina, zespol=zespol)
    found = in_force(db, team.id, na_dzien)
    if found is None:
        when = f" w dniu {polish_date(na_dzien)}" if na_dzien else ""
        raise NotFound(
            f"zespół „{team.nazwa}” nie ma regulaminu{when}. Zapisz go poleceniem: kooperacje "
            f"zespoly regulamin dodaj --zespol {team.id} --plik regulamin.md --spotkanie S."
        )
    return found


def remove(db: Database, rules_id: int) -> Rules:
    """Delete a mistaken version (the history keeps it)."""
    found = get(db, rules_id)
    with db.atomic():
        db.execute("DELETE FROM regulaminy WHERE id = :id", {"id": rules_id})
    return found
