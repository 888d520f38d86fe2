"""The right of access: everything stored about one person, in one document. It lists
exactly what `osoby usun` would erase (store.erasure finds both)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from kooperacje.register import persons
from kooperacje.store import erasure, history
from kooperacje.store.db import now

if TYPE_CHECKING:
    from sqlite_utils import Database

# What names a record of each table in the document.
_TITLES = {
    "uslugi": "SELECT u.nazwa, i.nazwa AS instytucja FROM uslugi u "
    "JOIN instytucje i ON i.id = u.instytucja WHERE u.id = :id",
    "deklaracje": "SELECT d.rodzaj, d.data, z.nazwa AS zespol, i.nazwa AS instytucja "
    "FROM deklaracje d JOIN zespoly z ON z.id = d.zespol "
    "JOIN instytucje i ON i.id = d.instytucja WHERE d.id = :id",
    "spotkania": "SELECT s.data, s.miejsce, z.nazwa AS zespol FROM spotkania s "
    "JOIN zespoly z ON z.id = s.zespol WHERE s.id = :id",
    "instytucje": "SELECT nazwa FROM instytucje WHERE id = :id",
    "zzk": "SELECT nazwa FROM zzk WHERE id = :id",
}


def _records(db: Database, found: erasure.Traces) -> dict[str, list[dict[str, Any]]]:
    """The records of other tables holding the person's data, by table: what names each
    record and the fields with the person's data in them (as stored)."""
    fields: dict[tuple[str, int], dict[str, str]] = defaultdict(dict)
    for trace in found.pola:
        fields[(trace.tabela, trace.rekord)][trace.pole] = trace.wartosc
    result: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for (table, record), values in sorted(fields.items()):
        title = next(iter(db.query(_TITLES[table], {"id": record})), {})
        result[table].append({"id": record, **title, "pola": values})
    return result


def access(db: Database, ref: str) -> dict[str, Any]:
    """Everything the database holds about a person (RODO art. 15): the record, the
    institution, meetings attended, declarations, services, meetings and notes that name
    them or their contacts, and every history entry with their data."""

    person = persons.resolve_exact(db, ref)
    subject = erasure.person(db, person.id)
    assert subject is not None
    found = erasure.traces(db, subject)
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
            SELECT s.id, s.data, s.godzina, s.miejsce, s.tytul, z.nazwa AS zespol, o.status
            FROM obecnosci o
            JOIN spotkania s ON s.id = o.spotkanie
            JOIN zespoly z ON z.id = s.zespol
            WHERE o.id IN (SELECT value FROM json_each(:ids)) ORDER BY s.data, s.id
            """,
            {"ids": json.dumps(list(found.obecnosci))},
        )
    )
    records = _records(db, found)
    signed = [
        {"id": d["id"], "rodzaj": d["rodzaj"], "data": d["data"], "podpisal": d["pola"]["podpisal"],
         "zespol": d["zespol"]}
        for d in records.get("deklaracje", [])
        if "podpisal" in d["pola"]
    ]  # fmt: skip
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
        "uslugi": records.get("uslugi", []),
        "deklaracje": records.get("deklaracje", []),
        "spotkania": records.get("spotkania", []),
        "instytucje": records.get("instytucje", []),
        "zespoly_zadaniowe": records.get("zzk", []),
        "delegowanie_do_zzk": task_teams,
        "historia_zmian": [asdict(e) for e in history.of_record(db, "osoby", person.id)],
        "historia_innych_wpisow": [
            {
                "id": e.id,
                "kiedy": e.kiedy,
                "tabela": e.tabela,
                "rekord": e.rekord,
                "operacja": e.operacja,
                "pole": e.pole,
                "dane": [{"pole": name, "wartosc": value} for name, value in e.dane],
            }
            for e in found.historia
        ],
    }
