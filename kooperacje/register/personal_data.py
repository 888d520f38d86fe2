"""The right of access: everything stored about one person, in one document."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from kooperacje.register import persons
from kooperacje.store import history
from kooperacje.store.db import now

if TYPE_CHECKING:
    from sqlite_utils import Database


def access(db: Database, ref: str) -> dict[str, Any]:
    """Everything the database holds about a person (RODO art. 15): the record, the
    institution, meetings attended, declarations signed under their name, and the history."""

    person = persons.resolve(db, ref)
    record = next(iter(db.query("SELECT * FROM osoby WHERE id = :id", {"id": person.id})))
    institution = next(
        iter(
            db.query(
                "SELECT id, nazwa, skrot, adres, kod_pocztowy, miejscowosc FROM instytucje "
                "WHERE id = :id",
                {"id": person.instytucja},
            )
        )
    )
    meetings = list(
        db.query(
            """
            SELECT s.id, s.data, s.godzina, s.miejsce, s.tytul, z.nazwa AS zespol
            FROM obecnosci o
            JOIN spotkania s ON s.id = o.spotkanie
            JOIN zespoly z ON z.id = s.zespol
            WHERE o.osoba = :id ORDER BY s.data, s.id
            """,
            {"id": person.id},
        )
    )
    signed = list(
        db.query(
            """
            SELECT d.id, d.rodzaj, d.data, d.podpisal, z.nazwa AS zespol
            FROM deklaracje d JOIN zespoly z ON z.id = d.zespol
            WHERE pl_fold(d.podpisal) = pl_fold(:name) ORDER BY d.data, d.id
            """,
            {"name": person.imie_nazwisko},
        )
    )
    task_teams = list(
        db.query(
            """
            SELECT k.nazwa AS kod, k.data_otwarcia, k.data_zamkniecia, z.nazwa AS zespol
            FROM zzk_osoby zo JOIN zzk k ON k.id = zo.zzk JOIN zespoly z ON z.id = k.zespol
            WHERE zo.osoba = :id ORDER BY k.data_otwarcia, k.id
            """,
            {"id": person.id},
        )
    )
    return {
        "wygenerowano": now(),
        "osoba": dict(record),
        "instytucja": dict(institution),
        "obecnosci_na_spotkaniach": meetings,
        "podpisane_deklaracje": signed,
        "delegowanie_do_zzk": task_teams,
        "historia_zmian": [asdict(e) for e in history.of_record(db, "osoby", person.id)],
    }
