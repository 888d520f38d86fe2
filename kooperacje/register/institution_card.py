"""What the register holds around one institution: its card (representatives, teams,
services) and its removal, refused while records of other kinds depend on it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kooperacje.dates import polish_date
from kooperacje.errors import Conflict
from kooperacje.register import contacts, persons
from kooperacje.register.contacts import Office, Phone
from kooperacje.register.institutions import Institution, resolve
from kooperacje.register.persons import Person
from kooperacje.store.db import checkpoint
from kooperacje.text import polish_key

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass(frozen=True)
class TeamMembership:
    """A team the institution belongs to on a given day."""

    zespol: int
    nazwa: str
    gmina: str
    gmina_nazwa: str
    od: str  # date of the joining declaration in force


@dataclass(frozen=True)
class Details:
    """Everything `instytucje pokaz` shows."""

    instytucja: Institution
    przedstawiciele: tuple[Person, ...]
    zespoly: tuple[TeamMembership, ...]
    uslugi: int
    telefony: tuple[Phone, ...] = ()  # beyond the main phone
    biura: tuple[Office, ...] = ()  # beyond the seat


@dataclass(frozen=True)
class Removal:
    """An institution that may be deleted, and how many representatives go with it."""

    instytucja: Institution
    przedstawiciele: int


def details(db: Database, ref: str, day: dt.date | None = None) -> Details:
    """The institution with its representatives, the teams it belongs to on `day`
    (default: today; membership follows from dated declarations) and its services count."""

    institution = resolve(db, ref)
    when = (day or dt.date.today()).isoformat()
    teams = db.query(
        """
        WITH last AS (
            SELECT d.zespol, d.rodzaj, d.data,
                   row_number() OVER (
                       PARTITION BY d.zespol ORDER BY d.data DESC, d.id DESC
                   ) AS n
            FROM deklaracje d
            WHERE d.instytucja = :id AND d.data <= :dzien
        )
        SELECT z.id AS zespol, z.nazwa, z.gmina, g.nazwa AS gmina_nazwa, last.data AS od
        FROM last
        JOIN zespoly z ON z.id = last.zespol
        JOIN teryt g ON g.kod = z.gmina
        WHERE last.n = 1 AND last.rodzaj = 'przystapienie'
        """,
        {"id": institution.id, "dzien": when},
    )
    services = db.execute(
        "SELECT count(*) FROM uslugi WHERE instytucja = :id", {"id": institution.id}
    ).fetchone()[0]
    return Details(
        instytucja=institution,
        przedstawiciele=tuple(persons.for_institutions(db, [institution.id])[institution.id]),
        zespoly=tuple(
            sorted((TeamMembership(**r) for r in teams), key=lambda t: polish_key(t.nazwa))
        ),
        uslugi=int(services),
        telefony=contacts.phones_of(db, institution.id),
        biura=contacts.offices_of(db, institution.id),
    )


def _dependents(db: Database, institution_id: int) -> list[str]:
    """One line per kind of record that refers to the institution."""

    params = {"id": institution_id}
    declarations = [
        f"{r['rodzaj']} – {r['zespol']}, {polish_date(r['data'])}"
        for r in db.query(
            """
            SELECT k.nazwa AS rodzaj, z.nazwa AS zespol, d.data
            FROM deklaracje d
            JOIN zespoly z ON z.id = d.zespol
            JOIN rodzaje_deklaracji k ON k.kod = d.rodzaj
            WHERE d.instytucja = :id ORDER BY d.data, d.id
            """,
            params,
        )
    ]
    meetings = [
        f"{polish_date(r['data'])}, {r['miejsce']} ({r['zespol']})"
        for r in db.query(
            """
            SELECT DISTINCT s.id, s.data, z.nazwa AS zespol,
                   coalesce(nullif(s.miejsce, ''), 'miejsce nie zostało podane') AS miejsce
            FROM obecnosci o
            JOIN spotkania s ON s.id = o.spotkanie
            JOIN zespoly z ON z.id = s.zespol
            WHERE o.instytucja = :id ORDER BY s.data, s.id
            """,
            params,
        )
    ]
    services = [
        f"{r['nazwa']} (nr {r['id']})"
        for r in db.query("SELECT id, nazwa FROM uslugi WHERE instytucja = :id ORDER BY id", params)
    ]
    led = [
        f"{r['nazwa']} (nr {r['id']})"
        for r in db.query("SELECT id, nazwa FROM zespoly WHERE lider = :id ORDER BY id", params)
    ]
    projects = [
        f"{r['nazwa']} (nr {r['id']}, {'lider' if r['rola'] == 'lider' else 'partner'})"
        for r in db.query(
            "SELECT p.id, p.nazwa, pi.rola FROM projekty_instytucje pi "
            "JOIN projekty p ON p.id = pi.projekt WHERE pi.instytucja = :id ORDER BY p.id",
            params,
        )
    ]
    agreements = [
        f"{r['nazwa']} (nr {r['id']})"
        for r in db.query(
            "SELECT a.id, a.nazwa FROM porozumienia_strony s "
            "JOIN porozumienia a ON a.id = s.porozumienie WHERE s.instytucja = :id ORDER BY a.id",
            params,
        )
    ]
    task_teams = [
        f"{r['nazwa']} (nr {r['id']})"
        for r in db.query(
            "SELECT k.id, k.nazwa FROM zzk k WHERE k.id IN "
            "(SELECT zzk FROM zzk_instytucje WHERE instytucja = :id) ORDER BY k.id",
            params,
        )
    ]
    parts = [
        ("deklaracje", declarations),
        ("obecność na spotkaniach", meetings),
        ("usługi", services),
        ("lider zespołów", led),
        ("projekty", projects),
        ("porozumienia", agreements),
        ("zadaniowe zespoły kooperacyjne", task_teams),
    ]
    return [f"  - {what} ({len(items)}): {_some(items)}" for what, items in parts if items]


def _some(items: list[str], limit: int = 10) -> str:
    more = f"; i {len(items) - limit} innych" if len(items) > limit else ""
    return "; ".join(items[:limit]) + more


def removal_plan(db: Database, ref: str) -> Removal:
    """Check that the institution can be deleted: Conflict, listing what depends on it,
    if any declaration, attendance, service or led team refers to it."""
    institution = resolve(db, ref)
    lines = _dependents(db, institution.id)
    if lines:
        raise Conflict(
            f"nie można usunąć instytucji {institution.label}, bo odwołują się do niej:\n"
            + "\n".join(lines)
            + "\nHistoria zespołów zostaje zachowana. Jeśli instytucja odchodzi z zespołu, "
            "zapisz deklarację wystąpienia (kooperacje deklaracje dodaj … --rodzaj wystapienie); "
            "jej usługi usuń poleceniem kooperacje uslugi usun, a lidera zespołu i projektu "
            "zmień przed usunięciem (kooperacje projekty edytuj P --bez-partnera I)."
        )
    count = db.execute(
        "SELECT count(*) FROM osoby WHERE instytucja = :id", {"id": institution.id}
    ).fetchone()[0]
    return Removal(instytucja=institution, przedstawiciele=int(count))


def remove(db: Database, ref: str) -> Institution:
    """Delete an institution nothing depends on, with its representatives (whose personal
    data is also erased from the edit log), its further phones and its offices."""

    plan = removal_plan(db, ref)
    institution_id = plan.instytucja.id
    with db.atomic():
        ids = [
            int(r["id"])
            for r in db.query("SELECT id FROM osoby WHERE instytucja = :id", {"id": institution_id})
        ]
        persons.erase(db, ids)
        for table in ("instytucje_telefony", "instytucje_biura"):
            db.execute(f"DELETE FROM {table} WHERE instytucja = :id", {"id": institution_id})
        db.execute("DELETE FROM instytucje WHERE id = :id", {"id": institution_id})
    if ids:
        checkpoint(db)
    return plan.instytucja
